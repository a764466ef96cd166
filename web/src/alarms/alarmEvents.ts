/** socket.io alarm events as one typed union, and the open-alarm list they update. Pure (unit-tested). */
import { ALARM_EVENTS, ALARM_KINDS, type Alarm, type AlarmsChangedEvent } from '@common/alarms';

/** 'changed': many alarms at once (ALARM_EVENTS.changed): reload the list. */
export type AlarmEvent = { type: 'raised'; alarm: Alarm } | { type: 'updated'; alarm: Alarm } | ({ type: 'changed' } & AlarmsChangedEvent) | { type: 'resync' };

export const ALARM_EVENT_NAMES = [ALARM_EVENTS.raised, ALARM_EVENTS.updated, ALARM_EVENTS.changed] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const nullableString = (v: unknown) => v === null || typeof v === 'string';

export function isAlarm(v: unknown): v is Alarm {
  return (
    isRecord(v) &&
    typeof v.id === 'string' &&
    typeof v.cameraId === 'string' &&
    typeof v.kind === 'string' &&
    (ALARM_KINDS as readonly string[]).includes(v.kind) &&
    typeof v.raisedAt === 'string' &&
    nullableString(v.acknowledgedAt) &&
    nullableString(v.resolvedAt)
  );
}

/** Socket event name + payload -> AlarmEvent, or null for a payload we do not understand. */
export function toAlarmEvent(name: string, payload: unknown): AlarmEvent | null {
  if (name === ALARM_EVENTS.changed) {
    if (!isRecord(payload) || (payload.change !== 'raised' && payload.change !== 'resolved') || typeof payload.count !== 'number') return null;
    return { type: 'changed', change: payload.change, count: payload.count };
  }
  if (!isAlarm(payload)) return null;
  if (name === ALARM_EVENTS.raised) return { type: 'raised', alarm: payload };
  if (name === ALARM_EVENTS.updated) return { type: 'updated', alarm: payload };
  return null;
}

/** The unacknowledged alarms after an event: newest raised first, acknowledged ones dropped. */
export function applyAlarm(open: readonly Alarm[], alarm: Alarm): Alarm[] {
  const rest = open.filter((a) => a.id !== alarm.id);
  if (alarm.acknowledgedAt) return rest;
  return [...rest, alarm].sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : a.id.localeCompare(b.id)));
}

/** Open alarms by camera id (what the wall highlights). */
export function byCamera(open: readonly Alarm[]): ReadonlyMap<string, Alarm[]> {
  const m = new Map<string, Alarm[]>();
  for (const a of open) m.set(a.cameraId, [...(m.get(a.cameraId) ?? []), a]);
  return m;
}
