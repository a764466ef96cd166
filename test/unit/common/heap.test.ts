/**
 * common/heap.ts: the "last resort" collection gives the young generation and free pages back to
 * the system, which an ordinary one does not (here: ~150 MiB of resident memory against 3-7).
 */
import { Worker } from 'node:worker_threads';
import { expect } from 'chai';
import { reduceHeap } from '@common/heap';

describe('reduceHeap', () => {
  it('returns the heap that start-up garbage grew to the system, and installs no global gc', () => {
    // Start-up's shape: many short-lived objects (grows the young generation) and some that live a while.
    let keep: unknown[] = [];
    for (let round = 0; round < 20; round++) {
      keep = [];
      for (let i = 0; i < 50_000; i++) keep.push({ i, s: `row ${i} of round ${round}`, a: [i, i + 1] });
    }
    expect(keep).to.have.length(50_000);
    keep = [];
    const rss = process.memoryUsage.rss();
    const r = reduceHeap();
    const freed = (rss - process.memoryUsage.rss()) / 2 ** 20;
    expect(r.after, 'the heap shrinks').to.be.lessThan(r.before);
    expect(freed, 'MiB of resident memory given back').to.be.greaterThan(32); // an ordinary major collection: 3-7 MiB
    expect((globalThis as { gc?: unknown }).gc, 'no global gc()').to.equal(undefined);
  });

  it('leaves --expose-gc set, so the database and S3 threads doing the same at once cannot undo each other', async () => {
    reduceHeap();
    // Another thread's new context gets gc while the flag is set (it used to be unset again, and one
    // thread's unset between another's set and its new context gave "gc is not defined" on CI).
    const w = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:vm').runInNewContext('typeof gc'))", { eval: true });
    const seen = await new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject)));
    await w.terminate();
    expect(seen).to.equal('function');
  });
});
