/**
 * Recording pause of one worker's cache. When the free-disk guard leaves the disk below its floor
 * with only held (legal hold) or uploading un-archived footage left (cache-janitor.ts `full`),
 * recording on this node stops rather than touch held footage: every new segment is dropped on
 * arrival and recorded as a disk_guard drop (so the continuity ledger names the gap), until a guard
 * pass finds room again. ffmpeg keeps running, so live view is not interrupted. A segment that is
 * indexed already (a sweep of a new recorder offering an old file) is never dropped: its copy may be
 * held or not yet archived, and its row would be left naming a deleted file.
 */
import type { SegmentRecord, SegmentSink } from './sink';

export interface DiskFull {
  freeBytes: number;
  minFreeBytes: number;
  /** Un-archived footage the guard may not delete (held or being uploaded), and its cameras. */
  heldSegments: number;
  heldBytes: number;
  cameras: string[];
}

export interface PausableSink extends SegmentSink {
  /** Set by each guard pass: the disk is full (pause) or not (null: record again). */
  setFull(full: DiskFull | null): void;
  readonly full: DiskFull | null;
}

/**
 * `drop` removes the new segment's cache copy and records the loss; it is called only for a segment
 * `inner.indexed` does not name (a failed look-up fails the add: the file stays for a later offer).
 */
export function pausableSink(inner: SegmentSink, drop: (segment: SegmentRecord, full: DiskFull) => Promise<void>): PausableSink {
  let full: DiskFull | null = null;
  return {
    get full() {
      return full;
    },
    setFull(f) {
      full = f;
    },
    async add(segment) {
      if (!full) return inner.add(segment);
      const paused = full;
      if ((await inner.indexed?.([segment.cacheKey]))?.has(segment.cacheKey)) return;
      return drop(segment, paused);
    },
    rejected: inner.rejected?.bind(inner),
    indexed: inner.indexed?.bind(inner),
  };
}
