/**
 * HTTP-style authentication shared by RTSP and the snapshot endpoint:
 * Digest (RFC 2617, MD5, qop=auth or none) and Basic, computed by the shared protocol package.
 * Pure apart from the injected secret/clock.
 * Nonces are stateless: hex(time) + HMAC(secret, time), valid for `nonceTtlMs`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { digestResponse, parseAuthParams, parseBasic, type Credentials } from '@protocol/auth/digest';
import type { AuthMode } from '../types';

export { digestResponse, parseAuthParams, type Credentials } from '@protocol/auth/digest';

export interface AuthCheck {
  ok: boolean;
  /** Set when !ok: value for WWW-Authenticate. */
  challenge?: string;
}

export class HttpAuthenticator {
  private readonly secret = randomBytes(16);

  constructor(
    readonly mode: AuthMode,
    readonly realm: string,
    private readonly now: () => number = Date.now,
    private readonly nonceTtlMs = 10 * 60_000,
  ) {}

  makeNonce(): string {
    const t = this.now().toString(16);
    return t + createHmac('sha256', this.secret).update(t).digest('hex').slice(0, 24);
  }

  nonceValid(nonce: string): boolean {
    const t = nonce.slice(0, nonce.length - 24);
    const mac = nonce.slice(-24);
    const want = createHmac('sha256', this.secret).update(t).digest('hex').slice(0, 24);
    if (mac.length !== 24 || !timingSafeEqual(Buffer.from(mac), Buffer.from(want))) return false;
    const age = this.now() - parseInt(t, 16);
    return age >= 0 && age <= this.nonceTtlMs;
  }

  challenge(): string {
    if (this.mode === 'basic') return `Basic realm="${this.realm}"`;
    return `Digest realm="${this.realm}", nonce="${this.makeNonce()}", algorithm="MD5"`;
  }

  /** Check an Authorization header for `method` against the camera's current credentials. */
  check(header: string | undefined, method: string, creds: Credentials): AuthCheck {
    if (this.mode === 'none') return { ok: true };
    const fail = { ok: false, challenge: this.challenge() };
    if (!header) return fail;
    const sp = header.indexOf(' ');
    const scheme = header.slice(0, sp).toLowerCase();
    const rest = header.slice(sp + 1);
    if (this.mode === 'basic') {
      const b = parseBasic(header);
      return b && b.username === creds.username && safeEq(b.password, creds.password) ? { ok: true } : fail;
    }
    if (scheme !== 'digest') return fail;
    const p = parseAuthParams(rest);
    if (p.username !== creds.username || p.realm !== this.realm || !p.nonce || !p.uri || !p.response) return fail;
    if (!this.nonceValid(p.nonce)) return fail;
    const want = digestResponse({
      username: creds.username,
      realm: this.realm,
      password: creds.password,
      method,
      uri: p.uri,
      nonce: p.nonce,
      qop: p.qop === 'auth' ? 'auth' : undefined,
      nc: p.nc,
      cnonce: p.cnonce,
    });
    return safeEq(want, p.response.toLowerCase()) ? { ok: true } : fail;
  }
}

function safeEq(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
