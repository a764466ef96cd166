/**
 * Ledger rules over the ports: a camera's timeline, the fleet coverage report, and the cameras
 * whose current gap is open longer than a threshold (for the gap alert).
 */
import type { Clock } from '@common/clock';
import type { GapCause, Timeline } from '@common/timeline';
import { computeLedger, coverageOf, type Ledger } from './ledger';
import { OpenGaps, type OpenGap } from './open-gaps';
import type { CameraFacts, RecordingIndex } from './ports';
import type { StatusSource } from './status-source';

export interface LedgerDeps {
  index: RecordingIndex;
  status: Pick<StatusSource, 'history' | 'histories' | 'camera' | 'recordingCameras' | 'quietRecordingCameras'>;
  clock: Clock;
  /** ingest.recordingSegment: the open segment is not indexed until it closes. */
  segmentMs: number;
}

export interface CoverageItem {
  cameraId: string;
  name: string;
  coverage: number;
  recordedSeconds: number;
  /** Seconds missing, by cause. */
  missing: Partial<Record<GapCause, number>>;
}

export interface CoverageReport {
  from: string;
  to: string;
  below: number;
  items: CoverageItem[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export class LedgerService {
  private readonly open: OpenGaps;

  constructor(private readonly deps: LedgerDeps) {
    this.open = new OpenGaps({ index: deps.index, status: deps.status, openSegmentMs: this.openSegmentMs });
  }

  /** How long the segment being written may trail behind now before its absence is a gap. */
  get openSegmentMs(): number {
    return this.deps.segmentMs + 10_000;
  }

  async ledger(camera: CameraFacts, from: Date, to: Date): Promise<Ledger> {
    const [segments, history, drops] = await Promise.all([
      this.deps.index.listSegments(camera.id, from, to),
      this.deps.status.history(camera.id, from, to),
      this.deps.index.drops(camera.id, from, to),
    ]);
    return computeLedger({
      from: from.getTime(),
      to: to.getTime(),
      now: this.deps.clock.now().getTime(),
      segments: segments.map((s) => ({ start: s.start.getTime(), end: s.end.getTime() })),
      history,
      drops,
      createdAt: camera.createdAt.getTime(),
      retentionDays: camera.retentionDays,
      openSegmentMs: this.openSegmentMs,
    });
  }

  /** GET /cameras/{id}/timeline (the route checks the caller may see the camera); null: no such camera. */
  async timeline(cameraId: string, from: Date, to: Date): Promise<Timeline | null> {
    const camera = await this.deps.status.camera(cameraId);
    if (!camera) return null;
    const l = await this.ledger(camera, from, to);
    return {
      spans: l.spans.map((s) => ({ from: iso(s.start), to: iso(s.end) })),
      gaps: l.gaps.map((g) => ({ from: iso(g.start), to: iso(g.end), cause: g.cause })),
    };
  }

  /** Recording cameras whose coverage over the last `hours` is below `below` (0..1), worst first. */
  async coverage(hours: number, below: number, limit = 500): Promise<CoverageReport> {
    const to = this.deps.clock.now();
    const from = new Date(to.getTime() - hours * 3_600_000);
    const [cameras, recorded] = await Promise.all([this.deps.status.recordingCameras(), this.deps.index.recordedMs(from, to)]);
    const candidates = cameras
      .map((c) => {
        const start = Math.max(from.getTime(), c.createdAt.getTime());
        const total = to.getTime() - start - this.openSegmentMs;
        return { c, share: total > 0 ? Math.min(1, (recorded.get(c.id) ?? 0) / total) : 1 };
      })
      .filter((x) => x.share < below)
      .sort((a, b) => a.share - b.share)
      .slice(0, limit);
    const items: CoverageItem[] = [];
    for (const { c } of candidates) {
      const l = await this.ledger(c, from, to);
      const share = coverageOf(l);
      if (share >= below) continue;
      const missing: CoverageItem['missing'] = {};
      for (const g of l.gaps) missing[g.cause] = Math.round(((missing[g.cause] ?? 0) + (g.end - g.start) / 1000) * 1000) / 1000;
      items.push({ cameraId: c.id, name: c.name, coverage: Math.round(share * 10_000) / 10_000, recordedSeconds: Math.round(l.recordedMs / 1000), missing });
    }
    return { from: from.toISOString(), to: to.toISOString(), below, items };
  }

  /** Recording cameras with no segment for longer than `thresholdMs` (beyond the open segment), and why (open-gaps.ts). */
  openGaps(thresholdMs: number): Promise<OpenGap[]> {
    return this.open.list(thresholdMs, this.deps.clock.now());
  }
}
