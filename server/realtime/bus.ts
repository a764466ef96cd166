/**
 * In-process domain events. Services publish after their transaction commits; the realtime
 * layer (socket.io) and the ingest manager subscribe. Kept tiny and typed.
 */
import { EventEmitter } from 'node:events';
import type { CameraStatus } from '@common/domain';
import type { ScanDeviceEvent, ScanDoneEvent, ScanProgressEvent } from '@common/discovery';

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

export interface BusEvents {
  'camera:created': CameraEventPayload;
  'camera:updated': CameraEventPayload;
  'camera:deleted': CameraEventPayload;
  'camera:status': CameraStatusPayload;
  /** Something the camera's ingest depends on changed outside its row (push key issued or rotated). */
  'camera:ingest-changed': { id: string };
  /**
   * A camera change made by another process (change-feed.ts), for this process's ingest only
   * (browsers already got it from the process that made it). `resync`: changes may have been
   * missed (the feed reconnected), re-read everything.
   */
  'camera:remote-change': RemoteCameraChange;
  /** Discovery (staff only: admin, operator, investigator). */
  'discovery:progress': ScanProgressEvent;
  'discovery:device': ScanDeviceEvent;
  'discovery:done': ScanDoneEvent;
  /** Sign-out, password change, disable or role change: live sockets of that session/user close. */
  'auth:session-ended': { sessionId?: string; userId?: string };
}

/** The bus events another process may tell this one about. */
export const FORWARDED_CAMERA_EVENTS = ['camera:created', 'camera:updated', 'camera:deleted', 'camera:ingest-changed'] as const;
export type ForwardedCameraEvent = (typeof FORWARDED_CAMERA_EVENTS)[number];

export type RemoteCameraChange = { event: ForwardedCameraEvent; id: string } | { event: 'resync'; id: null };

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
