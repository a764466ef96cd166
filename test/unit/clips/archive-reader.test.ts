/**
 * The clip worker's loopback reader of archived files, over a fake object store: every range is
 * answered from one whole-object fetch per file, the next files are fetched ahead, and the scratch
 * directory never holds more than the files around the one being read.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { serveArchive, type ArchivedFile } from '@server/clips/archive-reader';

describe('clips: archive reader (fetch whole, serve ranges, prefetch ahead)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-areader-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every range of six files with one GetObject each, keeping at most four copies on disk', async () => {
    const bodies = Array.from({ length: 6 }, () => randomBytes(200_000 + Math.floor(Math.random() * 1000)));
    const files: ArchivedFile[] = bodies.map((b, i) => ({ path: `/tok/${i}.mp4`, key: `k${i}`, bytes: b.length }));
    const gets: string[] = [];
    const objects = { get: async (key: string) => (gets.push(key), Readable.from([bodies[Number(key.slice(1))]!])) };
    const server = await serveArchive(objects, files, dir, 2);
    const most: number[] = [];
    try {
      for (const [i, f] of files.entries()) {
        for (let start = 0; start < f.bytes; start += 37_000) {
          const res = await fetch(server.base + f.path, { headers: { Range: `bytes=${start}-` } });
          expect(res.status).to.equal(206);
          expect(Buffer.from(await res.arrayBuffer()).equals(bodies[i]!.subarray(start))).to.equal(true);
          most.push((await readdir(dir)).length);
        }
        const whole = await fetch(server.base + f.path);
        expect(whole.status).to.equal(200);
        expect(Buffer.from(await whole.arrayBuffer()).equals(bodies[i]!)).to.equal(true);
      }
      expect((await fetch(`${server.base}/tok/9.mp4`)).status).to.equal(404);
    } finally {
      await server.close();
    }
    expect([...gets].sort()).to.deep.equal(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(Math.max(...most)).to.be.at.most(4);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('a fetch that fails answers 502 and is tried again on the next request', async () => {
    const body = randomBytes(1000);
    let calls = 0;
    const objects = {
      get: async () => {
        calls++;
        if (calls === 1) throw new Error('store down');
        return Readable.from([body]);
      },
    };
    const server = await serveArchive(objects, [{ path: '/t/0.mp4', key: 'k', bytes: body.length }], dir, 0);
    try {
      // The fetch started at open failed; a request now fetches again.
      const res = await fetch(`${server.base}/t/0.mp4`);
      expect([200, 502]).to.include(res.status);
      const again = res.status === 200 ? res : await fetch(`${server.base}/t/0.mp4`);
      expect(again.status).to.equal(200);
      expect(Buffer.from(await again.arrayBuffer()).equals(body)).to.equal(true);
    } finally {
      await server.close();
    }
  });
});
