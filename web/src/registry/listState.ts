/**
 * The registry list as a pure reducer: pages from the API plus realtime patches.
 * Realtime rules: created -> prepended when it matches the filters; updated -> replaced (never by
 * an older version) or dropped when it no longer matches; deleted -> removed; status -> patched in
 * place. When a free-text query decides membership (server-side search) the list is flagged stale.
 */
import type { Camera, CameraFilters, CameraPage } from '@web/api/types';
import type { RealtimeEvent } from '@web/realtime/events';

export interface ListState {
  items: Camera[];
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
  /** Something changed that the list cannot show without a reload. */
  stale: boolean;
}

export const initialList: ListState = { items: [], nextCursor: null, loading: false, loaded: false, stale: false };

export type ListAction =
  | { type: 'request' }
  | { type: 'loaded'; page: CameraPage; append: boolean }
  | { type: 'failed' }
  | { type: 'upsert'; camera: Camera; filters: CameraFilters }
  | { type: 'remove'; id: string }
  | { type: 'event'; event: RealtimeEvent; filters: CameraFilters };

/** true/false when the structured filters decide; 'unknown' when only the server's search can. */
export function matchesFilters(c: Camera, f: CameraFilters): boolean | 'unknown' {
  if (f.kind && c.kind !== f.kind) return false;
  if (f.status && c.status !== f.status) return false;
  if (f.enrollment && c.enrollmentState !== f.enrollment) return false;
  if (f.stationId && c.stationId !== f.stationId) return false;
  if (f.zoneId && c.patrolZoneId !== f.zoneId) return false;
  if (f.tag && !c.tags.includes(f.tag)) return false;
  if (f.q && f.q.trim()) return 'unknown';
  return true;
}

function upsert(state: ListState, camera: Camera, filters: CameraFilters, isNew: boolean): ListState {
  const idx = state.items.findIndex((c) => c.id === camera.id);
  const match = matchesFilters(camera, filters);
  if (idx >= 0) {
    const current = state.items[idx]!;
    if (camera.version < current.version) return state;
    if (match === false) return { ...state, items: state.items.filter((c) => c.id !== camera.id) };
    const items = state.items.slice();
    items[idx] = camera;
    return { ...state, items };
  }
  if (match === true && isNew) return { ...state, items: [camera, ...state.items] };
  if (match === false) return state;
  return { ...state, stale: true };
}

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'request':
      return { ...state, loading: true };
    case 'loaded': {
      if (!action.append) return { items: action.page.items, nextCursor: action.page.nextCursor, loading: false, loaded: true, stale: false };
      const seen = new Set(state.items.map((c) => c.id));
      const more = action.page.items.filter((c) => !seen.has(c.id));
      return { ...state, items: [...state.items, ...more], nextCursor: action.page.nextCursor, loading: false, loaded: true };
    }
    case 'failed':
      return { ...state, loading: false };
    case 'upsert':
      return upsert(state, action.camera, action.filters, true);
    case 'remove':
      return { ...state, items: state.items.filter((c) => c.id !== action.id) };
    case 'event':
      return applyEvent(state, action.event, action.filters);
  }
}

function applyEvent(state: ListState, e: RealtimeEvent, filters: CameraFilters): ListState {
  switch (e.type) {
    case 'created':
      return upsert(state, e.camera, filters, true);
    case 'updated':
      return upsert(state, e.camera, filters, false);
    case 'deleted':
      return state.items.some((c) => c.id === e.id) ? { ...state, items: state.items.filter((c) => c.id !== e.id) } : state;
    case 'status': {
      const idx = state.items.findIndex((c) => c.id === e.cameraId);
      if (idx < 0) return state;
      const current = state.items[idx]!;
      if (current.statusChangedAt && Date.parse(e.at) < Date.parse(current.statusChangedAt)) return state;
      const items = state.items.slice();
      items[idx] = { ...current, status: e.status, statusCause: e.cause, statusChangedAt: e.at };
      return { ...state, items };
    }
    case 'resync':
      return { ...state, stale: true };
  }
}
