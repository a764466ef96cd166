import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyring, KEY_FILE, loadKeyring, parseKeySpec } from '@server/security/keyring';
import { rotateCredentials } from '@server/security/rotate';
import { openTestDatabase } from '@test/helpers/database';

const key = () => randomBytes(32).toString('base64');

describe('security: credential keyring', () => {
  it('encrypts to a v1 envelope and decrypts back', () => {
    const ring = createKeyring(parseKeySpec(`a:${key()}`));
    const env = ring.encrypt('S3cr3t-Camera-Pa55');
    expect(env).not.to.include('S3cr3t');
    const parsed = JSON.parse(env) as Record<string, unknown>;
    expect(parsed).to.include({ v: 1, kid: 'a' });
    expect(Object.keys(parsed).sort()).to.deep.equal(['ct', 'iv', 'kid', 'tag', 'v']);
    expect(ring.decrypt(env)).to.equal('S3cr3t-Camera-Pa55');
    expect(ring.encrypt('x')).not.to.equal(ring.encrypt('x')); // fresh IV each time
  });

  it('rejects tampered ciphertext and unknown keys', () => {
    const ring = createKeyring(parseKeySpec(`a:${key()}`));
    const env = JSON.parse(ring.encrypt('secret')) as { ct: string };
    const ct = Buffer.from(env.ct, 'base64');
    ct[0] = ct[0]! ^ 1;
    expect(() => ring.decrypt(JSON.stringify({ ...env, ct: ct.toString('base64') }))).to.throw(/authentication/);
    const other = createKeyring(parseKeySpec(`b:${key()}`));
    expect(() => other.decrypt(ring.encrypt('secret'))).to.throw(/not in the keyring/);
  });

  it('validates the key spec', () => {
    expect(() => parseKeySpec('nocolon')).to.throw();
    expect(() => parseKeySpec(`a:${randomBytes(16).toString('base64')}`)).to.throw(/32 bytes/);
    expect(() => parseKeySpec(`a:${key()},a:${key()}`)).to.throw(/twice/);
  });

  it('first key encrypts, every key decrypts (rotation)', () => {
    const oldSpec = `old:${key()}`;
    const oldRing = createKeyring(parseKeySpec(oldSpec));
    const sealed = oldRing.encrypt('pw');
    const newRing = createKeyring(parseKeySpec(`new:${key()},${oldSpec}`));
    expect(newRing.primaryKid).to.equal('new');
    expect(newRing.decrypt(sealed)).to.equal('pw');
    expect(newRing.kidOf(newRing.encrypt('pw'))).to.equal('new');
  });

  it('generates a 0600 key file in dataDir once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyeye-kr-'));
    try {
      const a = loadKeyring({ dataDir: dir });
      const file = join(dir, KEY_FILE);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      const text = readFileSync(file, 'utf8');
      const b = loadKeyring({ dataDir: dir });
      expect(readFileSync(file, 'utf8')).to.equal(text);
      expect(b.primaryKid).to.equal(a.primaryKid);
      expect(b.decrypt(a.encrypt('pw'))).to.equal('pw');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rotateCredentials re-encrypts rows sealed with a non-primary key', async () => {
    const { database, close } = await openTestDatabase(); // the chosen backend (SKYEYE_TEST_DB)
    try {
      const oldSpec = `old:${key()}`;
      const oldRing = createKeyring(parseKeySpec(oldSpec));
      for (let i = 0; i < 3; i++) {
        await database.query(
          `INSERT INTO cameras (name, kind, lat, lon, credentials_username, credentials_secret) VALUES ($1, 'road', 34.09, 119.35, 'u', $2)`,
          [`c${i}`, oldRing.encrypt(`pw${i}`)],
        );
      }
      await database.query(`INSERT INTO cameras (name, kind, lat, lon) VALUES ('nocreds', 'road', 34.09, 119.35)`);
      const newKey = key();
      const ring = createKeyring(parseKeySpec(`new:${newKey},${oldSpec}`));
      const report = await rotateCredentials(database, ring, 2);
      expect(report).to.deep.equal({ scanned: 3, rotated: 3, failed: 0 });
      const rows = await database.query<{ name: string; credentials_secret: string }>(`SELECT name, credentials_secret FROM cameras WHERE credentials_secret IS NOT NULL ORDER BY name`);
      const onlyNew = createKeyring(parseKeySpec(`new:${newKey}`)); // the old key can now be dropped
      for (const [i, r] of rows.entries()) {
        expect(ring.kidOf(r.credentials_secret)).to.equal('new');
        expect(onlyNew.decrypt(r.credentials_secret)).to.equal(`pw${i}`);
      }
      expect(await rotateCredentials(database, ring)).to.deep.equal({ scanned: 0, rotated: 0, failed: 0 });
    } finally {
      await close();
    }
  });
});
