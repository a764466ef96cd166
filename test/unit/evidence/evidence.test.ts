/** Pure parts of evidence: gaps inside a range, the range digest, the audit chain walk, the signing key and its config validation. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configSchema } from '@config/schema';
import { ChainWalker, entryHash, GENESIS, type ChainRow } from '@server/audit/chain';
import { gapsIn, rangeDigest, type RangeSegment } from '@server/evidence/ranges';
import { loadSigningKey, SIGNING_KEY_FILE, verifySignature } from '@server/evidence/signing-key';

const seg = (from: string, to: string, sha = 'a'.repeat(64)): RangeSegment => ({ objectKey: 'k', sha256: sha, bytes: 1, from, to });

describe('evidence ranges', () => {
  const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  it('finds holes at the start, between segments and at the end; ignores jitter under the tolerance', () => {
    const segs = [seg(T(5), T(10)), seg(T(11), T(20)), seg(T(30), T(40))];
    expect(gapsIn(segs, new Date(T(0)), new Date(T(50)))).to.deep.equal([
      { from: T(0), to: T(5) },
      { from: T(20), to: T(30) },
      { from: T(40), to: T(50) },
    ]);
    expect(gapsIn([seg(T(0), T(10)), seg(T(10), T(20))], new Date(T(2)), new Date(T(18)))).to.deep.equal([]);
  });
  it('the digest changes with any segment hash or time', () => {
    const a = rangeDigest([seg(T(0), T(4)), seg(T(4), T(8))]);
    expect(rangeDigest([seg(T(0), T(4)), seg(T(4), T(8))])).to.equal(a);
    expect(rangeDigest([seg(T(0), T(4)), seg(T(4), T(9))])).to.not.equal(a);
    expect(rangeDigest([seg(T(0), T(4)), seg(T(4), T(8), 'b'.repeat(64))])).to.not.equal(a);
  });
});

describe('audit chain walk', () => {
  const chain = (n: number): ChainRow[] => {
    const out: ChainRow[] = [];
    let prev = GENESIS;
    for (let i = 1; i <= n; i++) {
      const r = { seq: String(i), id: String(i + 10), at: '2026-01-01T00:00:00.000000Z', actor_id: null, actor_name: 'a|b', actor_role: null, action: 'x', target_type: null, target_id: null, ip: null, request_id: null, details: '{}' };
      const hash = entryHash(prev, r);
      out.push({ ...r, prev_hash: prev, hash });
      prev = hash;
    }
    return out;
  };
  const walk = (rows: ChainRow[], head = rows.length ? { seq: rows[rows.length - 1]!.seq, hash: rows[rows.length - 1]!.hash } : null) => {
    const w = new ChainWalker();
    for (const r of rows) if (!w.push(r)) break;
    return w.finish(head);
  };
  it('passes an intact chain and names the first edited, missing or re-linked entry', () => {
    const rows = chain(5);
    expect(walk(rows)).to.deep.equal({ ok: true, checked: 5, firstBroken: null });
    const edited = rows.map((r) => (r.seq === '3' ? { ...r, actor_name: 'a', ip: '|b' } : r)); // same bytes joined naively
    expect(walk(edited).firstBroken).to.include({ seq: '3', problem: 'hash_mismatch' });
    expect(walk(rows.filter((r) => r.seq !== '2')).firstBroken).to.include({ seq: '3', problem: 'missing_entries' });
    expect(walk(rows.slice(0, 4), { seq: '5', hash: rows[4]!.hash }).firstBroken).to.include({ problem: 'head_mismatch' });
    const relinked = rows.map((r) => (r.seq === '4' ? { ...r, prev_hash: GENESIS } : r));
    expect(walk(relinked).firstBroken).to.include({ seq: '4', problem: 'prev_hash_mismatch' });
  });
});

describe('evidence signing key', () => {
  it('is generated once into the data dir (0600) and reused; signatures verify with its public key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyeye-key-'));
    try {
      const a = loadSigningKey({ dataDir: dir });
      const b = loadSigningKey({ dataDir: dir });
      expect(b.publicKeyPem).to.equal(a.publicKeyPem);
      expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).to.equal(0o600);
      const data = Buffer.from('manifest');
      expect(verifySignature(a.publicKeyPem, data, a.sign(data))).to.equal(true);
      expect(verifySignature(a.publicKeyPem, Buffer.from('manifesT'), a.sign(data))).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('config takes an Ed25519 key as PEM or base64 DER and refuses anything else, naming the key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    for (const k of [pem, der]) {
      const cfg = configSchema.parse({ security: { evidenceSigningKey: k } });
      expect(loadSigningKey({ configured: cfg.security.evidenceSigningKey, dataDir: '/nonexistent' }).publicKeyPem).to.contain('BEGIN PUBLIC KEY');
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const bad of [rsa, 'not a key']) {
      const r = configSchema.safeParse({ security: { evidenceSigningKey: bad } });
      expect(r.success).to.equal(false);
      expect(r.error!.issues[0]!.path.join('.')).to.equal('security.evidenceSigningKey');
    }
  });
});
