/** Alarms: API shapes and socket.io events shared by the server and the console. Imports nothing. */

/** Why an alarm was raised: a camera down for longer than SKYEYE_ALARM_AFTER, or a recording gap from the ledger. */
export const ALARM_KINDS = ['offline', 'auth_failed', 'unreachable', 'stalled', 'recording_gap'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export const ALARM_STATES = ['open', 'all'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** GET /api/v1/alarms items. `open` = not yet acknowledged (a resolved alarm stays open until acknowledged). */
export interface Alarm {
  id: string;
  cameraId: string;
  cameraName: string;
  kind: AlarmKind;
  /** When the camera went down (or the recording gap began). */
  since: string;
  /** When the threshold was crossed: since + SKYEYE_ALARM_AFTER (archive.gapAlert for gaps). */
  raisedAt: string;
  /** The camera came back (or recording resumed); null while the outage lasts. */
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
}

export interface AlarmList {
  items: Alarm[];
}

/**
 * socket.io: 'alarm:raised' carries a new alarm, 'alarm:updated' an acknowledged or resolved one;
 * 'alarms:changed' (AlarmsChangedEvent) says many were raised or resolved at once (an outage across
 * the county): reload the list instead of receiving one event per alarm.
 */
export const ALARM_EVENTS = { raised: 'alarm:raised', updated: 'alarm:updated', changed: 'alarms:changed' } as const;

export interface AlarmsChangedEvent {
  change: 'raised' | 'resolved';
  /** How many (of those the receiver may see). */
  count: number;
}
