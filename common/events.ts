/** socket.io event names and payloads, shared by the server and the console. */
import type { CameraStatus } from './domain';

export const EVENTS = {
  cameraCreated: 'camera:created',
  cameraUpdated: 'camera:updated',
  cameraDeleted: 'camera:deleted',
  cameraStatus: 'camera:status',
  discoveryProgress: 'discovery:progress',
  discoveryDevice: 'discovery:device',
  discoveryDone: 'discovery:done',
} as const;

export interface CameraStatusEvent {
  cameraId: string;
  status: CameraStatus;
  cause: string | null;
  at: string;
}

export interface CameraDeletedEvent {
  id: string;
}
