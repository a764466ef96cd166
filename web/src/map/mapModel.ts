/**
 * The map's pure logic: which cameras show (filters), how live events change the set, and the
 * screen-grid clustering that keeps 100+ markers readable at county zoom. Unit-tested.
 */
import type { CameraKind, CameraStatus, EnrollmentState } from '@common/domain';
import type { Camera } from '@web/api/types';
import type { RealtimeEvent } from '@web/realtime/events';
import { layoutFor } from '@web/wall/layout';

export interface MapFilter {
  kind: CameraKind | '';
  status: CameraStatus | '';
  /** '' = every state the user may see. */
  enrollment: EnrollmentState | '';
}

export const DEFAULT_FILTER: MapFilter = { kind: '', status: '', enrollment: 'approved' };

export function filterCameras(cameras: readonly Camera[], f: MapFilter): Camera[] {
  return cameras.filter((c) => (!f.kind || c.kind === f.kind) && (!f.status || c.status === f.status) && (!f.enrollment || c.enrollmentState === f.enrollment));
}

/** A live event applied to the camera set; null for a resync (reload everything). */
export function applyEvent(cameras: readonly Camera[], e: RealtimeEvent): Camera[] | null {
  switch (e.type) {
    case 'status':
      return cameras.map((c) => (c.id === e.cameraId ? { ...c, status: e.status, statusCause: e.cause, statusChangedAt: e.at } : c));
    case 'created':
    case 'updated': {
      const rest = cameras.filter((c) => c.id !== e.camera.id);
      return [...rest, e.camera];
    }
    case 'deleted':
      return cameras.filter((c) => c.id !== e.id);
    case 'resync':
      return null;
  }
}

/** Statuses that need an operator's eye: a cluster holding one of them is marked. */
const DOWN: ReadonlySet<CameraStatus> = new Set(['offline', 'auth_failed', 'unreachable', 'stalled', 'reconnecting']);
export const isDown = (s: CameraStatus) => DOWN.has(s);

export interface ScreenPoint<T> {
  item: T;
  x: number;
  y: number;
}

export type Cluster<T> = { items: T[]; x: number; y: number };

/**
 * Groups points whose screen positions share a `cellPx` square; a group of one stays a single
 * marker. The cluster sits at the mean of its members. Deterministic (input order kept).
 */
export function clusterPoints<T>(points: readonly ScreenPoint<T>[], cellPx: number): Cluster<T>[] {
  const cells = new Map<string, ScreenPoint<T>[]>();
  for (const p of points) {
    const key = `${Math.floor(p.x / cellPx)}:${Math.floor(p.y / cellPx)}`;
    const cell = cells.get(key);
    if (cell) cell.push(p);
    else cells.set(key, [p]);
  }
  return [...cells.values()].map((ps) => ({
    items: ps.map((p) => p.item),
    x: ps.reduce((s, p) => s + p.x, 0) / ps.length,
    y: ps.reduce((s, p) => s + p.y, 0) / ps.length,
  }));
}

/** From this zoom on every camera is its own marker. */
export const CLUSTER_UNTIL_ZOOM = 17;
export const CLUSTER_CELL_PX = 44;

/** The bookmarkable wall with one camera (web/src/wall/wallState.ts reads it). */
export const wallPathFor = (cameraId: string) => wallPathForMany([cameraId]);

/** The most tiles a wall has: a larger selection opens its first 25. */
export const MAX_WALL_CAMERAS = 25;

/** The smallest wall holding these cameras (the first 25), low latency. */
export function wallPathForMany(cameraIds: readonly string[]): string {
  const ids = cameraIds.slice(0, MAX_WALL_CAMERAS);
  return `/wall?layout=${layoutFor(Math.max(1, ids.length))}&cameras=${ids.map(encodeURIComponent).join(',')}&mode=ll`;
}
