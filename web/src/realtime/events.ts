/** socket.io camera events as one typed union. Pure: the payload checks are unit-tested. */
import { CAMERA_STATUSES, type CameraStatus } from '@common/domain';
import { EVENTS } from '@common/events';
import type { Camera } from '@web/api/types';

export type RealtimeEvent =
  | { type: 'created'; camera: Camera }
  | { type: 'updated'; camera: Camera }
  | { type: 'deleted'; id: string }
  | { type: 'status'; cameraId: string; status: CameraStatus; cause: string | null; at: string }
  /**
   * Lists reload: the socket (re)connected and anything may have been missed, or a bulk import
   * created cameras (one `cameras:imported` per import, not one event per row).
   */
  | { type: 'resync' };

export const CAMERA_EVENT_NAMES = [EVENTS.cameraCreated, EVENTS.cameraUpdated, EVENTS.cameraDeleted, EVENTS.cameraStatus, EVENTS.camerasImported] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCamera = (v: unknown): v is Camera => isRecord(v) && typeof v.id === 'string' && typeof v.version === 'number' && typeof v.name === 'string';

/** Socket event name + payload -> RealtimeEvent, or null for a payload we do not understand. */
export function toRealtimeEvent(name: string, payload: unknown): RealtimeEvent | null {
  switch (name) {
    case EVENTS.cameraCreated:
      return isCamera(payload) ? { type: 'created', camera: payload } : null;
    case EVENTS.cameraUpdated:
      return isCamera(payload) ? { type: 'updated', camera: payload } : null;
    case EVENTS.camerasImported:
      return isRecord(payload) && typeof payload.count === 'number' ? { type: 'resync' } : null;
    case EVENTS.cameraDeleted:
      return isRecord(payload) && typeof payload.id === 'string' ? { type: 'deleted', id: payload.id } : null;
    case EVENTS.cameraStatus: {
      if (!isRecord(payload) || typeof payload.cameraId !== 'string') return null;
      const status = payload.status;
      if (typeof status !== 'string' || !(CAMERA_STATUSES as readonly string[]).includes(status)) return null;
      return {
        type: 'status',
        cameraId: payload.cameraId,
        status: status as CameraStatus,
        cause: typeof payload.cause === 'string' ? payload.cause : null,
        at: typeof payload.at === 'string' ? payload.at : new Date().toISOString(),
      };
    }
    default:
      return null;
  }
}
