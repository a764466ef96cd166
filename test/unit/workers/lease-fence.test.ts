/**
 * The lease manager's fence (workers/leases/lease-manager.ts): every held camera stopped at once,
 * whatever one stop waits on; a fence still stopping never keeps a later one (or the rounds) back.
 */
import { expect } from 'chai';
import { HeldCameras } from '@workers/leases/held-cameras';
import { LeaseManager } from '@workers/leases/lease-manager';
import type { Lease, LeaseStore } from '@workers/leases/lease-store';
import { FakeClock } from './supervisor-fakes';

const flush = async () => {
  for (let i = 0; i < 20; i += 1) await new Promise<void>((r) => setImmediate(r));
};

const TTL = 900;

/** A lease store that answers while `up`, else fails (`failing`) or never answers (a blackholed route, no query timeout). */
function harness() {
  const state = { up: true, failing: false, free: [] as Lease[], mine: new Set<string>() };
  const answer = <T>(v: () => T): Promise<T> =>
    state.up ? Promise.resolve(v()) : state.failing ? Promise.reject(new Error('connection refused')) : new Promise<T>(() => {});
  const repo: LeaseStore = {
    heartbeat: () => answer(() => undefined),
    renew: () => answer(() => [...state.mine].map((cameraId) => ({ cameraId, token: 1 }))),
    census: () => answer(() => ({ workers: 1, cameras: state.mine.size + state.free.length })),
    nextTakeoverMs: () => answer(() => null),
    acquire: () =>
      answer(() => {
        const got = state.free.splice(0);
        for (const l of got) state.mine.add(l.cameraId);
        return got;
      }),
    unapproved: () => answer(() => []),
    release: () => answer(() => undefined),
    leave: () => answer(() => undefined),
    retire: () => answer(() => undefined),
  };
  const clock = new FakeClock();
  const held = new HeldCameras<string>();
  const lost: string[] = [];
  /** Specs still held when each onLose began (what the runtime's sync() would keep running). */
  const specsAtLose: string[][] = [];
  /** Cameras whose stop waits on the database for ever (the last segment's row). */
  const hangs = new Set<string>();
  const lm = new LeaseManager({
    repo,
    workerId: 'w',
    ttlMs: TTL,
    clock: clock.dates,
    held,
    onAcquire: (l) => void held.setSpec(l.cameraId, l.cameraId),
    onLose: async (id) => {
      lost.push(id);
      specsAtLose.push(held.specs());
      if (hangs.has(id)) await new Promise(() => {});
    },
  });
  return { state, clock, held, lost, specsAtLose, hangs, lm };
}

describe('workers/leases: the fence stops every camera at once', () => {
  it('one stop that hangs on the database does not keep the others ingesting past their lease', async () => {
    const h = harness();
    h.state.free = ['a', 'b', 'c'].map((cameraId) => ({ cameraId, token: 1 }));
    h.hangs.add('a');
    h.lm.start();
    await h.lm.tick();
    expect(h.lm.leases.map((l) => l.cameraId)).to.deep.equal(['a', 'b', 'c']);
    h.state.up = false;
    await h.clock.advance(TTL); // past 0.8 ttl without a renewal: the watchdog fences
    expect(h.lost).to.have.members(['a', 'b', 'c']);
    // Every spec was dropped before the first stop began: one sync() in the runtime stops them all.
    expect(h.specsAtLose).to.deep.equal([[], [], []]);
    expect(h.lm.leases).to.deep.equal([]);
  });

  it('a fence still stopping does not keep a later one from stopping cameras taken since', async () => {
    const h = harness();
    h.state.free = [{ cameraId: 'a', token: 1 }];
    h.hangs.add('a');
    h.lm.start();
    await h.lm.tick();
    h.state.up = false;
    await h.clock.advance(TTL);
    expect(h.lost).to.deep.equal(['a']); // its stop hangs on
    // The database answers again: a round takes a new camera; then it goes silent again.
    h.state.up = true;
    h.state.free = [{ cameraId: 'd', token: 2 }];
    await h.lm.tick();
    expect(h.lm.leases.map((l) => l.cameraId)).to.deep.equal(['d']);
    h.state.up = false;
    await h.clock.advance(TTL);
    expect(h.lost).to.deep.equal(['a', 'd']);
  });

  it('a round that fences does not wait for the stops (the next rounds still run)', async () => {
    const h = harness();
    h.state.free = [{ cameraId: 'a', token: 1 }];
    h.hangs.add('a');
    await h.lm.tick(); // rounds only, no beat
    Object.assign(h.state, { up: false, failing: true });
    h.clock.t += TTL; // no renewal for a ttl
    const round = await Promise.race([h.lm.tick().then(() => 'resolved', () => 'rejected'), flush().then(() => 'still waiting')]);
    expect(round).to.equal('rejected');
    expect(h.lost).to.deep.equal(['a']);
  });
});
