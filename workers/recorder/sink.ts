/**
 * Where validated recording segments go. The lead wires this to the PostgreSQL `segments`
 * table; add() must be idempotent on `path` (a restarted worker may offer a cached file again).
 */
export interface SegmentRecord {
  cameraId: string;
  /** Absolute path of the file in the local cache. */
  path: string;
  start: Date;
  end: Date;
  bytes: number;
  sha256: string;
}

export interface SegmentSink {
  add(segment: SegmentRecord): Promise<void>;
}

export class InMemorySegmentSink implements SegmentSink {
  private readonly byPath = new Map<string, SegmentRecord>();
  private readonly waiters: Array<{ pred: (s: SegmentRecord) => boolean; resolve: (s: SegmentRecord) => void }> = [];

  async add(segment: SegmentRecord): Promise<void> {
    if (this.byPath.has(segment.path)) return;
    this.byPath.set(segment.path, segment);
    for (const w of [...this.waiters]) {
      if (w.pred(segment)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(segment);
      }
    }
  }

  list(cameraId?: string): SegmentRecord[] {
    return [...this.byPath.values()].filter((s) => !cameraId || s.cameraId === cameraId).sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  /** Resolves with the first segment (already added or future) that matches. */
  waitFor(pred: (s: SegmentRecord) => boolean): Promise<SegmentRecord> {
    const hit = [...this.byPath.values()].find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
}
