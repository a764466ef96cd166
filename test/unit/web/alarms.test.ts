import { expect } from 'chai';
import type { Alarm } from '@common/alarms';
import { applyAlarm, byCamera, toAlarmEvent } from '@web/alarms/alarmEvents';

const alarm = (id: string, raisedAt: string, extra: Partial<Alarm> = {}): Alarm => ({
  id,
  cameraId: `cam-${id}`,
  cameraName: `Camera ${id}`,
  kind: 'offline',
  since: raisedAt,
  raisedAt,
  resolvedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
  ...extra,
});

describe('web: alarm events', () => {
  it('accepts well-formed alarm payloads only', () => {
    const a = alarm('1', '2026-11-30T08:00:00.000Z');
    expect(toAlarmEvent('alarm:raised', a)).to.deep.equal({ type: 'raised', alarm: a });
    expect(toAlarmEvent('alarm:updated', a)).to.deep.equal({ type: 'updated', alarm: a });
    expect(toAlarmEvent('alarm:raised', { ...a, kind: 'fire' })).to.equal(null);
    expect(toAlarmEvent('alarm:raised', null)).to.equal(null);
    expect(toAlarmEvent('camera:status', a)).to.equal(null);
  });

  it('alarms:changed (many at once) is a count to reload on, checked like the rest', () => {
    expect(toAlarmEvent('alarms:changed', { change: 'raised', count: 120 })).to.deep.equal({ type: 'changed', change: 'raised', count: 120 });
    expect(toAlarmEvent('alarms:changed', { change: 'resolved', count: 3 })).to.deep.equal({ type: 'changed', change: 'resolved', count: 3 });
    expect(toAlarmEvent('alarms:changed', { change: 'deleted', count: 1 })).to.equal(null);
    expect(toAlarmEvent('alarms:changed', { change: 'raised' })).to.equal(null);
    expect(toAlarmEvent('alarms:changed', null)).to.equal(null);
  });

  it('keeps unacknowledged alarms newest first; an acknowledged one leaves; a resolved one stays', () => {
    let open: Alarm[] = [];
    open = applyAlarm(open, alarm('1', '2026-11-30T08:00:00.000Z'));
    open = applyAlarm(open, alarm('2', '2026-11-30T09:00:00.000Z'));
    expect(open.map((a) => a.id)).to.deep.equal(['2', '1']);
    open = applyAlarm(open, alarm('1', '2026-11-30T08:00:00.000Z', { resolvedAt: '2026-11-30T08:05:00.000Z' }));
    expect(open.map((a) => a.id)).to.deep.equal(['2', '1']);
    expect(open[1]!.resolvedAt).to.equal('2026-11-30T08:05:00.000Z');
    open = applyAlarm(open, alarm('2', '2026-11-30T09:00:00.000Z', { acknowledgedAt: '2026-11-30T09:01:00.000Z' }));
    expect(open.map((a) => a.id)).to.deep.equal(['1']);
    expect([...byCamera(open).keys()]).to.deep.equal(['cam-1']);
  });
});
