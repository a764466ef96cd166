import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { signPlaybackToken, verifyPlaybackToken } from '@server/live/playback-token';

const SECRET = 'x'.repeat(40);
const CAM = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ab';
const OTHER = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ac';
const now = new Date('2026-01-01T00:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);

describe('live playback tokens', () => {
  const token = signPlaybackToken(SECRET, { cameraId: CAM, userId: 'u1', expiresAt: later(60) });

  it('verifies a fresh token for its camera and returns the claims', () => {
    const r = verifyPlaybackToken(SECRET, token, CAM, now);
    expect(r.ok).to.equal(true);
    if (r.ok) expect(r.claims).to.deep.equal({ cameraId: CAM, userId: 'u1', expiresAt: later(60) });
  });

  it('is URL-safe and carries no secret', () => {
    expect(token).to.match(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token).not.to.include(SECRET);
  });

  it('rejects an expired token (expiry is exclusive)', () => {
    expect(verifyPlaybackToken(SECRET, token, CAM, later(60))).to.deep.equal({ ok: false, reason: 'expired' });
    expect(verifyPlaybackToken(SECRET, token, CAM, later(59)).ok).to.equal(true);
  });

  it('rejects a token for another camera', () => {
    expect(verifyPlaybackToken(SECRET, token, OTHER, now)).to.deep.equal({ ok: false, reason: 'wrong_camera' });
  });

  it('rejects a tampered payload, signature or another secret', () => {
    const [v, body, sig] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ c: CAM, u: 'u1', e: 9_999_999_999 })).toString('base64url');
    expect(verifyPlaybackToken(SECRET, `${v}.${forged}.${sig}`, CAM, now).ok).to.equal(false);
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    expect(verifyPlaybackToken(SECRET, `${v}.${body}.${flipped}`, CAM, now)).to.deep.equal({ ok: false, reason: 'bad_signature' });
    expect(verifyPlaybackToken('y'.repeat(40), token, CAM, now)).to.deep.equal({ ok: false, reason: 'bad_signature' });
  });

  it('accepts only the signature text it issued, not other spellings that decode to the same bytes', () => {
    const [v, body, sig] = token.split('.') as [string, string, string];
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // A 32-byte signature is 43 characters; the last carries 4 bits and 2 spare ones.
    const last = ALPHABET.indexOf(sig.at(-1)!);
    const spare = ALPHABET[last ^ 1]!;
    const respelled = [sig.slice(0, -1) + spare, `${sig.slice(0, 10)}!${sig.slice(10)}`, `${sig}=`];
    for (const s of respelled) {
      expect(Buffer.from(s, 'base64url').equals(Buffer.from(sig, 'base64url')), s).to.equal(true);
      expect(verifyPlaybackToken(SECRET, `${v}.${body}.${s}`, CAM, now), s).to.deep.equal({ ok: false, reason: 'bad_signature' });
    }
  });

  it('rejects missing and malformed tokens', () => {
    expect(verifyPlaybackToken(SECRET, undefined, CAM, now)).to.deep.equal({ ok: false, reason: 'missing' });
    expect(verifyPlaybackToken(SECRET, '', CAM, now)).to.deep.equal({ ok: false, reason: 'missing' });
    expect(verifyPlaybackToken(SECRET, ['a', 'b'], CAM, now).ok).to.equal(false);
    expect(verifyPlaybackToken(SECRET, 'v2.a.b', CAM, now)).to.deep.equal({ ok: false, reason: 'malformed' });
    expect(verifyPlaybackToken(SECRET, 'v1.onlytwo', CAM, now)).to.deep.equal({ ok: false, reason: 'malformed' });
    expect(verifyPlaybackToken(SECRET, 'v1.' + 'a'.repeat(2000) + '.b', CAM, now)).to.deep.equal({ ok: false, reason: 'malformed' });
  });

  it('rejects a correctly signed body that is not the expected JSON', () => {
    // Signed with the right secret but a wrong shape: still refused.
    const body = Buffer.from(JSON.stringify({ c: CAM, e: 'soon' })).toString('base64url');
    const sig = createHmac('sha256', SECRET).update(`v1.${body}`).digest('base64url');
    expect(verifyPlaybackToken(SECRET, `v1.${body}.${sig}`, CAM, now)).to.deep.equal({ ok: false, reason: 'malformed' });
  });
});
