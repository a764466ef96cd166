/**
 * The wall the operator sees: layout, mode and the camera per slot. Remembered in localStorage,
 * opened from a bookmarkable URL (`/wall?layout=N&cameras=ID1,ID2,...&mode=ll|hls`), filled from
 * a group of cameras in one action, saved server-side (api/walls.ts). Pure.
 */
import { isLayout, isMode, layoutFor, MAX_SLOTS, parseLayout, type Layout, type PlayMode } from './layout';

export interface WallSettings {
  layout: Layout;
  mode: PlayMode;
  /** Camera id per slot (length MAX_SLOTS); null = empty tile. */
  slots: (string | null)[];
}

const emptySlots = () => Array<string | null>(MAX_SLOTS).fill(null);

export const DEFAULT_WALL: WallSettings = { layout: 4, mode: 'flv', slots: emptySlots() };

const ID = /^[0-9a-zA-Z-]{1,64}$/;

/** The camera ids shown by the current layout (first `layout` slots). */
export const visibleSlots = (w: WallSettings): (string | null)[] => w.slots.slice(0, w.layout);

/** Valid, distinct ids into MAX_SLOTS slots (junk and repeats become empty tiles). */
export function normaliseSlots(list: readonly unknown[]): (string | null)[] {
  const slots = emptySlots();
  const seen = new Set<string>();
  list.slice(0, MAX_SLOTS).forEach((v, i) => {
    if (typeof v === 'string' && ID.test(v) && !seen.has(v)) {
      slots[i] = v;
      seen.add(v);
    }
  });
  return slots;
}

/** Puts a camera into a slot (or clears it); a camera already elsewhere on the wall moves here. */
export function assignSlot(w: WallSettings, index: number, cameraId: string | null): WallSettings {
  if (index < 0 || index >= MAX_SLOTS) return w;
  const slots = w.slots.map((id) => (cameraId !== null && id === cameraId ? null : id));
  slots[index] = cameraId;
  return { ...w, slots };
}

/** Swaps two slots (a tile dragged onto another). */
export function swapSlots(w: WallSettings, a: number, b: number): WallSettings {
  if (a === b || a < 0 || b < 0 || a >= MAX_SLOTS || b >= MAX_SLOTS) return w;
  const slots = [...w.slots];
  [slots[a], slots[b]] = [slots[b] ?? null, slots[a] ?? null];
  return { ...w, slots };
}

/**
 * Fills the wall with a group of cameras in one action: the first `MAX_SLOTS` of them from the
 * first slot on; the layout grows to the smallest square that shows them all unless `keepLayout`
 * and it already does.
 */
export function fillWall(w: WallSettings, cameraIds: readonly string[], keepLayout = false): WallSettings {
  const slots = normaliseSlots(cameraIds);
  const n = slots.filter((s) => s !== null).length;
  const layout = keepLayout && n <= w.layout ? w.layout : layoutFor(Math.max(1, n));
  return { ...w, layout, slots };
}

/** Whatever was stored (old versions, hand edits, junk) -> valid settings. */
export function parseWall(text: string | null): WallSettings {
  if (!text) return DEFAULT_WALL;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return DEFAULT_WALL;
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_WALL;
  const r = raw as Record<string, unknown>;
  const slots = Array.isArray(r.slots) ? normaliseSlots(r.slots) : emptySlots();
  return { layout: isLayout(r.layout) ? r.layout : DEFAULT_WALL.layout, mode: isMode(r.mode) ? r.mode : DEFAULT_WALL.mode, slots };
}

export const serialiseWall = (w: WallSettings): string => JSON.stringify({ v: 1, layout: w.layout, mode: w.mode, slots: w.slots });

/** `mode=ll` (low latency) is FLV; `hls` is HLS. */
const modeOfQuery = (v: string | null): PlayMode | null => (v === 'll' || v === 'flv' ? 'flv' : v === 'hls' ? 'hls' : null);

/**
 * A wall from `?layout=N&cameras=ID1,ID2,...&mode=ll|hls`, or null when the query names none of
 * them. Missing parts come from `base`; empty entries (`a,,b`) keep their slot empty; a layout too
 * small for the cameras grows to fit them.
 */
export function wallFromQuery(search: string, base: WallSettings): WallSettings | null {
  const q = new URLSearchParams(search);
  if (!q.has('layout') && !q.has('cameras') && !q.has('mode')) return null;
  const layout = parseLayout(q.get('layout'));
  const mode = modeOfQuery(q.get('mode')) ?? base.mode;
  if (!q.has('cameras')) return { ...base, layout: layout ?? base.layout, mode };
  const list = (q.get('cameras') ?? '').split(',').map((s) => s.trim() || null);
  const slots = normaliseSlots(list);
  const last = slots.reduce((m, s, i) => (s !== null ? i + 1 : m), 0);
  const fits = layout !== null && layout >= last;
  return { layout: fits ? layout : layoutFor(Math.max(1, last)), mode, slots };
}

/** The bookmarkable query of a wall (trailing empty slots dropped). */
export function wallQuery(w: WallSettings): string {
  const shown = visibleSlots(w);
  let end = shown.length;
  while (end > 0 && shown[end - 1] === null) end--;
  const q = new URLSearchParams({ layout: String(w.layout), mode: w.mode === 'flv' ? 'll' : 'hls' });
  if (end > 0) q.set('cameras', shown.slice(0, end).map((s) => s ?? '').join(','));
  return `?${q.toString().replace(/%2C/g, ',')}`;
}
