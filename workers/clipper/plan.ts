/**
 * Pure clip planning: which recorded files a clip [from, to) reads, where it starts and ends in
 * them (the concat demuxer's inpoint/outpoint, seconds into a file whose timestamps start at 0:
 * the recorder's segment muxer resets them per file), the gaps inside the window, and the
 * concat list and ffmpeg arguments that cut it by stream copy into one MP4 (moov first).
 */

export interface Span {
  /** Epoch ms. */
  start: number;
  end: number;
}

export interface PlannedPiece<F extends Span> {
  file: F;
  /** Seconds into the file to start at (the first piece only; lowered to a keyframe before use). */
  inpoint: number | null;
  /** Seconds into the file to stop at (the last piece only, when the window ends inside it). */
  outpoint: number | null;
}

export interface ClipPlan<F extends Span> {
  pieces: PlannedPiece<F>[];
  /** Parts of [from, to) nothing was recorded for (longer than the tolerance). */
  gaps: Span[];
}

/** Holes between the ledger's segments shorter than this are the muxer's seams, not gaps (server/ledger uses the same). */
export const GAP_TOLERANCE_MS = 1_500;

export function planClip<F extends Span>(files: readonly F[], from: number, to: number, toleranceMs = GAP_TOLERANCE_MS): ClipPlan<F> {
  const inWindow = [...files].filter((f) => f.end > from && f.start < to && f.end > f.start).sort((a, b) => a.start - b.start);
  const kept: F[] = [];
  for (const f of inWindow) {
    const last = kept[kept.length - 1];
    // A file inside the one before it (a re-indexed duplicate) adds nothing.
    if (last && f.end <= last.end) continue;
    kept.push(f);
  }
  const gaps: Span[] = [];
  let cursor = from;
  for (const f of kept) {
    if (f.start - cursor > toleranceMs) gaps.push({ start: cursor, end: f.start });
    cursor = Math.max(cursor, f.end);
  }
  if (to - cursor > toleranceMs) gaps.push({ start: cursor, end: to });
  const pieces = kept.map((file, i) => ({
    file,
    inpoint: i === 0 && from > file.start ? (from - file.start) / 1000 : null,
    outpoint: i === kept.length - 1 && to < file.end ? (to - file.start) / 1000 : null,
  }));
  return { pieces, gaps };
}

/** The last keyframe at or before `t` (seconds); the first keyframe (or 0) when none is. */
export function keyframeAtOrBefore(keyframes: readonly number[], t: number): number {
  let best: number | null = null;
  for (const k of keyframes) if (k <= t + 1e-6 && (best === null || k > best)) best = k;
  return best ?? Math.min(0, ...keyframes);
}

/** The clip's wall-clock start and end and its media length (the gaps between pieces are not in the file). */
export function clipTimes<F extends Span>(pieces: readonly PlannedPiece<F>[], startKeyframe: number): { actualFrom: number; actualTo: number; mediaMs: number } {
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const actualFrom = first.file.start + Math.round(startKeyframe * 1000);
  const endOf = (p: PlannedPiece<F>) => (p.outpoint === null ? p.file.end : Math.min(p.file.end, p.file.start + Math.round(p.outpoint * 1000)));
  const mediaMs = pieces.reduce((sum, p, i) => sum + endOf(p) - (i === 0 ? actualFrom : p.file.start), 0);
  return { actualFrom, actualTo: endOf(last), mediaMs };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const secs = (n: number) => n.toFixed(6);

/** The concat demuxer's script: one `file` per piece, with inpoint/outpoint where set. */
export function concatList(pieces: ReadonlyArray<{ input: string; inpoint: number | null; outpoint: number | null }>): string {
  const lines = ['ffconcat version 1.0'];
  for (const p of pieces) {
    if (/[\r\n]/.test(p.input)) throw new Error('a clip input name may not contain a line break');
    lines.push(`file ${quote(p.input)}`);
    if (p.inpoint !== null && p.inpoint > 0) lines.push(`inpoint ${secs(p.inpoint)}`);
    if (p.outpoint !== null) lines.push(`outpoint ${secs(p.outpoint)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Stream copy of the concat list into one MP4 with the moov box first (faststart); progress as `time=` on stderr. */
export function clipArgs(listPath: string, outPath: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-stats',
    '-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,http,tcp',
    '-i', listPath,
    '-map', '0:v:0', '-map', '0:a?', '-c', 'copy',
    '-movflags', '+faststart',
    '-f', 'mp4', '-y', outPath,
  ];
}

/** Video keyframe times of one recorded file up to `untilSec` (ffprobe, csv "pts_time,flags"). */
export function keyframeProbeArgs(input: string, untilSec: number): string[] {
  return [
    '-v', 'error', '-protocol_whitelist', 'file,http,tcp',
    '-read_intervals', `%+${Math.ceil(untilSec + 1)}`,
    '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0',
    input,
  ];
}

export function parseKeyframes(csv: string): number[] {
  const out: number[] = [];
  for (const line of csv.split('\n')) {
    const [pts, flags] = line.trim().split(',');
    if (pts && flags?.includes('K') && Number.isFinite(Number(pts))) out.push(Number(pts));
  }
  return out;
}

/** The last `time=HH:MM:SS.cc` in ffmpeg's stats output, in seconds (null when none yet). */
export function statsTime(stderr: string): number | null {
  const all = [...stderr.matchAll(/time=\s*(-?)(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
  const m = all[all.length - 1];
  if (!m) return null;
  return m[1] ? 0 : Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}
