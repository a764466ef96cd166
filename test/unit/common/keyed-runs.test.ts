import { expect } from 'chai';
import { keyedRuns } from '@common/keyed-runs';

/** A run that waits until released by hand, recording when each run of a key starts and what it read. */
function slowReads() {
  const log: string[] = [];
  const waiting: Array<() => void> = [];
  let value = 'old';
  const run = keyedRuns(async (key) => {
    const read = value; // what the run reads (a camera's spec), at its start
    log.push(`start ${key} ${read}`);
    await new Promise<void>((r) => waiting.push(r));
    log.push(`apply ${key} ${read}`);
  });
  return { log, run, set: (v: string) => (value = v), release: () => waiting.shift()?.() };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('common/keyed-runs: one run per key, the last starting after the last call', () => {
  it('a call during a run makes one more run after it; several coalesce; the last applied read is the newest', async () => {
    const s = slowReads();
    const first = s.run('c1');
    s.set('new');
    const second = s.run('c1');
    const third = s.run('c1');
    await tick();
    expect(s.log).to.deep.equal(['start c1 old']);
    s.release();
    await tick();
    expect(s.log).to.deep.equal(['start c1 old', 'apply c1 old', 'start c1 new']);
    s.release();
    await Promise.all([first, second, third]);
    expect(s.log.at(-1)).to.equal('apply c1 new');
    expect(s.log).to.have.length(4);
  });

  it('keys run independently; a key runs afresh once its runs are over', async () => {
    const s = slowReads();
    const a = s.run('a');
    const b = s.run('b');
    await tick();
    expect(s.log).to.deep.equal(['start a old', 'start b old']);
    s.release();
    s.release();
    await Promise.all([a, b]);
    const again = s.run('a');
    await tick();
    expect(s.log.at(-1)).to.equal('start a old');
    s.release();
    await again;
  });

  it('a failed run is followed by the one asked for meanwhile; alone, its error is the answer', async () => {
    let n = 0;
    const run = keyedRuns(async () => {
      n += 1;
      if (n === 1) {
        await tick();
        throw new Error('boom');
      }
    });
    const first = run('k');
    const second = run('k');
    await Promise.all([first, second]);
    expect(n).to.equal(2);
    const failing = keyedRuns(async () => {
      throw new Error('boom');
    });
    let caught: unknown;
    await failing('k').catch((e: unknown) => (caught = e));
    expect((caught as Error).message).to.equal('boom');
  });
});
