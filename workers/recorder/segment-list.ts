import { open } from 'node:fs/promises';

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

/**
 * The complete lines appended to a segment list since byte `offset`, and the offset after them.
 * Reads only the new bytes: ffmpeg appends a line per segment for as long as a run lasts (a day of
 * 6 s segments is ~14,000 lines), and the recorder reads it at every segment. A file shorter than `offset`
 * was replaced and is read from its start; a missing file has no lines yet.
 */
export async function readNewLines(file: string, offset: number): Promise<{ lines: string[]; offset: number }> {
  const fh = await open(file, 'r').catch(() => null);
  if (!fh) return { lines: [], offset };
  try {
    const { size } = await fh.stat();
    const from = size < offset ? 0 : offset;
    if (size === from) return { lines: [], offset: from };
    const buf = Buffer.allocUnsafe(size - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    const end = buf.lastIndexOf(0x0a, bytesRead - 1) + 1;
    if (end === 0) return { lines: [], offset: from };
    return { lines: buf.toString('utf8', 0, end).split('\n').filter(Boolean), offset: from + end };
  } finally {
    await fh.close();
  }
}
