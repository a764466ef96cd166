/**
 * Recording pause of one worker's cache. When the free-disk guard leaves the disk below its floor
 * with only held (legal hold) or uploading un-archived footage left (cache-janitor.ts `full`),
 * recording on this node stops rather than touch held footage: every new segment is dropped on
 * arrival and recorded as a disk_guard drop (so the continuity ledger names the gap), until a guard
 * pass finds room again. ffmpeg keeps running, so live view is not interrupted.
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

/** `drop` removes the new segment's cache copy and records the loss. */
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
      if (full) return drop(segment, full);
      return inner.add(segment);
    },
    rejected: inner.rejected?.bind(inner),
  };
}
