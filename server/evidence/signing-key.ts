/**
 * The deployment's Ed25519 key signing evidence export manifests. From config
 * (security.evidenceSigningKey, validated at start-up) or generated once into
 * <dataDir>/secrets/evidence-signing-key.pem (mode 0600) and reused. The private key never leaves
 * this object; the public key is served as PEM (SPKI) and its fingerprint names it in manifests.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEd25519PrivateKey } from '@config/schema';

export const SIGNING_KEY_FILE = join('secrets', 'evidence-signing-key.pem');

export interface SigningKey {
  readonly algorithm: 'Ed25519';
  /** SubjectPublicKeyInfo PEM. */
  readonly publicKeyPem: string;
  /** sha256 of the SPKI DER, hex: names the key in manifests. */
  readonly keyId: string;
  /** Detached signature, base64. */
  sign(data: Buffer): string;
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    algorithm: 'Ed25519',
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: publicKeyId(publicKey),
    sign: (data) => sign(null, data, privateKey).toString('base64'),
  };
}

/** Ed25519 over `data` with a public key given as PEM (SPKI) or base64 DER. */
export function verifySignature(publicKey: string, data: Buffer, signatureBase64: string): boolean {
  const t = publicKey.trim();
  const key = t.startsWith('-----BEGIN') ? createPublicKey(t) : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`public key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
  return verify(null, data, key, Buffer.from(signatureBase64, 'base64'));
}

/** The key from config, or from (first creating) the key file in dataDir. */
export function loadSigningKey(opts: { configured?: string; dataDir: string }): SigningKey {
  if (opts.configured) return signingKeyFrom(parseEd25519PrivateKey(opts.configured));
  const file = join(opts.dataDir, SIGNING_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(join(opts.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      // 'wx': never replace a key another process wrote first (its signatures would stop verifying).
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  chmodSync(file, 0o600);
  return signingKeyFrom(parseEd25519PrivateKey(readFileSync(file, 'utf8')));
}
