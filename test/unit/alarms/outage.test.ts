import { expect } from 'chai';
import { outageOf, type HistoryRow } from '@server/alarms/outage';

const T0 = Date.parse('2026-11-30T08:00:00Z');
const row = (status: string, s: number, cause: string | null = null): HistoryRow => ({ status, cause, at: new Date(T0 + s * 1000) });
const at = (s: number) => new Date(T0 + s * 1000);

describe('alarms: outageOf', () => {
  const cases: Array<{ name: string; current: string; rows: HistoryRow[]; now: number; want: null | { kind: string; since: number; raisedAt: number } }> = [
    { name: 'live camera: none', current: 'live', rows: [], now: 100, want: null },
    { name: 'down shorter than the threshold: none', current: 'stalled', rows: [row('stalled', 0)], now: 29, want: null },
    { name: 'stalled for the threshold: stalled, raised at since + threshold', current: 'stalled', rows: [row('stalled', 0)], now: 30, want: { kind: 'stalled', since: 0, raisedAt: 30 } },
    { name: 'raisedAt does not move with a late evaluation (restart)', current: 'offline', rows: [row('offline', 0)], now: 3600, want: { kind: 'offline', since: 0, raisedAt: 30 } },
    { name: 'restart cycles stay one outage; latest specific kind wins', current: 'reconnecting', rows: [row('stalled', 0), row('auth_failed', 10, 'credentials rejected')], now: 40, want: { kind: 'auth_failed', since: 0, raisedAt: 30 } },
    { name: 'only starting/reconnecting for that long: offline', current: 'starting', rows: [row('reconnecting', 0)], now: 31, want: { kind: 'offline', since: 0, raisedAt: 30 } },
    { name: 'still starting (never failed): none', current: 'starting', rows: [row('starting', 0)], now: 100, want: null },
    { name: 'the outage begins at the first failure after starting', current: 'stalled', rows: [row('starting', 0), row('stalled', 20)], now: 50, want: { kind: 'stalled', since: 20, raisedAt: 50 } },
    { name: 'unsupported is no outage', current: 'unsupported', rows: [row('stalled', 0)], now: 100, want: null },
    { name: 'no history: none', current: 'offline', rows: [], now: 100, want: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const o = outageOf(c.current, c.rows, at(c.now), 30_000);
      if (!c.want) return expect(o).to.equal(null);
      expect(o).to.not.equal(null);
      expect(o!.kind).to.equal(c.want.kind);
      expect(o!.since.getTime()).to.equal(at(c.want.since).getTime());
      expect(o!.raisedAt.getTime()).to.equal(at(c.want.raisedAt).getTime());
    });
  }

  it('the cause comes from the row that gave the kind', () => {
    expect(outageOf('reconnecting', [row('reconnecting', 0, 'dropped'), row('unreachable', 5, 'connection refused')], at(60), 30_000)!.cause).to.equal('connection refused');
  });
});
