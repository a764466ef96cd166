/**
 * Start slots: a worker's cameras start a few at a time, so a burst of cameras (a start-up, a
 * takeover of a dead worker's cameras) does not starve every attempt past its grace.
 */
import { expect } from 'chai';
import { Backoff } from '@workers/ingest/backoff';
import { StartSlots } from '@workers/ingest/start-slots';
import { Supervisor } from '@workers/ingest/supervisor';
import { FakeClock, FakeInstance, flush, spec } from './supervisor-fakes';

function camera(id: string, clock: FakeClock, slots: StartSlots, mtimes: Map<string, number | null>) {
  const instances: FakeInstance[] = [];
  const sup = new Supervisor(
    { ...spec, id },
    {
      clock,
      createInstance: (_s, runId) => {
        const i = new FakeInstance(runId);
        instances.push(i);
        return i;
      },
      outputMtime: async () => mtimes.get(id) ?? null,
      onStatus: () => undefined,
      backoff: new Backoff({ stepsMs: [1000], jitter: 0, maxRestarts: 100, windowMs: 600_000 }),
      startSlots: slots,
    },
    { graceMs: 10_000, staleMs: 6_000, checkIntervalMs: 1_000, startCheckIntervalMs: 200, liveResetMs: 60_000, probeIntervalMs: 500, slotHoldMs: 3_000 },
  );
  return { sup, instances };
}

/** Cameras a, b and c started in that order against one slot. */
async function threeOnOneSlot() {
  const clock = new FakeClock();
  const slots = new StartSlots(1);
  const mtimes = new Map<string, number | null>();
  const [a, b, c] = ['a', 'b', 'c'].map((id) => camera(id, clock, slots, mtimes)) as [ReturnType<typeof camera>, ReturnType<typeof camera>, ReturnType<typeof camera>];
  for (const x of [a, b, c]) x.sup.start();
  await clock.advance(100);
  return { clock, slots, mtimes, a, b, c };
}

describe('workers/ingest start slots', () => {
  it('hands out at most `size` slots, in order, and a release counts once', async () => {
    const slots = new StartSlots(2);
    const order: string[] = [];
    const a = await slots.acquire();
    await slots.acquire();
    void slots.acquire().then((r) => (order.push('c'), r));
    void slots.acquire().then(() => order.push('d'));
    await flush();
    expect(order).to.deep.equal([]);
    expect(slots.waiting).to.equal(2);
    a();
    a(); // again: no second slot
    await flush();
    expect(order).to.deep.equal(['c']);
    expect(slots.waiting).to.equal(1);
  });

  it('a camera waits in starting until a slot frees: when the one before goes live, or its hold ends', async () => {
    const { clock, mtimes, a, b, c } = await threeOnOneSlot();
    expect([a.instances.length, b.instances.length, c.instances.length]).to.deep.equal([1, 0, 0]);
    expect(b.sup.status).to.equal('starting');
    mtimes.set('a', clock.now()); // a is live: its slot goes to b
    await clock.advance(200);
    expect([a.instances.length, b.instances.length, c.instances.length]).to.deep.equal([1, 1, 0]);
    await clock.advance(2_000); // b produces nothing; c still waits ...
    expect(c.instances.length).to.equal(0);
    await clock.advance(1_000); // ... until b's hold (3 s) is over
    expect(c.instances.length).to.equal(1);
    await a.sup.stop();
    await b.sup.stop();
    await c.sup.stop();
  });

  it('a camera stopped while it waits never spawns, and its turn passes on', async () => {
    const { clock, slots, a, b, c } = await threeOnOneSlot();
    await b.sup.stop();
    await a.sup.stop(); // a's slot: b is gone, so c
    await clock.advance(100);
    expect([b.instances.length, c.instances.length]).to.deep.equal([0, 1]);
    await c.sup.stop();
    expect(slots.waiting).to.equal(0);
  });
});
