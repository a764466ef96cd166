/**
 * Short-lived playback tokens for live HLS/FLV URLs: HMAC-SHA256 over camera id, user id and
 * expiry. Verified from the token alone (no database), so the segment path stays cheap; not a
 * session cookie and not a credential: it opens one camera's live stream until it expires.
 *
 * Format: "v1.<base64url(JSON {c, u, e})>.<base64url(hmac)>", e = expiry in unix seconds.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PlaybackClaims {
  cameraId: string;
  userId: string;
  expiresAt: Date;
}

export type VerifyResult =
  | { ok: true; claims: PlaybackClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'wrong_camera' };

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 1024;

function mac(secret: string | Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();
}

export function signPlaybackToken(secret: string | Buffer, claims: PlaybackClaims): string {
  const body = Buffer.from(JSON.stringify({ c: claims.cameraId, u: claims.userId, e: Math.floor(claims.expiresAt.getTime() / 1000) })).toString('base64url');
  return `${VERSION}.${body}.${mac(secret, body).toString('base64url')}`;
}

export function verifyPlaybackToken(secret: string | Buffer, token: unknown, cameraId: string, now: Date): VerifyResult {
  if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [, body, sig] = parts as [string, string, string];
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let payload: { c?: unknown; u?: unknown; e?: unknown };
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload.c !== 'string' || typeof payload.u !== 'string' || typeof payload.e !== 'number') return { ok: false, reason: 'malformed' };
  if (payload.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  if (payload.c !== cameraId) return { ok: false, reason: 'wrong_camera' };
  return { ok: true, claims: { cameraId: payload.c, userId: payload.u, expiresAt: new Date(payload.e * 1000) } };
}
