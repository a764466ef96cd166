import { expect } from 'chai';
import type { Clock } from '@common/clock';
import { Loops, settledKicks, type LoopRun } from '@common/loops';

/** A clock whose timers fire only when the test advances it. */
function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  const clock: Clock = {
    now: () => new Date(now),
    setTimeout(fn, ms) {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
  };
  return {
    clock,
    /** Moves time forward, firing due timers in order, letting promises settle after each. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        for (let i = 0; i < 10; i++) await Promise.resolve();
        const due = timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
        for (let i = 0; i < 10; i++) await Promise.resolve();
      }
      now = end;
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

describe('loops registry (common/loops)', () => {
  it('runs each named loop every interval, reports every pass and its errors', async () => {
    const c = fakeClock();
    const runs: LoopRun[] = [];
    const errors: string[] = [];
    const loops = new Loops({ clock: c.clock, observe: (r) => runs.push(r), onError: (name) => errors.push(name) }).start();
    let n = 0;
    loops.add('ok', 1000, async () => void n++);
    loops.add('bad', 1000, async () => {
      throw new Error('boom');
    });
    await c.advance(3000);
    expect(n).to.equal(3);
    expect(errors).to.deep.equal(['bad', 'bad', 'bad']);
    const stats = Object.fromEntries(loops.stats().map((s) => [s.name, s]));
    expect(stats.ok).to.include({ runs: 3, errors: 0 });
    expect(stats.bad).to.include({ runs: 3, errors: 3 });
    expect(runs.filter((r) => r.loop === 'bad').every((r) => r.error instanceof Error)).to.equal(true);
    await loops.stop();
    await c.advance(5000);
    expect(n).to.equal(3);
  });

  it('kick(delayMs) runs a pass then, never postponing the pass already due; from inside a pass too', async () => {
    const c = fakeClock();
    const loops = new Loops({ clock: c.clock, onError: () => undefined }).start();
    const at: number[] = [];
    let kickFromPass: number | undefined;
    const loop = loops.add('ingest.leases', 1000, async () => {
      at.push(c.clock.now().getTime());
      if (kickFromPass !== undefined) loop.kick(kickFromPass);
      kickFromPass = undefined;
    });
    loop.kick(5000); // later than the regular pass: no effect
    await c.advance(1000);
    expect(at).to.deep.equal([1000]);
    loop.kick(300); // sooner: a pass at 1300, then every 1000 again
    await c.advance(400);
    expect(at).to.deep.equal([1000, 1300]);
    kickFromPass = 200; // a pass asks for the next one sooner than its interval (a takeover at a lease's expiry)
    await c.advance(1400);
    expect(at).to.deep.equal([1000, 1300, 2300, 2500]);
    await loops.stop();
  });

  it('refuses a second loop with a taken name', () => {
    const loops = new Loops({ clock: fakeClock().clock, onError: () => undefined });
    loops.add('ingest.leases', 1000, async () => undefined);
    expect(() => loops.add('ingest.leases', 1000, async () => undefined)).to.throw(/already registered/);
  });

  it('never overlaps passes: a kick during a pass runs once more right after it', async () => {
    const c = fakeClock();
    const loops = new Loops({ clock: c.clock, onError: () => undefined }).start();
    let running = 0;
    let most = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const loop = loops.add(
      'slow',
      10_000,
      () =>
        new Promise<void>((r) => {
          running++;
          most = Math.max(most, running);
          passes++;
          release = () => {
            running--;
            r();
          };
        }),
      { firstRunMs: 0, kickDelayMs: 50 },
    );
    await c.advance(0);
    expect(passes).to.equal(1);
    loop.kick();
    loop.kick();
    await c.advance(100);
    expect(passes, 'no second pass while the first runs').to.equal(1);
    release();
    await c.advance(100);
    expect(passes, 'the kicks coalesce into one more pass').to.equal(2);
    release();
    await c.advance(100);
    expect(passes).to.equal(2);
    expect(most).to.equal(1);
    await loops.stop();
  });

  it('stop() removes a loop so its name can be used again', async () => {
    const loops = new Loops({ clock: fakeClock().clock, onError: () => undefined }).start();
    const l = loops.add('x', 1000, async () => undefined);
    await l.stop();
    expect(loops.stats()).to.deep.equal([]);
    loops.add('x', 1000, async () => undefined);
  });
});

describe('settledKicks (common/loops)', () => {
  it('asks for one pass when a burst of events has settled, and at the latest maxWait after its first', async () => {
    const c = fakeClock();
    const kicks: number[] = [];
    const k = settledKicks({ kick: () => kicks.push(c.clock.now().getTime()) }, c.clock, 1_000, 5_000);
    // A burst: events every 600 ms keep re-arming the 1 s settle timer.
    for (let i = 0; i < 4; i++) {
      k.event();
      await c.advance(600);
    }
    expect(kicks, 'nothing while the burst goes on').to.deep.equal([]);
    await c.advance(1_000);
    expect(kicks, 'one pass, 1 s after the last event').to.deep.equal([1_800 + 1_000]);
    // Events that never pause: a pass 5 s after the first of them, then the next burst starts anew.
    const start = c.clock.now().getTime();
    for (let i = 0; i < 12; i++) {
      k.event();
      await c.advance(500);
    }
    expect(kicks.slice(1), 'capped at maxWait').to.deep.equal([start + 5_000]);
    k.cancel();
    await c.advance(10_000);
    expect(kicks).to.have.length(2);
  });
});
