import { expect } from 'chai';
import type { PlaybackClaims } from '@server/live/playback-token';
import { vodAccess, type FootageRule, type VodGrant, type VodSessions } from '@server/playback/access';

const CAM = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ab';
const grant: VodGrant = { cameraId: CAM, from: 1_000, to: 2_000, incidentId: null };
const claims: PlaybackClaims = { cameraId: `vod:${CAM}:1000-2000`, userId: 'u1', sessionId: 's1', role: 'investigator', expiresAt: new Date(9e12) };

function world() {
  let t = 0;
  const live = new Map([['s1', { userId: 'u1', username: 'ann', displayName: 'Ann', role: 'investigator' as const }]]);
  let finds = 0;
  const sessions: VodSessions = {
    async find(id) {
      finds += 1;
      return live.get(id) ?? null;
    },
  };
  let allowed = true;
  const asked: Array<{ user: string; grant: VodGrant }> = [];
  const rule: FootageRule = async (user, g) => {
    asked.push({ user: `${user.id}/${user.role}`, grant: g });
    return allowed;
  };
  return {
    access: vodAccess(sessions, () => new Date(t), 1000),
    rule,
    asked,
    live,
    finds: () => finds,
    tick: (ms: number) => (t += ms),
    set allowed(v: boolean) {
      allowed = v;
    },
  };
}

describe('recorded playback access (session, role, footage rule)', () => {
  it('opens while the session lives with the same user and role and the rule allows; asks the rule as that user', async () => {
    const w = world();
    expect(await w.access.check(claims, grant, w.rule, true)).to.equal('ok');
    expect(w.asked).to.deep.equal([{ user: 'u1/investigator', grant }]);
  });

  it('revoked when the session ended, belongs to another user, or the role changed', async () => {
    const w = world();
    w.live.set('s1', { userId: 'u1', username: 'ann', displayName: 'Ann', role: 'operator' as never });
    expect(await w.access.check(claims, grant, w.rule, true)).to.equal('revoked');
    w.live.set('s1', { userId: 'u2', username: 'bob', displayName: 'Bob', role: 'investigator' });
    expect(await w.access.check(claims, grant, w.rule, true)).to.equal('revoked');
    w.live.delete('s1');
    expect(await w.access.check(claims, grant, w.rule, true)).to.equal('revoked');
    expect(w.asked, 'the rule is not asked for a dead sign-in').to.deep.equal([]);
  });

  it('a token without a sign-in session or role opens nothing (no internal tokens for recordings)', async () => {
    const w = world();
    const { sessionId: _s, ...noSession } = claims;
    const { role: _r, ...noRole } = claims;
    expect(await w.access.check({ ...noSession, userId: 'proxy' }, grant, w.rule, true)).to.equal('revoked');
    expect(await w.access.check(noRole, grant, w.rule, true)).to.equal('revoked');
    expect(w.finds()).to.equal(0);
  });

  it('refused when the footage rule says no', async () => {
    const w = world();
    w.allowed = false;
    expect(await w.access.check(claims, grant, w.rule, true)).to.equal('refused');
  });

  it('segments reuse an answer up to cacheMs old; playlists (fresh) always ask', async () => {
    const w = world();
    expect(await w.access.check(claims, grant, w.rule, false)).to.equal('ok');
    w.allowed = false;
    w.tick(999);
    expect(await w.access.check(claims, grant, w.rule, false), 'cached').to.equal('ok');
    expect(await w.access.check(claims, grant, w.rule, true), 'fresh').to.equal('refused');
    expect(await w.access.check(claims, grant, w.rule, false), 'the fresh answer is the cached one now').to.equal('refused');
    w.allowed = true;
    w.tick(999);
    expect(await w.access.check(claims, grant, w.rule, false)).to.equal('refused');
    w.tick(1);
    expect(await w.access.check(claims, grant, w.rule, false), 'an answer cacheMs old is asked again').to.equal('ok');
  });

  it('forget drops a session or user at once, and an answer looked up across a forget is not kept', async () => {
    const w = world();
    expect(await w.access.check(claims, grant, w.rule, false)).to.equal('ok');
    w.live.delete('s1');
    w.access.forget({ sessionId: 's1' });
    expect(await w.access.check(claims, grant, w.rule, false)).to.equal('revoked');
    w.live.set('s1', { userId: 'u1', username: 'ann', displayName: 'Ann', role: 'investigator' });
    w.access.forget({ userId: 'u1' });
    // A check in flight when the session ends must not leave its "ok" behind.
    const pending = w.access.check(claims, grant, w.rule, false);
    w.access.forget({ userId: 'u1' });
    w.live.delete('s1');
    expect(await pending).to.equal('ok');
    expect(await w.access.check(claims, grant, w.rule, false)).to.equal('revoked');
  });
});
