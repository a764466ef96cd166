/**
 * The recorder's port: where validated recording segments go. The app implements it over
 * recording_segments (server/recordings); add() must be idempotent on the cache key (a restarted
 * worker may offer a cached file again) and must never lose a valid segment because the camera
 * moved to another worker meanwhile (the file is on this worker's disk only).
 */
export interface SegmentRecord {
  cameraId: string;
  /** Key of the cache copy relative to the cache root (`<cameraId>/<file>`, store/layout.ts). */
  cacheKey: string;
  /** S3 key of the archive object (store/layout.ts, from camera and start). */
  objectKey: string;
  /** First frame on the wall clock (ms precision). */
  start: Date;
  /** End of the last frame on the wall clock; never after the next segment's start in one run. */
  end: Date;
  bytes: number;
  sha256: string;
  durationMs: number;
  /** Video frames (samples) in the file; null when the prober could not count them. */
  frames: number | null;
  codec: string | null;
  width: number | null;
  height: number | null;
  /** e.g. timestamps_jumped, frames_mismatch, time_from_name, orphan. */
  flags: string[];
}

export interface RejectedSegment {
  cameraId: string;
  cacheKey: string;
  /** Approximate start (file name) and length, for the record of what was lost. */
  start: Date;
  seconds: number;
  bytes: number;
  reason: string;
}

export interface SegmentSink {
  add(segment: SegmentRecord): Promise<void>;
  /** A closed segment failed validation (optional: recorded as a drop with cause `invalid`). */
  rejected?(segment: RejectedSegment): Promise<void>;
  /**
   * Which of these cache keys (copies on this worker's disk) are indexed already. The recorder's
   * sweep skips them unprobed, and a paused sink never drops one (pause.ts). Optional: a sink
   * without it is offered every cached file (add() answers the indexed ones as duplicates) and,
   * paused, cannot tell an indexed one from a new one.
   */
  indexed?(cacheKeys: readonly string[]): Promise<Set<string>>;
}

export class InMemorySegmentSink implements SegmentSink {
  private readonly byKey = new Map<string, SegmentRecord>();
  private readonly waiters: Array<{ pred: (s: SegmentRecord) => boolean; resolve: (s: SegmentRecord) => void }> = [];

  async add(segment: SegmentRecord): Promise<void> {
    if (this.byKey.has(segment.cacheKey)) return;
    this.byKey.set(segment.cacheKey, segment);
    for (const w of [...this.waiters]) {
      if (w.pred(segment)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(segment);
      }
    }
  }

  async indexed(cacheKeys: readonly string[]): Promise<Set<string>> {
    return new Set(cacheKeys.filter((k) => this.byKey.has(k)));
  }

  list(cameraId?: string): SegmentRecord[] {
    return [...this.byKey.values()].filter((s) => !cameraId || s.cameraId === cameraId).sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  /** Resolves with the first segment (already added or future) that matches. */
  waitFor(pred: (s: SegmentRecord) => boolean): Promise<SegmentRecord> {
    const hit = [...this.byKey.values()].find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
}
