/** Parses lines of ffmpeg's CSV segment list: `name,start_seconds,end_seconds` (name may be quoted). */
export interface SegmentListEntry {
  name: string;
  startSec: number;
  endSec: number;
}

export function parseSegmentListLine(line: string): SegmentListEntry | null {
  const m = /^(?:"((?:[^"]|"")*)"|([^,]*)),([-\d.e+]+),([-\d.e+]+)\s*$/.exec(line.trim());
  if (!m) return null;
  const name = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!;
  const startSec = Number(m[3]);
  const endSec = Number(m[4]);
  if (!name || !Number.isFinite(startSec) || !Number.isFinite(endSec)) return null;
  return { name, startSec, endSec };
}
