/** A saved wall (server) <-> the wall on screen. Pure. */
import type { SavedWall, SavedWallInput } from '@web/api/walls';
import { isLayout, layoutFor } from './layout';
import { normaliseSlots, visibleSlots, type WallSettings } from './wallState';

export function fromSaved(s: SavedWall): WallSettings {
  const slots = normaliseSlots(s.cameras);
  const last = slots.reduce((m, id, i) => (id !== null ? i + 1 : m), 0);
  const layout = isLayout(s.layout) && s.layout >= last ? s.layout : layoutFor(Math.max(1, last));
  return { layout, mode: s.mode === 'hls' ? 'hls' : 'flv', slots };
}

/** The wall on screen as a save request (tiles past the layout are not saved; trailing empties dropped). */
export function toSavedInput(w: WallSettings, name: string, shared: boolean, stationId: string | null): SavedWallInput {
  const cameras = visibleSlots(w);
  while (cameras.length > 0 && cameras[cameras.length - 1] === null) cameras.pop();
  return { name: name.trim(), layout: w.layout, mode: w.mode === 'flv' ? 'll' : 'hls', cameras, shared, stationId: shared ? stationId : null };
}
