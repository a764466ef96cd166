/**
 * The embedded S3 server answers a PUT only once the object is whole on disk (server/storage/
 * s3-thread.ts). s3rver's own file store answered when it had read the body, before the file it
 * piped it into was written, and it wrote into the object's own file: a read-back right after the
 * 200 could see a short object (the uploader then flagged a read-back mismatch and sent it again),
 * and a reader during an overwrite saw half of one. Checked after the store's 200, before the client
 * hears of it (the proxy's afterPut hook), and midway through an overwrite (the proxy holds the PUT
 * after 4 MiB): the object's file holds one whole object, never part of one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { ObjectStore } from '@server/storage/object-store';
import { startTestS3, type TestS3 } from './s3';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('embedded S3 server: a PUT is answered once the object is on disk', function () {
  this.timeout(60_000);
  let dir: string;
  let s3: TestS3;
  let objects: ObjectStore;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-es3-'));
    s3 = await startTestS3(path.join(dir, 's3'));
    objects = await s3.openStore();
  });
  after(async () => {
    await objects?.close();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds every byte of each object on disk when it answers 200 (object PUT)', async () => {
    const body = randomBytes(24 << 20);
    const file = path.join(dir, 'body');
    await writeFile(file, body);
    const seen: { bytes: number; sha256: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const key = `durable/${i}.mp4`;
      s3.afterPut(key, async () => {
        const onDisk = await readFile(s3.objectFile(key));
        seen.push({ bytes: onDisk.length, sha256: sha256(onDisk) });
      });
      await objects.putFile(key, file, { bytes: body.length, sha256: sha256(body) });
    }
    expect(seen).to.deep.equal(Array(4).fill({ bytes: body.length, sha256: sha256(body) }));
    // Nothing half-written is left beside the objects.
    expect((await readdir(path.dirname(s3.objectFile('durable/0.mp4')))).filter((f) => f.endsWith('.partial'))).to.deep.equal([]);
  });

  it('while an object is being overwritten, its file holds the previous object whole; then the new one', async () => {
    const key = 'durable/over.mp4';
    const [first, second] = [randomBytes(6 << 20), randomBytes(12 << 20)];
    const file = path.join(dir, 'over');
    await writeFile(file, first);
    await objects.putFile(key, file, { bytes: first.length, sha256: sha256(first) });
    await writeFile(file, second);
    const hold = s3.holdPut(key, 4 << 20);
    const put = objects.putFile(key, file, { bytes: second.length, sha256: sha256(second) });
    await hold.reached;
    await new Promise((r) => setTimeout(r, 300)); // the store writes what it has been sent
    const midway = await readFile(s3.objectFile(key));
    hold.release();
    await put;
    expect({ bytes: midway.length, sha256: sha256(midway) }).to.deep.equal({ bytes: first.length, sha256: sha256(first) });
    expect(sha256(await readFile(s3.objectFile(key)))).to.equal(sha256(second));
  });

  it('a multipart object reads back whole', async () => {
    const body = randomBytes(12 << 20);
    const file = path.join(dir, 'multi');
    await writeFile(file, body);
    await objects.putFileMultipart('durable/multi.mp4', file, { bytes: body.length });
    const chunks: Buffer[] = [];
    for await (const c of await objects.get('durable/multi.mp4')) chunks.push(c as Buffer);
    expect(sha256(Buffer.concat(chunks))).to.equal(sha256(body));
  });
});
