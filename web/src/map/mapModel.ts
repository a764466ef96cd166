/**
 * The map's pure logic: which cameras show (filters), how live events change the set, the
 * screen-grid clustering that keeps 100+ markers readable at county zoom, and the selected area
 * (circle or rectangle) as a registry query and as an incident's point and radius. Unit-tested.
 */
import type { CameraKind, CameraStatus, EnrollmentState, Role } from '@common/domain';
import type { Incident } from '@common/incidents';
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

/** An area drawn on the map: a circle (radius search) or a rectangle (bounding-box search). */
export type MapArea = { shape: 'circle'; lat: number; lon: number; radius: number } | { shape: 'rect'; south: number; west: number; north: number; east: number };

/** How the area is drawn: a dragged circle or a dragged rectangle. */
export type SelectShape = MapArea['shape'];

/** The rectangle with these two corners (in any order), rounded to 7 decimals (about 1 cm). */
export function rectBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): MapArea {
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  return { shape: 'rect', south: r(Math.min(a.lat, b.lat)), west: r(Math.min(a.lon, b.lon)), north: r(Math.max(a.lat, b.lat)), east: r(Math.max(a.lon, b.lon)) };
}

/** The registry's query for the area: lat/lon/radius (nearest first) or bbox=minLon,minLat,maxLon,maxLat. */
export function areaQuery(a: MapArea): { lat: number; lon: number; radius: number } | { bbox: string } {
  return a.shape === 'circle' ? { lat: a.lat, lon: a.lon, radius: a.radius } : { bbox: `${a.west},${a.south},${a.east},${a.north}` };
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The area as an incident's point and radius: a circle as drawn; a rectangle's centre and half its diagonal (whole metres, at least 1). */
export function areaAsCircle(a: MapArea): { lat: number; lon: number; radius: number } {
  if (a.shape === 'circle') return { lat: a.lat, lon: a.lon, radius: a.radius };
  const centre = { lat: (a.south + a.north) / 2, lon: (a.west + a.east) / 2 };
  return { ...centre, radius: Math.max(1, Math.ceil(metresBetween(centre, { lat: a.north, lon: a.east }))) };
}

/**
 * Incidents the selection may go to: not closed, and changeable by the user (server/incidents/access.ts:
 * operators change those they created; investigators and admins what they see; merchants none).
 */
export function incidentTakesCameras(i: Incident, user: { id: string; role: Role }): boolean {
  if (i.status === 'closed') return false;
  switch (user.role) {
    case 'admin':
    case 'investigator':
      return true;
    case 'operator':
      return i.createdBy?.id === user.id;
    case 'merchant':
      return false;
  }
}
