import { expect } from 'chai';
import { EACH_MAX, countByOwner, eachOrSummary } from '@server/realtime/burst';

describe('realtime: bursts of per-camera events', () => {
  const run = (n: number) => {
    const each: number[] = [];
    const summaries: number[][] = [];
    eachOrSummary(
      Array.from({ length: n }, (_, i) => i),
      (i) => each.push(i),
      (all) => summaries.push([...all]),
    );
    return { each, summaries };
  };

  it('up to EACH_MAX go out one by one, more as one summary of all, none as nothing', () => {
    expect(run(0)).to.deep.equal({ each: [], summaries: [] });
    expect(run(EACH_MAX).each).to.have.length(EACH_MAX);
    expect(run(EACH_MAX).summaries).to.deep.equal([]);
    const many = run(EACH_MAX + 1);
    expect(many.each).to.deep.equal([]);
    expect(many.summaries).to.have.length(1);
    expect(many.summaries[0]).to.have.length(EACH_MAX + 1);
  });

  it('counts each owner apart and leaves unowned (staff-only) items out', () => {
    expect(countByOwner([{ ownerUserId: 'm1' }, { ownerUserId: null }, { ownerUserId: 'm2' }, { ownerUserId: 'm1' }])).to.deep.equal({ m1: 2, m2: 1 });
  });
});
