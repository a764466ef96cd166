/** Wall layouts and the remembered wall (layout, mode, camera per slot). Pure. */
export const LAYOUTS = [1, 4, 9, 16] as const;
export type Layout = (typeof LAYOUTS)[number];

export const MODES = ['flv', 'hls'] as const;
/** 'flv': low latency (HTTP-FLV through mpegts.js); 'hls': HLS through hls.js or native. */
export type PlayMode = (typeof MODES)[number];

/** The most tiles any layout shows; slots past the current layout keep their camera. */
export const MAX_SLOTS = 16;

export interface WallSettings {
  layout: Layout;
  mode: PlayMode;
  /** Camera id per slot (length MAX_SLOTS); null = empty tile. */
  slots: (string | null)[];
}

export const DEFAULT_WALL: WallSettings = { layout: 4, mode: 'flv', slots: Array<string | null>(MAX_SLOTS).fill(null) };

/** Columns (= rows) of a square layout: 1, 2, 3, 4. */
export const columnsOf = (layout: Layout): number => Math.round(Math.sqrt(layout));

export const isLayout = (v: unknown): v is Layout => (LAYOUTS as readonly unknown[]).includes(v);
export const isMode = (v: unknown): v is PlayMode => (MODES as readonly unknown[]).includes(v);

/** The camera ids shown by the current layout (first `layout` slots). */
export const visibleSlots = (w: WallSettings): (string | null)[] => w.slots.slice(0, w.layout);

/** Puts a camera into a slot (or clears it); a camera already elsewhere on the wall moves here. */
export function assignSlot(w: WallSettings, index: number, cameraId: string | null): WallSettings {
  if (index < 0 || index >= MAX_SLOTS) return w;
  const slots = w.slots.map((id) => (cameraId !== null && id === cameraId ? null : id));
  slots[index] = cameraId;
  return { ...w, slots };
}

const ID = /^[0-9a-zA-Z-]{1,64}$/;

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
  const slots = Array<string | null>(MAX_SLOTS).fill(null);
  const seen = new Set<string>();
  if (Array.isArray(r.slots)) {
    r.slots.slice(0, MAX_SLOTS).forEach((v, i) => {
      if (typeof v === 'string' && ID.test(v) && !seen.has(v)) {
        slots[i] = v;
        seen.add(v);
      }
    });
  }
  return { layout: isLayout(r.layout) ? r.layout : DEFAULT_WALL.layout, mode: isMode(r.mode) ? r.mode : DEFAULT_WALL.mode, slots };
}

export const serialiseWall = (w: WallSettings): string => JSON.stringify({ v: 1, layout: w.layout, mode: w.mode, slots: w.slots });
