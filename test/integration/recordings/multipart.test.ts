/**
 * Multipart archiving of large recording segments against a real s3rver (behind the recording
 * proxy) and a real database: a segment at or above the uploader's threshold goes as a multipart
 * upload whose every part carries its own SHA-256, is read back whole and only then archived; a
 * smaller one still goes in one PUT with the whole object's SHA-256.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { archiveFixture } from './fixture';
import { cachedSegment, insertCamera } from './helpers';

const MiB = 1024 ** 2;
const b64sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

describe(`archive uploader: multipart (${TEST_BACKEND}, s3rver)`, function () {
  this.timeout(120_000);
  const world = archiveFixture('skyeye-mpu-');

  it('sends a segment above the threshold in parts (SHA-256 each), reads it back and archives it; a small one in one PUT', async () => {
    const { database, store, repo, s3 } = world;
    const cam = await insertCamera(database);
    // Parts of 8 MiB (archive.multipartPartSize default): 8 + 8 + 1 MiB and a bit.
    const big = await cachedSegment(store, repo, cam, 30_000, { bytes: 17 * MiB + 123 });
    const small = await cachedSegment(store, repo, cam, 20_000, { bytes: 512 * 1024 });
    expect(await world.uploader({ multipartThreshold: 1 * MiB }).drain()).to.equal(2);

    const rows = await repo.listSegments(cam, new Date(0), new Date());
    expect(rows.map((r) => r.state)).to.deep.equal(['archived', 'archived']);
    for (const r of rows) {
      expect(r.verifiedAt).to.be.instanceOf(Date);
      expect(createHash('sha256').update(await readFile(s3.objectFile(r.objectKey))).digest('hex')).to.equal(r.sha256);
    }
    const [bigRow, smallRow] = rows;
    const body = await readFile(big.file);
    const parts = s3.puts.filter((p) => p.key === bigRow!.objectKey);
    expect(parts.map((p) => [p.part, p.status]).sort()).to.deep.equal([[1, 200], [2, 200], [3, 200]]);
    for (const p of parts) {
      const from = (p.part! - 1) * 8 * MiB;
      expect(p.checksumSha256, `part ${p.part}`).to.equal(b64sha256(body.subarray(from, from + 8 * MiB)));
    }
    expect(s3.completed).to.deep.equal([bigRow!.objectKey]);

    const single = s3.puts.filter((p) => p.key === smallRow!.objectKey);
    expect(single.map((p) => [p.part, p.status])).to.deep.equal([[null, 200]]);
    expect(single[0]!.checksumSha256).to.equal(Buffer.from(small.sha256, 'hex').toString('base64'));
  });
});
