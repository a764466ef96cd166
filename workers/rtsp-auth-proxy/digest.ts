/**
 * RTSP authentication answers: RFC 2617 Digest (MD5, qop=auth or none) and Basic.
 * Pure functions; the proxy calls them with the challenge the camera sent.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  scheme: 'digest' | 'basic';
  params: Record<string, string>;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Parses `Digest realm="x", nonce="y", qop="auth"` (quoted or bare values, any order). */
export function parseChallenge(header: string): Challenge | null {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'digest' && scheme !== 'basic') return null;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m[2] ?? ''); p; p = re.exec(m[2] ?? '')) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme, params };
}

/** Picks the strongest challenge among several WWW-Authenticate headers (Digest MD5 over Basic). */
export function pickChallenge(headers: readonly string[]): Challenge | null {
  const parsed = headers.map(parseChallenge).filter((c): c is Challenge => c !== null);
  const digest = parsed.find((c) => c.scheme === 'digest' && (c.params.algorithm ?? 'MD5').toUpperCase() === 'MD5');
  return digest ?? parsed.find((c) => c.scheme === 'basic') ?? null;
}

export interface DigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  qop?: 'auth';
  nc?: number;
  cnonce?: string;
}

/** The `response` value of RFC 2617 section 3.2.2.1. */
export function digestResponse(i: DigestInput): string {
  const ha1 = md5(`${i.username}:${i.realm}:${i.password}`);
  const ha2 = md5(`${i.method}:${i.uri}`);
  if (i.qop === 'auth') {
    return md5(`${ha1}:${i.nonce}:${formatNc(i.nc ?? 1)}:${i.cnonce ?? ''}:auth:${ha2}`);
  }
  return md5(`${ha1}:${i.nonce}:${ha2}`);
}

export const formatNc = (nc: number) => nc.toString(16).padStart(8, '0');

/** Builds the Authorization header value for one request. `nc` counts uses of the same nonce. */
export function authorizationHeader(
  challenge: Challenge,
  creds: Credentials,
  method: string,
  uri: string,
  nc = 1,
  cnonce: string = randomBytes(8).toString('hex'),
): string {
  if (challenge.scheme === 'basic') {
    return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  }
  const realm = challenge.params.realm ?? '';
  const nonce = challenge.params.nonce ?? '';
  const offered = (challenge.params.qop ?? '').split(',').map((s) => s.trim().toLowerCase());
  const qop = offered.includes('auth') ? ('auth' as const) : undefined;
  const response = digestResponse({ username: creds.username, password: creds.password, realm, nonce, method, uri, qop, nc, cnonce });
  const parts = [`username="${creds.username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `response="${response}"`];
  if (challenge.params.opaque !== undefined) parts.push(`opaque="${challenge.params.opaque}"`);
  if (challenge.params.algorithm !== undefined) parts.push(`algorithm=${challenge.params.algorithm}`);
  if (qop) parts.push(`qop=auth`, `nc=${formatNc(nc)}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}
