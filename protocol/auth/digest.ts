/**
 * HTTP/RTSP authentication (pure): parse every WWW-Authenticate challenge, pick the strongest
 * one (Digest SHA-256, then Digest MD5; Basic only where the caller allows it), answer it
 * (RFC 2617 / RFC 7616 Digest with qop=auth or none; Basic), and compute the expected answer on
 * the server side. Used by the simulator, the RTSP auth proxy and merchant enrollment.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface Challenge {
  scheme: 'digest' | 'basic';
  params: Record<string, string>;
}

const hashOf = (algorithm: DigestAlgorithm) => (s: string) => createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(s).digest('hex');

/** `a="b", c=d` parameters (quoted with backslash escapes, or tokens), names lower-cased. */
export function parseAuthParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(s); p; p = re.exec(s)) {
    out[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return out;
}

/** One challenge: `Digest realm="x", nonce="y", qop="auth"` or `Basic realm="x"`; null for other schemes. */
export function parseChallenge(header: string): Challenge | null {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'digest' && scheme !== 'basic') return null;
  return { scheme, params: parseAuthParams(m[2] ?? '') };
}

/** The Digest algorithm a challenge asks for, or null when it is one this code cannot answer. */
export function digestAlgorithm(c: Challenge): DigestAlgorithm | null {
  const a = (c.params.algorithm ?? 'MD5').toUpperCase();
  return a === 'MD5' || a === 'SHA-256' ? a : null;
}

export interface PickOptions {
  /** Basic sends the password itself: only over TLS (rtsps/https) or when an operator allowed it. */
  allowBasic: boolean;
}

/**
 * The strongest challenge among ALL WWW-Authenticate headers of a reply: Digest SHA-256, then
 * Digest MD5, then Basic (only when allowed). A server offering Digest never gets Basic.
 */
export function pickChallenge(headers: readonly string[], o: PickOptions = { allowBasic: true }): Challenge | null {
  const parsed = headers.map(parseChallenge).filter((c): c is Challenge => c !== null);
  const digests = parsed.filter((c) => c.scheme === 'digest' && digestAlgorithm(c) !== null && c.params.nonce !== undefined);
  const best = digests.find((c) => digestAlgorithm(c) === 'SHA-256') ?? digests[0];
  if (best) return best;
  return o.allowBasic ? (parsed.find((c) => c.scheme === 'basic') ?? null) : null;
}

/** True when the reply offered Basic only (so a caller refusing Basic can say why). */
export function offersOnlyBasic(headers: readonly string[]): boolean {
  const parsed = headers.map(parseChallenge).filter((c): c is Challenge => c !== null);
  return parsed.length > 0 && parsed.every((c) => c.scheme === 'basic');
}

export interface DigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  algorithm?: DigestAlgorithm;
  qop?: 'auth';
  /** Nonce count as a number, or the 8-hex-digit string a client sent. */
  nc?: number | string;
  cnonce?: string;
}

export const formatNc = (nc: number) => nc.toString(16).padStart(8, '0');

/** The `response` value of RFC 2617 section 3.2.2.1 / RFC 7616 section 3.4.1. */
export function digestResponse(i: DigestInput): string {
  const h = hashOf(i.algorithm ?? 'MD5');
  const ha1 = h(`${i.username}:${i.realm}:${i.password}`);
  const ha2 = h(`${i.method}:${i.uri}`);
  if (i.qop === 'auth') {
    const nc = typeof i.nc === 'string' ? i.nc : formatNc(i.nc ?? 1);
    return h(`${ha1}:${i.nonce}:${nc}:${i.cnonce ?? ''}:auth:${ha2}`);
  }
  return h(`${ha1}:${i.nonce}:${ha2}`);
}

const quote = (s: string) => s.replace(/[\\"]/g, '\\$&');

/** The Authorization header value for one request. `nc` counts uses of the same nonce. */
export function authorizationHeader(
  challenge: Challenge,
  creds: Credentials,
  method: string,
  uri: string,
  nc = 1,
  cnonce: string = randomBytes(8).toString('hex'),
): string {
  if (challenge.scheme === 'basic') return basicAuthorization(creds);
  const algorithm = digestAlgorithm(challenge) ?? 'MD5';
  const realm = challenge.params.realm ?? '';
  const nonce = challenge.params.nonce ?? '';
  const offered = (challenge.params.qop ?? '').split(',').map((s) => s.trim().toLowerCase());
  const qop = offered.includes('auth') ? ('auth' as const) : undefined;
  const response = digestResponse({ username: creds.username, password: creds.password, realm, nonce, method, uri, algorithm, qop, nc, cnonce });
  const parts = [`username="${quote(creds.username)}"`, `realm="${quote(realm)}"`, `nonce="${quote(nonce)}"`, `uri="${quote(uri)}"`, `response="${response}"`];
  if (challenge.params.opaque !== undefined) parts.push(`opaque="${quote(challenge.params.opaque)}"`);
  if (challenge.params.algorithm !== undefined) parts.push(`algorithm=${algorithm}`);
  if (qop) parts.push(`qop=auth`, `nc=${formatNc(nc)}`, `cnonce="${quote(cnonce)}"`);
  return `Digest ${parts.join(', ')}`;
}

export function basicAuthorization(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

/** Decodes `Basic <b64>` into credentials (server side), or null. */
export function parseBasic(header: string): Credentials | null {
  const m = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (!m) return null;
  const dec = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = dec.indexOf(':');
  return i < 0 ? null : { username: dec.slice(0, i), password: dec.slice(i + 1) };
}
