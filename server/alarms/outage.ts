/**
 * When a camera's current outage began and which alarm it raises, from its status history. Pure.
 *
 * An outage is the run of "trouble" statuses since the camera's last other status (live, unknown,
 * disabled, unsupported): starting and reconnecting belong to it (ingest cycles through them while
 * it retries), so a camera that is stalled, restarted and stalled again is one outage. It begins
 * at the run's first status other than starting: a camera that is still starting (just approved,
 * just taken over) is not down until ingest reports a failure. Its kind is
 * the latest of offline/auth_failed/unreachable/stalled seen in it; a camera that only ever
 * reached starting/reconnecting for that long counts as offline. The alarm is raised at
 * since + threshold (its raisedAt), whatever the time the evaluator gets to it (a restart).
 */
import type { AlarmKind } from '@common/alarms';

export const STATUS_ALARM_KINDS = ['offline', 'auth_failed', 'unreachable', 'stalled'] as const satisfies readonly AlarmKind[];
export type StatusAlarmKind = (typeof STATUS_ALARM_KINDS)[number];

/** Statuses that continue an outage. */
export const TROUBLE_STATUSES = ['starting', 'reconnecting', ...STATUS_ALARM_KINDS] as const;

export const isTrouble = (status: string): boolean => (TROUBLE_STATUSES as readonly string[]).includes(status);

export interface HistoryRow {
  status: string;
  cause: string | null;
  at: Date;
}

export interface Outage {
  since: Date;
  kind: StatusAlarmKind;
  cause: string | null;
  /** since + thresholdMs. */
  raisedAt: Date;
}

/**
 * `rows`: (some of) the camera's history after its last non-trouble row, oldest first: at least
 * the first row that is not starting and the latest offline/auth_failed/unreachable/stalled one.
 * `current`: the camera's status now. Null when it is not down, or not down for thresholdMs yet.
 */
export function outageOf(current: string, rows: readonly HistoryRow[], now: Date, thresholdMs: number): Outage | null {
  if (!isTrouble(current)) return null;
  const trouble = rows.filter((r) => isTrouble(r.status) && r.status !== 'starting');
  const first = trouble[0];
  if (!first) return null;
  if (now.getTime() - first.at.getTime() < thresholdMs) return null;
  const specific = [...trouble].reverse().find((r) => (STATUS_ALARM_KINDS as readonly string[]).includes(r.status));
  return {
    since: first.at,
    kind: (specific?.status as StatusAlarmKind | undefined) ?? 'offline',
    cause: (specific ?? trouble[trouble.length - 1] ?? first).cause,
    raisedAt: new Date(first.at.getTime() + thresholdMs),
  };
}

/** Recording-gap causes a camera-status alarm already covers (no second alarm for the same outage), or that are no loss. */
export const GAP_CAUSES_NOT_ALARMED = ['camera_offline', 'auth_failed', 'stalled', 'retention', 'disabled', 'in_progress'] as const;
