/**
 * Pure helpers for recorded-range evidence: the segments a range covers, the gaps inside it, and
 * the digest that is the range item's hash (over each segment's sha256 and times, in order).
 */
import { createHash } from 'node:crypto';

export interface RangeSegment {
  objectKey: string;
  sha256: string;
  bytes: number;
  from: string;
  to: string;
}

export interface Gap {
  from: string;
  to: string;
}

/** Holes shorter than this between segments are muxer jitter, not gaps. */
export const GAP_TOLERANCE_MS = 1500;

/** Uncovered parts of [from, to) given segments sorted by start. */
export function gapsIn(segments: readonly RangeSegment[], from: Date, to: Date, toleranceMs = GAP_TOLERANCE_MS): Gap[] {
  const out: Gap[] = [];
  let covered = from.getTime();
  const end = to.getTime();
  for (const s of segments) {
    const a = Date.parse(s.from);
    const b = Date.parse(s.to);
    if (a - covered > toleranceMs) out.push({ from: new Date(covered).toISOString(), to: new Date(Math.min(a, end)).toISOString() });
    covered = Math.max(covered, b);
    if (covered >= end) break;
  }
  if (end - covered > toleranceMs) out.push({ from: new Date(covered).toISOString(), to: to.toISOString() });
  return out;
}

/** The range item's hash: sha256 over "sha256 from to\n" of each segment, in order. */
export function rangeDigest(segments: readonly RangeSegment[]): string {
  const h = createHash('sha256');
  for (const s of segments) h.update(`${s.sha256} ${s.from} ${s.to}\n`);
  return h.digest('hex');
}
