/**
 * Wall layouts and their geometry. Pure. A layout is named by its tile count: the squares 1, 4, 9,
 * 16, 25, and 6 (= "1+5": one large tile of 2x2 in a 3x3 grid) and 8 (= "1+7": 3x3 in a 4x4 grid).
 */
export const LAYOUTS = [1, 4, 9, 16, 25, 6, 8] as const;
export type Layout = (typeof LAYOUTS)[number];

export const MODES = ['flv', 'hls'] as const;
/** 'flv': low latency (FLV over a WebSocket through mpegts.js); 'hls': HLS through hls.js or native. */
export type PlayMode = (typeof MODES)[number];

/** The most tiles any layout shows; slots past the current layout keep their camera. */
export const MAX_SLOTS = 25;

export const isLayout = (v: unknown): v is Layout => (LAYOUTS as readonly unknown[]).includes(v);
export const isMode = (v: unknown): v is PlayMode => (MODES as readonly unknown[]).includes(v);

/** "1+5" / "1+7" for the layouts with one large tile, else the count. */
export const layoutLabel = (l: Layout): string => (l === 6 ? '1+5' : l === 8 ? '1+7' : String(l));

/** "9", "1+5", "6" -> a layout, else null. */
export function parseLayout(v: string | null | undefined): Layout | null {
  if (!v) return null;
  const s = v.trim();
  if (s === '1+5') return 6;
  if (s === '1+7') return 8;
  if (!/^\d{1,2}$/.test(s)) return null;
  const n = Number(s);
  return isLayout(n) ? n : null;
}

/** Where one tile sits in the CSS grid (1-based lines). */
export interface TileArea {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export interface Geometry {
  /** Grid columns (= rows). */
  columns: number;
  /** One area per tile, in slot order (the large tile first). */
  areas: TileArea[];
}

/** Tiles of a `columns` x `columns` grid around one `big` x `big` tile at the top left. */
function oneLarge(columns: number, big: number): Geometry {
  const areas: TileArea[] = [{ row: 1, col: 1, rowSpan: big, colSpan: big }];
  for (let r = 1; r <= columns; r++) {
    for (let c = 1; c <= columns; c++) if (r > big || c > big) areas.push({ row: r, col: c, rowSpan: 1, colSpan: 1 });
  }
  return { columns, areas };
}

export function geometryOf(layout: Layout): Geometry {
  if (layout === 6) return oneLarge(3, 2);
  if (layout === 8) return oneLarge(4, 3);
  const columns = Math.round(Math.sqrt(layout));
  const areas: TileArea[] = [];
  for (let i = 0; i < layout; i++) areas.push({ row: Math.floor(i / columns) + 1, col: (i % columns) + 1, rowSpan: 1, colSpan: 1 });
  return { columns, areas };
}

/** Columns (= rows) of a layout's grid. */
export const columnsOf = (layout: Layout): number => geometryOf(layout).columns;

/** The smallest square layout that holds `n` tiles (at most 25). */
export function layoutFor(n: number): Layout {
  for (const l of [1, 4, 9, 16, 25] as const) if (n <= l) return l;
  return 25;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The tile an arrow key moves the selection to: the nearest tile whose area lies in that
 * direction (by the centres), staying put at the edge.
 */
export function moveSelection(layout: Layout, from: number, dir: Direction): number {
  const { areas } = geometryOf(layout);
  const cur = areas[from];
  if (!cur) return 0;
  const centre = (a: TileArea) => ({ x: a.col + a.colSpan / 2, y: a.row + a.rowSpan / 2 });
  const c = centre(cur);
  let best = from;
  let bestScore = Infinity;
  areas.forEach((a, i) => {
    if (i === from) return;
    const p = centre(a);
    const [along, across] = dir === 'left' ? [c.x - p.x, p.y - c.y] : dir === 'right' ? [p.x - c.x, p.y - c.y] : dir === 'up' ? [c.y - p.y, p.x - c.x] : [p.y - c.y, p.x - c.x];
    if (along <= 0) return;
    // Prefer tiles straight ahead, then the nearest.
    const score = Math.abs(across) * 10 + along;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}
