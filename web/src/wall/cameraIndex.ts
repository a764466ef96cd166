/** What the wall knows about its cameras (name, kind, status), kept current by realtime events. Pure. */
import type { CameraKind, CameraStatus } from '@common/domain';
import type { Camera } from '@web/api/types';
import type { RealtimeEvent } from '@web/realtime/events';

export interface WallCamera {
  id: string;
  name: string;
  kind: CameraKind;
  status: CameraStatus;
  statusCause: string | null;
}

/** Per id: the camera, or 'missing' (deleted or not visible to this user). Absent = not loaded yet. */
export type CameraIndex = ReadonlyMap<string, WallCamera | 'missing'>;

export const toWallCamera = (c: Camera): WallCamera => ({ id: c.id, name: c.name, kind: c.kind, status: c.status, statusCause: c.statusCause });

export function withCamera(index: CameraIndex, id: string, value: WallCamera | 'missing'): CameraIndex {
  const next = new Map(index);
  next.set(id, value);
  return next;
}

/** Applies one realtime event; cameras the wall does not hold are ignored. */
export function applyEvent(index: CameraIndex, e: RealtimeEvent): CameraIndex {
  switch (e.type) {
    case 'status': {
      const cur = index.get(e.cameraId);
      if (!cur || cur === 'missing' || (cur.status === e.status && cur.statusCause === e.cause)) return index;
      return withCamera(index, e.cameraId, { ...cur, status: e.status, statusCause: e.cause });
    }
    case 'updated':
    case 'created':
      return index.has(e.camera.id) ? withCamera(index, e.camera.id, toWallCamera(e.camera)) : index;
    case 'deleted':
      return index.has(e.id) ? withCamera(index, e.id, 'missing') : index;
    case 'resync':
      return index;
  }
}
