/** The wall's token renewal loop (web/src/wall/renewal.ts) with fake timers, clock and player. */
import { expect } from 'chai';
import type { LiveUrls } from '@web/api/live';
import { keepRenewing, newStreamId, RENEW_RETRY_MS, type RenewalDeps } from '@web/wall/renewal';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const urls = (expiresAt: number): LiveUrls => ({ hls: '/h?token=t', flv: `/f?token=t${expiresAt}`, expiresAt: iso(expiresAt) });
const settle = () => new Promise((r) => setImmediate(r));

/** Fake timers: `tick()` runs the earliest pending timer and moves the clock to it. */
function harness(opts: { refresh?: (u: LiveUrls) => Promise<boolean>; fetchUrls?: () => Promise<LiveUrls> } = {}) {
  let now = T0;
  let closed = false;
  const timers: { at: number; fn: () => void }[] = [];
  const refreshed: string[] = [];
  let restarts = 0;
  const deps: RenewalDeps = {
    fetchUrls: opts.fetchUrls ?? (async () => urls(now + 60_000)),
    refresh: opts.refresh ?? (async (u) => (refreshed.push(u.flv), true)),
    restart: () => void restarts++,
    later: (fn, ms) => void timers.push({ at: now + ms, fn: () => !closed && fn() }),
    now: () => now,
    closed: () => closed,
  };
  return {
    deps,
    refreshed,
    get restarts() {
      return restarts;
    },
    pending: () => timers.map((t) => t.at - now),
    close: () => void (closed = true),
    async tick() {
      timers.sort((a, b) => a.at - b.at);
      const t = timers.shift()!;
      now = t.at;
      t.fn();
      await settle();
    },
  };
}

describe('web/wall: token renewal loop', () => {
  it('renews 15 s before each expiry, again and again, with the fresh URLs', async () => {
    const h = harness();
    keepRenewing(h.deps, iso(T0 + 60_000));
    expect(h.pending()).to.deep.equal([45_000]);
    await h.tick();
    expect(h.refreshed).to.deep.equal([`/f?token=t${T0 + 45_000 + 60_000}`]);
    expect(h.pending(), 'next renewal before the fresh expiry').to.deep.equal([45_000]);
    await h.tick();
    await h.tick();
    expect(h.refreshed).to.have.length(3);
  });

  it('retries a failed renewal soon, before the old token runs out', async () => {
    let fail = 1;
    const h = harness({ refresh: async () => (fail-- > 0 ? Promise.reject(new Error('404')) : true) });
    keepRenewing(h.deps, iso(T0 + 60_000));
    await h.tick();
    expect(h.pending()).to.deep.equal([RENEW_RETRY_MS]);
    await h.tick();
    expect(h.pending(), 'renewed: back to the normal schedule').to.deep.equal([45_000]);
  });

  it('restarts a player that cannot take fresh URLs in place, and stops when the tile closes', async () => {
    const h = harness({ refresh: async () => false });
    keepRenewing(h.deps, iso(T0 + 60_000));
    await h.tick();
    expect(h.restarts).to.equal(1);
    expect(h.pending()).to.deep.equal([]);

    const g = harness();
    keepRenewing(g.deps, iso(T0 + 60_000));
    g.close();
    await g.tick();
    expect(g.refreshed).to.deep.equal([]);
    const aborted = harness({ fetchUrls: () => Promise.reject(new DOMException('gone', 'AbortError')) });
    keepRenewing(aborted.deps, iso(T0 + 60_000));
    await aborted.tick();
    expect(aborted.pending(), 'an aborted fetch (tile torn down) is not retried').to.deep.equal([]);
  });

  it('short tokens renew at two thirds of their life', () => {
    const h = harness();
    keepRenewing(h.deps, iso(T0 + 9_000));
    expect(h.pending()).to.deep.equal([6_000]);
  });

  it('stream ids are v4 UUIDs, different each time', () => {
    const a = newStreamId();
    expect(a).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newStreamId()).to.not.equal(a);
  });
});
