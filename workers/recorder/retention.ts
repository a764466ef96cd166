/**
 * Which cached recording segments to delete, and why. Pure: the caller lists the files, reads the
 * free disk space and the cameras' retention, and deletes what this returns.
 *
 * - `retention`: older than the camera's retention days;
 * - `deleted_camera`: the camera is gone from the registry (its index rows went with it);
 * - `disk`: free space is below the floor, so the oldest segments (of any camera) go first until
 *   it is back above it: recording goes on, the oldest footage is what is lost — never the newest.
 * A file modified within `busyMs` is never touched (ffmpeg may be writing it).
 */
export interface CachedSegment {
  cameraId: string;
  path: string;
  start: Date;
  bytes: number;
  mtimeMs: number;
}

export type DeleteReason = 'retention' | 'deleted_camera' | 'disk';

export interface RetentionInput {
  segments: readonly CachedSegment[];
  /** Retention in days per camera; a camera missing from the map is no longer registered. */
  retentionDays: ReadonlyMap<string, number>;
  freeBytes: number;
  minFreeBytes: number;
  now: number;
  busyMs: number;
}

export interface Deletion {
  segment: CachedSegment;
  reason: DeleteReason;
}

const DAY_MS = 86_400_000;

export function planRetention(input: RetentionInput): Deletion[] {
  const out: Deletion[] = [];
  const keep: CachedSegment[] = [];
  for (const s of input.segments) {
    if (input.now - s.mtimeMs < input.busyMs) continue;
    const days = input.retentionDays.get(s.cameraId);
    if (days === undefined) out.push({ segment: s, reason: 'deleted_camera' });
    else if (s.start.getTime() < input.now - days * DAY_MS) out.push({ segment: s, reason: 'retention' });
    else keep.push(s);
  }
  let free = input.freeBytes + out.reduce((n, d) => n + d.segment.bytes, 0);
  if (free >= input.minFreeBytes) return out;
  keep.sort((a, b) => a.start.getTime() - b.start.getTime() || a.path.localeCompare(b.path));
  for (const s of keep) {
    if (free >= input.minFreeBytes) break;
    out.push({ segment: s, reason: 'disk' });
    free += s.bytes;
  }
  return out;
}
