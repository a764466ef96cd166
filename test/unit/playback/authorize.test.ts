import { expect } from 'chai';
import { signPlaybackToken } from '@server/live/playback-token';
import type { FootageRule, VodAccess, VodGrant } from '@server/playback/access';
import { PlaybackService, vodScope, type PlaybackDeps } from '@server/playback/service';

const SECRET = 'x'.repeat(40);
const CAM = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ab';
const INCIDENT = '1c8f3c2e-6a1d-4c7e-9f00-1234567890ab';
const now = new Date('2026-01-01T00:00:00Z');
const rule: FootageRule = async () => true;

function service(verdict: 'ok' | 'revoked' | 'refused' = 'ok') {
  const grants: VodGrant[] = [];
  const access: VodAccess = {
    async check(_claims, grant) {
      grants.push(grant);
      return verdict;
    },
    forget: () => undefined,
  };
  const deps = { clock: { now: () => now }, secret: SECRET, ttlMs: 60_000, access } as unknown as PlaybackDeps;
  return { svc: new PlaybackService(deps), grants };
}

const token = (scope: string, extra: { sessionId?: string; role?: string } = { sessionId: 's1', role: 'investigator' }) =>
  signPlaybackToken(SECRET, { cameraId: scope, userId: 'u1', expiresAt: new Date(now.getTime() + 60_000), ...extra });

describe('recorded playback token check (PlaybackService.authorize)', () => {
  it('opens its camera and range, naming the incident it was issued through', async () => {
    const { svc, grants } = service();
    expect((await svc.authorize(token(vodScope(CAM, 1000, 2000)), CAM, 1000, 2000, rule, true)).ok).to.equal(true);
    expect((await svc.authorize(token(vodScope(CAM, 1000, 2000, INCIDENT)), CAM, 1000, 2000, rule, false)).ok).to.equal(true);
    expect(grants).to.deep.equal([
      { cameraId: CAM, from: 1000, to: 2000, incidentId: null },
      { cameraId: CAM, from: 1000, to: 2000, incidentId: INCIDENT },
    ]);
  });

  it('another range, camera, a live token or a scope with something else after the range: wrong_camera, access not asked', async () => {
    const { svc, grants } = service();
    for (const scope of [vodScope(CAM, 1000, 2001), vodScope(CAM, 1000, 20000), CAM, `${vodScope(CAM, 1000, 2000)}:not-an-incident`, `${vodScope(CAM, 1000, 2000)}:${INCIDENT}:x`]) {
      expect(await svc.authorize(token(scope), CAM, 1000, 2000, rule, true), scope).to.deep.equal({ ok: false, reason: 'wrong_camera' });
    }
    expect(grants).to.deep.equal([]);
  });

  it('passes on the viewer check: revoked (sign-in ended) and refused (footage rule)', async () => {
    expect(await service('revoked').svc.authorize(token(vodScope(CAM, 1000, 2000)), CAM, 1000, 2000, rule, true)).to.deep.equal({ ok: false, reason: 'revoked' });
    expect(await service('refused').svc.authorize(token(vodScope(CAM, 1000, 2000)), CAM, 1000, 2000, rule, true)).to.deep.equal({ ok: false, reason: 'refused' });
  });

  it('missing, tampered and expired tokens are refused before any lookup', async () => {
    const { svc, grants } = service();
    expect(await svc.authorize(undefined, CAM, 1000, 2000, rule, true)).to.deep.equal({ ok: false, reason: 'missing' });
    expect((await svc.authorize(`${token(vodScope(CAM, 1000, 2000))}x`, CAM, 1000, 2000, rule, true)).ok).to.equal(false);
    const old = signPlaybackToken(SECRET, { cameraId: vodScope(CAM, 1000, 2000), userId: 'u1', sessionId: 's1', role: 'investigator', expiresAt: now });
    expect(await svc.authorize(old, CAM, 1000, 2000, rule, true)).to.deep.equal({ ok: false, reason: 'expired' });
    expect(grants).to.deep.equal([]);
  });
});
