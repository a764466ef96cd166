/**
 * Short-lived playback tokens for live HLS/FLV URLs: HMAC-SHA256 over camera id, user id and
 * expiry. Verified from the token alone (no database), so the segment path stays cheap; not a
 * session cookie and not a credential: it opens one camera's live stream until it expires.
 *
 * Format: "v1.<base64url(JSON {c, u, e, s?, r?})>.<base64url(hmac)>", e = expiry in unix seconds,
 * s = the sign-in session it was issued to (its id is a hash, not a credential), r = the role then.
 * The signature proves the token was issued; whether its viewer may still watch is checked at
 * every use by the live service (viewers.ts).
 */
import { createHmac } from 'node:crypto';
import { sameToken } from '@server/auth/tokens';

export interface PlaybackClaims {
  cameraId: string;
  userId: string;
  expiresAt: Date;
  /** The sign-in session the token was issued to; absent only on internal (api -> worker) tokens. */
  sessionId?: string;
  /** The viewer's role when the token was issued. */
  role?: string;
}

export type VerifyResult =
  | { ok: true; claims: PlaybackClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'wrong_camera' | 'revoked' };

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 1024;

function mac(secret: string | Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();
}

export function signPlaybackToken(secret: string | Buffer, claims: PlaybackClaims): string {
  const payload = { c: claims.cameraId, u: claims.userId, e: Math.floor(claims.expiresAt.getTime() / 1000), s: claims.sessionId, r: claims.role };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${VERSION}.${body}.${mac(secret, body).toString('base64url')}`;
}

/** `cameraId` null: a token for any camera (the caller compares `claims.cameraId` itself). */
export function verifyPlaybackToken(secret: string | Buffer, token: unknown, cameraId: string | null, now: Date): VerifyResult {
  if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [, body, sig] = parts as [string, string, string];
  // The signature's text must be exactly the one issued: decoding first would accept other
  // spellings of it (base64url decoding drops the last character's spare bits and skips
  // characters outside the alphabet), so one token would have many valid texts.
  if (!sameToken(sig, mac(secret, body).toString('base64url'))) return { ok: false, reason: 'bad_signature' };
  let payload: { c?: unknown; u?: unknown; e?: unknown; s?: unknown; r?: unknown };
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload.c !== 'string' || typeof payload.u !== 'string' || typeof payload.e !== 'number') return { ok: false, reason: 'malformed' };
  if ((payload.s !== undefined && typeof payload.s !== 'string') || (payload.r !== undefined && typeof payload.r !== 'string')) return { ok: false, reason: 'malformed' };
  if (payload.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  if (cameraId !== null && payload.c !== cameraId) return { ok: false, reason: 'wrong_camera' };
  const claims: PlaybackClaims = { cameraId: payload.c, userId: payload.u, expiresAt: new Date(payload.e * 1000) };
  if (typeof payload.s === 'string') claims.sessionId = payload.s;
  if (typeof payload.r === 'string') claims.role = payload.r;
  return { ok: true, claims };
}
