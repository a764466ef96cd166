/**
 * The open recording gaps: the recording cameras that have recorded nothing for longer than a
 * threshold, since when, and why. The gap alert and the alarm evaluator ask every few seconds.
 *
 * A camera's open gap runs from its newest kept segment's end (or its creation) to now, so its
 * start stays put however long the camera has been quiet. Its cause is the ledger's for the gap's
 * last day (the statuses and drop records in it; openGapCause). One query a pass finds the quiet
 * cameras; the cause is worked out for a batch of cameras at a time and kept, keyed by the
 * camera's newest segment and its last status change (a status history row is written only with
 * one), and worked out again after REFRESH_MS (the day window slides; a drop record written inside
 * a gap, a segment that failed validation, changes neither key: a new one may change the cause
 * named, never whether the gap is reported, as a trailing in-progress part after a drop is the
 * drop's). Without this, a county of 100,000 quiet cameras (ingest off, a network down) cost three
 * queries per camera per pass, and the gap alert and the evaluator kept half a core busy between
 * them; a camera quiet for more than a day was re-alerted and its alarm resolved and raised again
 * every pass, because its gap started a day ago "now".
 */
import type { GapCause } from '@common/timeline';
import { forEachYielding } from '@common/yielding';
import { computeLedger, type LedgerGap } from './ledger';
import type { RecordingIndex } from './ports';
import type { QuietCamera, StatusSource } from './status-source';

export interface OpenGap {
  camera: { id: string; ownerUserId: string | null };
  since: Date;
  cause: GapCause;
  ms: number;
}

export interface OpenGapsDeps {
  index: Pick<RecordingIndex, 'dropsOf'>;
  status: Pick<StatusSource, 'quietRecordingCameras' | 'histories'>;
  /** How long the segment being written may trail behind now before its absence is a gap. */
  openSegmentMs: number;
}

/** How often the gap alert and the alarm evaluator look at the open gaps: a quarter of the threshold, 1–15 s. */
export function gapCheckEveryMs(thresholdMs: number): number {
  return Math.max(1_000, Math.min(15_000, Math.floor(thresholdMs / 4)));
}

const DAY = 86_400_000;
/** A kept answer is worked out again after this long. */
export const REFRESH_MS = 5 * 60_000;
/** Cameras whose cause is worked out in one pair of queries. */
const BATCH = 500;

interface Known {
  since: number;
  statusKey: string;
  cause: GapCause | null;
  /** When the cause was worked out. */
  at: number;
  /** The pass that last saw the camera quiet. */
  pass: number;
  /** The gap as last returned (its since, a Date, made once). */
  gap?: OpenGap;
}

export class OpenGaps {
  private readonly known = new Map<string, Known>();
  private last: { thresholdMs: number; at: number; gaps: OpenGap[] } | null = null;
  private pass = 0;
  /** The pass in progress: passes take turns (see list). */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: OpenGapsDeps) {}

  /**
   * Recording cameras with no segment for longer than `thresholdMs` (beyond the open segment) at
   * `now`, and why. A list younger than half of gapCheckEveryMs is reused: the gap alert and the
   * alarm evaluator ask at the same pace, and one query a period serves both. Passes take turns:
   * two at once each dropped the cameras the other had just worked out (a pass forgets every
   * camera it did not see itself), and at 100,000 quiet cameras on PGlite did the work twice.
   */
  list(thresholdMs: number, now: Date): Promise<OpenGap[]> {
    const pass = this.turn.then(() => this.listNow(thresholdMs, now));
    this.turn = pass.catch(() => undefined);
    return pass;
  }

  private async listNow(thresholdMs: number, now: Date): Promise<OpenGap[]> {
    const t = now.getTime();
    if (this.last?.thresholdMs === thresholdMs && t >= this.last.at && t - this.last.at < gapCheckEveryMs(thresholdMs) / 2) return this.last.gaps;
    const quiet = await this.deps.status.quietRecordingCameras(new Date(t - thresholdMs), new Date(t - thresholdMs - this.deps.openSegmentMs));
    const pass = ++this.pass;
    // Each walk over the quiet cameras turns the event loop every SLICE of them (forEachYielding):
    // at 100,000 a walk held it ~100 ms.
    const stale: QuietCamera[] = [];
    await forEachYielding(quiet, (q) => {
      const k = this.known.get(q.id);
      if (k && k.since === q.since && k.statusKey === q.statusKey && t - k.at < REFRESH_MS) k.pass = pass;
      else stale.push(q);
    });
    for (let i = 0; i < stale.length; i += BATCH) await this.explain(stale.slice(i, i + BATCH), t, pass);
    await forEachYielding(this.known, ([id, k]) => k.pass !== pass && this.known.delete(id));

    const gaps: OpenGap[] = [];
    await forEachYielding(quiet, (q) => {
      const k = this.known.get(q.id);
      if (!k?.cause || k.cause === 'in_progress' || t - q.since <= thresholdMs) return;
      k.gap = k.gap?.camera.ownerUserId === q.ownerUserId ? { ...k.gap, ms: t - q.since } : { camera: { id: q.id, ownerUserId: q.ownerUserId }, since: new Date(q.since), cause: k.cause, ms: t - q.since };
      gaps.push(k.gap);
    });
    this.last = { thresholdMs, at: t, gaps };
    return gaps;
  }

  /** Works out the cause of each camera's open gap from its last day's statuses and drop records. */
  private async explain(batch: readonly QuietCamera[], t: number, pass: number): Promise<void> {
    const windows = batch.map((q) => ({ cameraId: q.id, from: new Date(Math.max(q.since, t - DAY)) }));
    const to = new Date(t);
    const [histories, drops] = await Promise.all([this.deps.status.histories(windows, to), this.deps.index.dropsOf(windows, to)]);
    batch.forEach((q, i) => {
      const l = computeLedger({
        from: windows[i]!.from.getTime(),
        to: t,
        now: t,
        segments: [],
        history: histories.get(q.id) ?? [],
        drops: drops.get(q.id) ?? [],
        openSegmentMs: this.deps.openSegmentMs,
      });
      this.known.set(q.id, { since: q.since, statusKey: q.statusKey, cause: openGapCause(l.gaps), at: t, pass });
    });
  }
}

/**
 * The cause of an open gap from the ledger's parts of it (segments left out, so they are one hole
 * split only at drop records): its last part's. A last part that is the segment being written
 * (in_progress) speaks for the gap only when it is the whole gap, right after the last kept
 * segment; after a drop record it is the next segment of a camera whose every segment is dropped
 * (rejected, or recording paused for space), and the gap is the drops': one such camera was never
 * alerted, its gap always ending in a few seconds "in progress".
 */
export function openGapCause(parts: readonly LedgerGap[]): GapCause | null {
  const last = parts[parts.length - 1];
  if (last?.cause !== 'in_progress') return last?.cause ?? null;
  return parts[parts.length - 2]?.cause ?? 'in_progress';
}
