/**
 * The recording-continuity ledger (pure): from a camera's recorded segments, its status history
 * and the archive's drop records, the recorded spans and the gaps in a window, each gap with the
 * one cause that explains it. Times are epoch milliseconds.
 *
 * A gap's bounds are exact (segment ends and starts, clipped to the window); its cause comes from
 * what the camera's statuses said while it lasted, by rank (the most telling state wins: a wrong
 * password explains an outage better than the "reconnecting" that preceded it). Status writes lag
 * the media by a few seconds, so statuses never split a gap; drop records and the retention
 * horizon are exact and do.
 */
import { STATUS_CAUSES } from '@common/causes';
import type { GapCause } from '@common/timeline';

export interface Interval {
  start: number;
  end: number;
}

export interface StatusEvent {
  at: number;
  status: string;
  cause: string | null;
  /** Reporting worker; null when Sky Eye itself wrote it (no worker held the camera). */
  workerId: string | null;
}

/** Recorded time the archive dropped (free-disk guard, retention) or never kept (failed validation). */
export interface DropRecord extends Interval {
  reason: 'disk_guard' | 'retention' | 'invalid';
}

export interface LedgerInput {
  from: number;
  to: number;
  now: number;
  segments: readonly Interval[];
  /** Sorted by time; should include the last event at or before `from`. */
  history: readonly StatusEvent[];
  drops?: readonly DropRecord[];
  /** Nothing before the camera existed is a gap. */
  createdAt?: number;
  retentionDays?: number;
  /** Holes up to this long between segments are not gaps (segment cuts). Default 1.5 s. */
  toleranceMs?: number;
  /** A trailing gap this short while the camera is live is the segment being written. */
  openSegmentMs?: number;
}

export interface LedgerGap extends Interval {
  cause: GapCause;
}

export interface Ledger {
  /** The window actually judged: [max(from, createdAt), min(to, now)]. */
  window: Interval;
  spans: Interval[];
  gaps: LedgerGap[];
  recordedMs: number;
}

const DAY = 86_400_000;

/** Segments clipped to the window and merged where they touch (within tolerance). */
export function mergeSpans(segments: readonly Interval[], window: Interval, toleranceMs: number): Interval[] {
  const sorted = segments
    .map((s) => ({ start: Math.max(s.start, window.start), end: Math.min(s.end, window.end) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start - last.end <= toleranceMs) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** The holes of `spans` in the window longer than the tolerance. */
export function holes(spans: readonly Interval[], window: Interval, toleranceMs: number): Interval[] {
  const out: Interval[] = [];
  let cursor = window.start;
  for (const s of spans) {
    if (s.start - cursor > toleranceMs) out.push({ start: cursor, end: s.start });
    cursor = Math.max(cursor, s.end);
  }
  if (window.end - cursor > toleranceMs) out.push({ start: cursor, end: window.end });
  return out;
}

const WORKER_CAUSE = /ingest worker/i;

/** What one status says about missing recording, and how telling it is (higher wins). */
export function statusCause(e: StatusEvent): { cause: GapCause; rank: number } {
  switch (e.status) {
    case 'disabled':
      return { cause: 'disabled', rank: 7 };
    case 'auth_failed':
      return { cause: 'auth_failed', rank: 6 };
    case 'offline':
      // Written by Sky Eye when no worker holds the camera (its worker went silent: lost), or by a worker shutting down.
      if (e.cause === STATUS_CAUSES.workerLost) return { cause: 'worker_lost', rank: 5 };
      return e.workerId === null || WORKER_CAUSE.test(e.cause ?? '') ? { cause: 'worker_restart', rank: 5 } : { cause: 'camera_offline', rank: 4 };
    case 'unreachable':
    case 'unsupported':
      return { cause: 'camera_offline', rank: 4 };
    case 'stalled':
      return { cause: 'stalled', rank: 3 };
    case 'reconnecting':
      return { cause: 'camera_offline', rank: 2 };
    case 'starting':
      return { cause: 'worker_restart', rank: 1 };
    case 'live':
      return { cause: 'upload_backlog', rank: 0 };
    default:
      return { cause: 'unknown', rank: -1 };
  }
}

/** The statuses in effect at some moment of [start, end): the one at `start` and every later one before `end`. */
export function statusesDuring(history: readonly StatusEvent[], gap: Interval): StatusEvent[] {
  let first = -1;
  for (let i = 0; i < history.length && history[i]!.at <= gap.start; i++) first = i;
  const out = first >= 0 ? [history[first]!] : [];
  for (const e of history) if (e.at > gap.start && e.at < gap.end) out.push(e);
  return out;
}

function causeFromStatuses(during: StatusEvent[]): GapCause {
  let best: { cause: GapCause; rank: number } = { cause: 'unknown', rank: -1 };
  for (const e of during) {
    const c = statusCause(e);
    if (c.rank > best.rank) best = c;
  }
  // Another worker reporting within the gap: a takeover (a planned handover or a restart) unless
  // the camera said worse. A worker that went silent was reported lost before its lease expired
  // (server/ingest/unattended.ts), which outranks this.
  const workers = new Set(during.map((e) => e.workerId).filter((w): w is string => w !== null));
  if (workers.size > 1 && best.rank < 5) return 'worker_restart';
  return best.cause;
}

/** Splits a gap at drop records and the retention horizon, then names each part. */
function explain(gap: Interval, input: LedgerInput, trailing: boolean): LedgerGap[] {
  const cuts: Array<Interval & { cause?: GapCause }> = [];
  const horizon = input.retentionDays !== undefined ? input.now - input.retentionDays * DAY : -Infinity;
  const marks: Array<Interval & { cause: GapCause }> = [];
  if (horizon > gap.start) marks.push({ start: gap.start, end: Math.min(horizon, gap.end), cause: 'retention' });
  for (const d of input.drops ?? []) {
    const start = Math.max(d.start, gap.start);
    const end = Math.min(d.end, gap.end);
    if (end > start) marks.push({ start, end, cause: d.reason });
  }
  marks.sort((a, b) => a.start - b.start);
  let cursor = gap.start;
  for (const m of marks) {
    if (m.end <= cursor) continue;
    if (m.start > cursor) cuts.push({ start: cursor, end: m.start });
    cuts.push({ start: Math.max(m.start, cursor), end: m.end, cause: m.cause });
    cursor = m.end;
  }
  if (gap.end > cursor) cuts.push({ start: cursor, end: gap.end });
  return cuts.map((c) => {
    if (c.cause) return { start: c.start, end: c.end, cause: c.cause };
    const during = statusesDuring(input.history, c);
    const last = during[during.length - 1];
    if (trailing && c.end === gap.end && last?.status === 'live' && c.end - c.start <= (input.openSegmentMs ?? 0)) {
      return { start: c.start, end: c.end, cause: 'in_progress' };
    }
    return { start: c.start, end: c.end, cause: causeFromStatuses(during) };
  });
}

export function computeLedger(input: LedgerInput): Ledger {
  const tolerance = input.toleranceMs ?? 1_500;
  const window = { start: Math.max(input.from, input.createdAt ?? -Infinity), end: Math.min(input.to, input.now) };
  if (window.end <= window.start) return { window, spans: [], gaps: [], recordedMs: 0 };
  const spans = mergeSpans(input.segments, window, tolerance);
  const gaps = holes(spans, window, tolerance).flatMap((g) => explain(g, input, g.end === window.end && window.end === input.now));
  return { window, spans, gaps, recordedMs: spans.reduce((n, s) => n + (s.end - s.start), 0) };
}

/** Share of the judged window that is recorded (1 when the window is empty). */
export function coverageOf(l: Ledger): number {
  const total = l.window.end - l.window.start;
  return total > 0 ? l.recordedMs / total : 1;
}
