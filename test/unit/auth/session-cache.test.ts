/**
 * The in-memory session cache (server/auth/session-cache.ts): what it may serve, and what makes
 * it forget. The integration test (test/integration/auth/session-cache.test.ts) checks every way a
 * session ends against a started Sky Eye.
 */
import { expect } from 'chai';
import { SessionCache, followSessionChanges } from '@server/auth/session-cache';
import type { SessionUser } from '@server/auth/session-repository';
import type { ListenHandlers } from '@server/db/database';

const T0 = Date.parse('2026-12-02T12:00:00Z');

function session(id: string, userId = 'u1', expiresInMs = 3_600_000): SessionUser {
  return { sessionId: id, csrfToken: 'c', expiresAt: new Date(T0 + expiresInMs), lastSeenAt: new Date(T0), userId, username: 'x', displayName: '', role: 'operator' };
}

function armed(o?: ConstructorParameters<typeof SessionCache>[0]): SessionCache {
  const c = new SessionCache(o);
  c.setArmed(true);
  return c;
}

describe('session cache', () => {
  it('serves a stored session until it expires or grows older than maxAgeMs', () => {
    const c = armed({ maxAgeMs: 10_000 });
    c.put(session('a', 'u1', 5_000), c.ticket(), T0);
    expect(c.get('a', T0 + 1_000)?.sessionId).to.equal('a');
    expect(c.get('a', T0 + 5_000), 'expired').to.equal(null);
    c.put(session('b'), c.ticket(), T0);
    expect(c.get('b', T0 + 10_000)?.sessionId).to.equal('b');
    expect(c.get('b', T0 + 10_001), 'too old: read again').to.equal(null);
  });

  it('serves nothing and stores nothing while not armed (the change feed is down)', () => {
    const c = new SessionCache();
    c.put(session('a'), c.ticket(), T0);
    expect(c.get('a', T0)).to.equal(null);
    c.setArmed(true);
    c.put(session('a'), c.ticket(), T0);
    c.setArmed(false);
    expect(c.get('a', T0), 'disarming empties it').to.equal(null);
    c.setArmed(true);
    expect(c.get('a', T0)).to.equal(null);
  });

  it('a lookup that began before an invalidation does not store its answer', () => {
    const c = armed();
    const ticket = c.ticket();
    c.forgetSession('someone-else'); // a notice arrives while the database is being asked
    c.put(session('a'), ticket, T0);
    expect(c.get('a', T0)).to.equal(null);
    c.put(session('a'), c.ticket(), T0);
    expect(c.get('a', T0)?.sessionId).to.equal('a');
  });

  it('notices forget one session, every session of a user, or everything', () => {
    const c = armed();
    for (const [id, user] of [['a', 'u1'], ['b', 'u1'], ['c', 'u2'], ['d', 'u3']] as const) c.put(session(id, user), c.ticket(), T0);
    c.apply('s:a');
    expect(c.get('a', T0)).to.equal(null);
    expect(c.get('b', T0)).to.not.equal(null);
    c.apply('u:u1');
    expect(c.get('b', T0)).to.equal(null);
    expect(c.get('c', T0)).to.not.equal(null);
    c.apply('*');
    expect(c.size).to.equal(0);
    c.put(session('e'), c.ticket(), T0);
    c.apply('something unexpected');
    expect(c.size, 'an unknown notice forgets everything').to.equal(0);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const c = armed({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) c.put(session(id), c.ticket(), T0);
    expect(c.get('a', T0)).to.equal(null);
    expect(c.get('b', T0)).to.not.equal(null);
    expect(c.get('c', T0)).to.not.equal(null);
  });

  it('is armed while the LISTEN connection is up, and emptied when it drops and when it returns', async () => {
    let h!: ListenHandlers;
    let unlistened = false;
    const database = {
      listen: (_channel: string, handlers: ListenHandlers) => {
        h = handlers;
        return Promise.resolve(async () => void (unlistened = true));
      },
    };
    const c = new SessionCache();
    const warnings: string[] = [];
    const feed = await followSessionChanges(database, c, { warn: (_o, m) => warnings.push(m) });
    c.put(session('a'), c.ticket(), T0);
    expect(c.get('a', T0)).to.not.equal(null);
    h.onMessage('s:a');
    expect(c.get('a', T0)).to.equal(null);
    c.put(session('a'), c.ticket(), T0);
    h.onError!(new Error('connection reset'));
    expect(c.get('a', T0)).to.equal(null);
    c.put(session('a'), c.ticket(), T0);
    expect(c.get('a', T0), 'nothing stored while down').to.equal(null);
    expect(warnings).to.have.length(1);
    h.onReconnect!();
    c.put(session('a'), c.ticket(), T0);
    expect(c.get('a', T0)).to.not.equal(null);
    await feed.stop();
    expect(unlistened).to.equal(true);
    expect(c.get('a', T0)).to.equal(null);
  });

  it('stays off when the first LISTEN failed, until the connection is back', async () => {
    let h!: ListenHandlers;
    const database = {
      listen: (_channel: string, handlers: ListenHandlers) => {
        h = handlers;
        handlers.onError!(new Error('refused'));
        return Promise.resolve(async () => undefined);
      },
    };
    const c = new SessionCache();
    await followSessionChanges(database, c, { warn: () => undefined });
    c.put(session('a'), c.ticket(), T0);
    expect(c.get('a', T0)).to.equal(null);
    h.onReconnect!();
    c.put(session('a'), c.ticket(), T0);
    expect(c.get('a', T0)).to.not.equal(null);
  });
});
