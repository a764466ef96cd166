/** socket.io event names and payloads, shared by the server and the console. */
import type { CameraStatus } from './domain';

export const EVENTS = {
  cameraCreated: 'camera:created',
  cameraUpdated: 'camera:updated',
  cameraDeleted: 'camera:deleted',
  cameraStatus: 'camera:status',
  /** One bulk import (instead of one camera:created per row): lists reload. */
  camerasImported: 'cameras:imported',
  discoveryProgress: 'discovery:progress',
  discoveryDevice: 'discovery:device',
  discoveryDone: 'discovery:done',
  recordingGap: 'recording:gap',
  /** Many cameras' gaps opened or closed at once (common/timeline RecordingGapsEvent). */
  recordingGaps: 'recording:gaps',
  /** To a camera's owner: a footage request (common/incidents FootageRequest, without the incident). */
  footageRequest: 'footage:request',
  /** To the investigator who asked: the owner's answer. */
  footageDecided: 'footage:decided',
  clipProgress: 'clip:progress',
} as const;

/** A clip job's state and progress (0..1), sent to the user who asked for the clip. */
export interface ClipProgressEvent {
  clipId: string;
  incidentId: string;
  cameraId: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
}

export interface CameraStatusEvent {
  cameraId: string;
  status: CameraStatus;
  /** A stable phrase from common/causes.ts (translated by the console), or null. */
  cause: string | null;
  /** The raw, scrubbed line behind the cause (ffmpeg stderr, exit), kept in the status history. */
  detail?: string | null;
  at: string;
}

/** `ids` only for small imports (at most CAMERAS_IMPORTED_MAX_IDS); a big one says only how many. */
export interface CamerasImportedEvent {
  count: number;
  ids?: string[];
}
export const CAMERAS_IMPORTED_MAX_IDS = 100;

export interface CameraDeletedEvent {
  id: string;
}
