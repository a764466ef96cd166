import { expect } from 'chai';
import { EventBus } from '@server/realtime/bus';
import { openStreams } from '@server/live/open-streams';
import { viewerCheck } from '@server/live/viewers';

const claims = (sessionId: string, userId: string, inMs = 60_000) => ({ cameraId: 'c', userId, sessionId, role: 'operator', expiresAt: new Date(Date.now() + inMs) });

describe('live open streams and viewer checks (fake sessions)', () => {
  it('a viewer may watch while its session lives with the same user and role; answers cached briefly', async () => {
    const sessions = new Map([['s1', { userId: 'u1', role: 'operator' }]]);
    let lookups = 0;
    const v = viewerCheck({ find: async (id) => (lookups++, sessions.get(id) ?? null) }, () => new Date(), 60_000);
    expect(await v.mayWatch(claims('s1', 'u1'))).to.equal(true);
    expect(await v.mayWatch(claims('s1', 'u1'))).to.equal(true);
    expect(lookups, 'cached').to.equal(1);
    sessions.delete('s1');
    v.forget({ userId: 'u1' });
    expect(await v.mayWatch(claims('s1', 'u1'))).to.equal(false);
    sessions.set('s2', { userId: 'u2', role: 'investigator' });
    expect(await v.mayWatch(claims('s2', 'u2')), 'role changed since issue').to.equal(false);
    expect(await v.mayWatch({ cameraId: 'c', userId: 'u3', expiresAt: new Date(Date.now() + 1000) }), 'no session').to.equal(false);
    expect(await v.mayWatch({ cameraId: 'c', userId: 'proxy', expiresAt: new Date(Date.now() + 1000) }), 'internal').to.equal(true);
  });

  it('closes on sign-out of its session, re-checks a user whose sessions ended, and at expiry', async () => {
    const bus = new EventBus();
    const live = new Set(['s1', 's2', 's3']);
    const v = viewerCheck({ find: async (id) => (live.has(id) ? { userId: id === 's3' ? 'u3' : 'u1', role: 'operator' } : null) }, () => new Date());
    const streams = openStreams({ viewers: v, bus, now: () => new Date(), sweepMs: 60_000 });
    const closed: string[] = [];
    streams.watch(claims('s1', 'u1'), (why) => closed.push(`s1:${why}`));
    streams.watch(claims('s2', 'u1'), (why) => closed.push(`s2:${why}`));
    streams.watch(claims('s3', 'u3', 1_500), (why) => closed.push(`s3:${why}`));
    bus.publish('auth:session-ended', { sessionId: 's1' });
    expect(closed).to.deep.equal(['s1:revoked']);
    // u1 changed their password from s2: their other sessions ended, s2 lives on.
    bus.publish('auth:session-ended', { userId: 'u1' });
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).to.deep.equal(['s1:revoked']);
    live.delete('s2');
    bus.publish('auth:session-ended', { userId: 'u1' });
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).to.deep.equal(['s1:revoked', 's2:revoked']);
    // s3 was never revoked: it ends at its token's expiry (waited for, not sampled: a loaded machine is slow).
    for (let i = 0; i < 100 && closed.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(closed).to.deep.equal(['s1:revoked', 's2:revoked', 's3:expired']);
    expect(streams.size).to.equal(0);
  });

  it('a named stream is found only by its own sign-in and renewed to the fresh expiry; internal streams have no deadline', async () => {
    const bus = new EventBus();
    const v = viewerCheck({ find: async () => ({ userId: 'u1', role: 'operator' }) }, () => new Date());
    const streams = openStreams({ viewers: v, bus, now: () => new Date(), sweepMs: 60_000 });
    const closed: string[] = [];
    streams.watch(claims('s1', 'u1', 50), (why) => closed.push(`kept:${why}`), 'id-1');
    streams.watch(claims('s1', 'u1', 50), (why) => closed.push(`dropped:${why}`), 'id-2');
    streams.watch({ cameraId: 'c', userId: 'proxy', expiresAt: new Date(Date.now() + 10) }, (why) => closed.push(`proxy:${why}`));
    expect(streams.find('id-1', claims('s2', 'u1')), 'another session').to.equal(null);
    expect(streams.find('id-1', claims('s1', 'u9')), 'another user').to.equal(null);
    expect(streams.find('id-3', claims('s1', 'u1'))).to.equal(null);
    const kept = streams.find('id-1', claims('s1', 'u1'))!;
    expect(kept.cameraId).to.equal('c');
    kept.renew(claims('s1', 'u1', 60_000));
    await new Promise((r) => setTimeout(r, 120));
    expect(closed).to.deep.equal(['dropped:expired']);
    expect(streams.size).to.equal(2);
    streams.find('id-1', claims('s1', 'u1'))!.revoke();
    expect(closed).to.deep.equal(['dropped:expired', 'kept:revoked']);
    expect(streams.find('id-2', claims('s1', 'u1')), 'ended streams are gone').to.equal(null);
  });
});

