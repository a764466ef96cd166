/**
 * Camera-credential encryption: AES-256-GCM with a keyring. The envelope stored in
 * cameras.credentials_secret is JSON {v:1, kid, iv, tag, ct} (base64 fields). The first key
 * encrypts; every key decrypts, so keys rotate by prepending a new one (then rotateCredentials).
 * Keys come from config.security.credentialKeys ("id:base64key,..."); when unset a key is
 * generated once into <dataDir>/secrets/credential-keys (mode 0600) and reused.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Envelope {
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

export class KeyringError extends Error {
  override name = 'KeyringError';
}

export interface Keyring {
  readonly primaryKid: string;
  readonly kids: readonly string[];
  encrypt(plain: string): string;
  decrypt(envelope: string): string;
  /** The key id an envelope was sealed with (without decrypting). */
  kidOf(envelope: string): string;
}

/** Parses "id:base64key,id2:base64key2"; every key must be 32 bytes, ids unique. */
export function parseKeySpec(spec: string): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const part of spec.split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) throw new KeyringError('credential key entries must look like "id:base64key"');
    const kid = part.slice(0, i);
    if (!/^[\w.-]{1,64}$/.test(kid)) throw new KeyringError(`credential key id "${kid}" must be 1-64 of [A-Za-z0-9_.-]`);
    const key = Buffer.from(part.slice(i + 1), 'base64');
    if (key.length !== 32) throw new KeyringError(`credential key "${kid}" must be 32 bytes (base64), got ${key.length}`);
    if (out.some(([k]) => k === kid)) throw new KeyringError(`credential key id "${kid}" appears twice`);
    out.push([kid, key]);
  }
  if (!out.length) throw new KeyringError('no credential keys given');
  return out;
}

function parseEnvelope(text: string): Envelope {
  let e: Partial<Envelope>;
  try {
    e = JSON.parse(text) as Partial<Envelope>;
  } catch {
    throw new KeyringError('credential envelope is not JSON');
  }
  if (e.v !== 1 || typeof e.kid !== 'string' || typeof e.iv !== 'string' || typeof e.tag !== 'string' || typeof e.ct !== 'string') {
    throw new KeyringError('credential envelope has an unknown shape');
  }
  return e as Envelope;
}

export function createKeyring(keys: Array<[string, Buffer]>): Keyring {
  if (!keys.length) throw new KeyringError('no credential keys given');
  const byKid = new Map(keys);
  const [primaryKid, primaryKey] = keys[0]!;
  return {
    primaryKid,
    kids: keys.map(([k]) => k),
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', primaryKey, iv);
      cipher.setAAD(Buffer.from(primaryKid));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const env: Envelope = { v: 1, kid: primaryKid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
      return JSON.stringify(env);
    },
    decrypt(text) {
      const e = parseEnvelope(text);
      const key = byKid.get(e.kid);
      if (!key) throw new KeyringError(`credential key "${e.kid}" is not in the keyring`);
      try {
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(e.iv, 'base64'));
        d.setAAD(Buffer.from(e.kid));
        d.setAuthTag(Buffer.from(e.tag, 'base64'));
        return Buffer.concat([d.update(Buffer.from(e.ct, 'base64')), d.final()]).toString('utf8');
      } catch {
        throw new KeyringError(`credential envelope failed authentication with key "${e.kid}"`);
      }
    },
    kidOf(text) {
      return parseEnvelope(text).kid;
    },
  };
}

export const KEY_FILE = join('secrets', 'credential-keys');

/** The keyring from config, or from (first creating) the generated key file in dataDir. */
export function loadKeyring(opts: { credentialKeys?: string; dataDir: string }): Keyring {
  if (opts.credentialKeys) return createKeyring(parseKeySpec(opts.credentialKeys));
  const dir = join(opts.dataDir, 'secrets');
  const file = join(opts.dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const kid = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
    try {
      // 'wx': never overwrite a key another process wrote first (that would orphan its secrets).
      writeFileSync(file, `${kid}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  chmodSync(file, 0o600);
  return createKeyring(parseKeySpec(readFileSync(file, 'utf8')));
}
