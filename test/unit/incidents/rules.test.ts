/** Pure incident rules: numbers, the year in the numbering time zone, coverage from a timeline, field diffs. */
import { expect } from 'chai';
import { coverageOf } from '@server/incidents/cameras';
import { formatNumber, numberScope, yearIn } from '@server/incidents/numbering';
import { diff } from '@server/incidents/service';
import type { IncidentRow } from '@server/incidents/repository';

describe('incident rules', () => {
  it('formats numbers per station and year', () => {
    expect(formatNumber('新安派出所', 2026, 123)).to.equal('新安派出所-2026-00123');
    expect(formatNumber('天眼', 2027, 123456)).to.equal('天眼-2027-123456');
    expect(numberScope(null)).to.equal('-');
  });

  it('takes the year in the numbering time zone', () => {
    const at = new Date('2026-12-31T17:00:00Z');
    expect(yearIn(at, 'Asia/Shanghai')).to.equal(2027);
    expect(yearIn(at, 'UTC')).to.equal(2026);
  });

  it('coverage counts real gaps, not the segment being written', () => {
    const t = (a: number, b: number) => ({ from: new Date(a * 1000).toISOString(), to: new Date(b * 1000).toISOString() });
    expect(coverageOf({ spans: [t(0, 30)], gaps: [{ ...t(30, 40), cause: 'camera_offline' }, { ...t(40, 60), cause: 'in_progress' }] })).to.deep.equal({ coverage: 0.75, recordedMs: 30_000 });
    expect(coverageOf({ spans: [], gaps: [] }).coverage).to.equal(null);
  });

  it('diffs only fields that change', () => {
    const row = { title: 'a', category: 'theft', description: '', status: 'open', from_at: '2026-01-01T00:00:00Z', to_at: '2026-01-01T01:00:00Z', lat: 1, lon: 2, address: null, radius_m: 500, station_id: null } as unknown as IncidentRow;
    expect(diff(row, { title: 'a', status: 'closed', from: new Date('2026-01-01T00:00:00Z'), radius: 600 })).to.deep.equal({ status: { from: 'open', to: 'closed' }, radius: { from: 500, to: 600 } });
  });
});
