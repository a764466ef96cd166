/**
 * The hot tier: which cached copies to delete, and why. Pure: the caller lists the files, reads
 * the index state of each, the free space and the holds, and deletes what this returns.
 *
 * - `archived`: archived (verified in S3) longer ago than `cacheKeepMs`: the cache copy goes;
 * - `disk`: free space is below the floor: archived copies go first (oldest first, any age);
 * - `disk_unarchived`: still below the floor with no archived copy left: the oldest un-archived
 *   segments go (never one under a legal hold) — the caller raises the alarm first and records
 *   every such drop. Un-archived data is never touched while an archived copy could go instead.
 * A file modified within `busyMs` is never touched (ffmpeg may be writing it).
 */
export interface CachedSegment {
  cameraId: string;
  cacheKey: string;
  start: Date;
  bytes: number;
  mtimeMs: number;
  /** When its archive copy was verified; null: not archived (or not indexed yet). */
  archivedAt: number | null;
  /** Inside a legal hold of its camera. */
  held: boolean;
  /** An upload holds a claim on it right now. */
  uploading: boolean;
}

export type DeleteReason = 'archived' | 'disk' | 'disk_unarchived';

export interface CachePlanInput {
  segments: readonly CachedSegment[];
  freeBytes: number;
  minFreeBytes: number;
  cacheKeepMs: number;
  now: number;
  busyMs: number;
}

export interface Deletion {
  segment: CachedSegment;
  reason: DeleteReason;
}

const byAge = (a: CachedSegment, b: CachedSegment) => a.start.getTime() - b.start.getTime() || a.cacheKey.localeCompare(b.cacheKey);

export function planCache(input: CachePlanInput): Deletion[] {
  const out: Deletion[] = [];
  const archived: CachedSegment[] = [];
  const unarchived: CachedSegment[] = [];
  for (const s of input.segments) {
    if (input.now - s.mtimeMs < input.busyMs) continue;
    if (s.archivedAt === null) unarchived.push(s);
    else if (input.now - s.archivedAt >= input.cacheKeepMs) out.push({ segment: s, reason: 'archived' });
    else archived.push(s);
  }
  let free = input.freeBytes + out.reduce((n, d) => n + d.segment.bytes, 0);
  for (const s of archived.sort(byAge)) {
    if (free >= input.minFreeBytes) return out;
    out.push({ segment: s, reason: 'disk' });
    free += s.bytes;
  }
  for (const s of unarchived.filter((x) => !x.held && !x.uploading).sort(byAge)) {
    if (free >= input.minFreeBytes) return out;
    out.push({ segment: s, reason: 'disk_unarchived' });
    free += s.bytes;
  }
  return out;
}
