/**
 * In-process domain events. Services publish after their transaction commits; the realtime
 * layer (socket.io) and the ingest manager subscribe. Kept tiny and typed.
 */
import { EventEmitter } from 'node:events';
import type { CameraStatus } from '@common/domain';
import type { ScanDeviceEvent, ScanDoneEvent, ScanProgressEvent } from '@common/discovery';
import type { RecordingGapEvent, RecordingGapsEvent } from '@common/timeline';
import type { Alarm, AlarmsChangedEvent } from '@common/alarms';
import type { FootageRequest } from '@common/incidents';
import type { ClipProgressEvent } from '@common/events';

export interface CameraEventPayload {
  id: string;
  /** Who may see it: the owning merchant (if any); staff roles see every camera. */
  ownerUserId: string | null;
  /** The camera as the API returns it (no secrets); absent for deletions. */
  camera?: unknown;
}

export interface CameraStatusPayload {
  cameraId: string;
  ownerUserId: string | null;
  status: CameraStatus;
  cause: string | null;
  at: string;
}

export interface RecordingPaused {
  workerId: string;
  paused: boolean;
  freeBytes: number | null;
  minFreeBytes: number | null;
  /** Footage the guard may not delete (held or uploading), and its cameras; empty when resumed. */
  heldSegments: number;
  heldBytes: number;
  cameras: string[];
  at: string;
}

export interface RecordingDiskAlarm {
  workerId: string;
  freeBytes: number;
  minFreeBytes: number;
  /** Un-archived segments being dropped, their bytes and cameras. */
  segments: number;
  bytes: number;
  cameras: string[];
  at: string;
}

export interface BusEvents {
  'camera:created': CameraEventPayload;
  'camera:updated': CameraEventPayload;
  'camera:deleted': CameraEventPayload;
  'camera:status': CameraStatusPayload;
  /**
   * A bulk import created these cameras (staff only: imports are staff-only and create no
   * merchant-owned cameras): one event per import, never one per row.
   */
  'cameras:imported': { ids: string[] };
  /** Something the camera's ingest depends on changed outside its row (push key issued or rotated). */
  'camera:ingest-changed': { id: string };
  /**
   * A camera change made by another process (change-feed.ts), for this process's ingest only
   * (browsers already got it from the process that made it). `resync`: changes may have been
   * missed (the feed reconnected), re-read everything.
   */
  'camera:remote-change': RemoteCameraChange;
  /** A camera's current recording gap passed archive.gapAlert, or closed (server/ledger/gap-watch.ts). */
  'recording:gap': RecordingGapEvent & { ownerUserId: string | null };
  /** Many gaps opened or closed in one check, instead of one 'recording:gap' each (byOwner: each merchant's own). */
  'recording:gaps': RecordingGapsEvent & { byOwner: Record<string, number> };
  /** An alarm was raised, or acknowledged/resolved (server/alarms; published once, by the process that changed it). */
  'alarm:raised': { alarm: Alarm; ownerUserId: string | null };
  'alarm:updated': { alarm: Alarm; ownerUserId: string | null };
  /** Many alarms raised or resolved at once, instead of one event each (count: all; byOwner: each merchant's own). */
  'alarms:changed': AlarmsChangedEvent & { byOwner: Record<string, number> };
  /** Discovery (staff only: admin, operator, investigator). */
  'discovery:progress': ScanProgressEvent;
  'discovery:device': ScanDeviceEvent;
  'discovery:done': ScanDoneEvent;
  /** A worker's recording cache is below its disk floor with only un-archived data left (staff). */
  'recording:disk-alarm': RecordingDiskAlarm;
  /** A worker paused recording (disk below its floor, only held or uploading footage left) or resumed it (staff). */
  'recording:paused': RecordingPaused;
  /**
   * Camera leases were handed back (a graceful stop, a rebalance): every ingest runtime runs a
   * lease round now instead of a whole round later. Other processes hear of it through
   * change-feed.ts as camera:remote-change `released` (never re-published here: no echo).
   */
  'leases:released': Record<string, never>;
  /** A footage request for the owner's camera (to the owner only; it never names the incident). */
  'footage:request': { ownerUserId: string; request: FootageRequest };
  /** The owner answered a footage request (to the investigator who asked). */
  'footage:decided': { requestedBy: string; request: FootageRequest };
  /** A clip job's progress (server/clips), for the user who asked for it (null: nobody). */
  'clip:progress': ClipProgressEvent & { userId: string | null };
  /**
   * Sign-out, password change, disable or role change: live sockets of that session/user close
   * (all the user's but `keepSessionId`'s: a password change keeps the session that made it).
   */
  'auth:session-ended': { sessionId?: string; userId?: string; keepSessionId?: string };
}

/** The bus events another process may tell this one about. */
export const FORWARDED_CAMERA_EVENTS = ['camera:created', 'camera:updated', 'camera:deleted', 'camera:ingest-changed'] as const;
export type ForwardedCameraEvent = (typeof FORWARDED_CAMERA_EVENTS)[number];

/** `released`: another process handed camera leases back (its leases:released): run a lease round now. */
export type RemoteCameraChange = { event: ForwardedCameraEvent; id: string } | { event: 'resync' | 'released'; id: null };

export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  publish<K extends keyof BusEvents>(name: K, payload: BusEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  subscribe<K extends keyof BusEvents>(name: K, fn: (payload: BusEvents[K]) => void): () => void {
    this.emitter.on(name, fn);
    return () => this.emitter.off(name, fn);
  }
}
