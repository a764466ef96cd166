/** The uploader's drain loop with fake ports: a sliding window of `concurrency` uploads, and a failing store stops the pass. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import type { ArchivePort, UploadJob, UploadQueuePort } from '@workers/uploader/port';
import { Uploader } from '@workers/uploader/uploader';

const BODY = Buffer.from('segment bytes');
const SHA = createHash('sha256').update(BODY).digest('hex');
const tick = () => new Promise<void>((r) => setImmediate(r));
async function until(cond: () => boolean): Promise<boolean> {
  for (let i = 0; i < 2_000 && !cond(); i++) await tick();
  return cond();
}

function world(keys: string[], put: (key: string) => Promise<void>) {
  const all: UploadJob[] = keys.map((k, i) => ({ id: i + 1, cameraId: 'c', cacheKey: `c/${k}`, objectKey: k, sha256: SHA, bytes: BODY.length, attempts: 1 }));
  const pending = [...all];
  const done: string[] = [];
  const failed: string[] = [];
  let claimed = 0;
  const queue: UploadQueuePort = {
    claim: async (_n, _c, limit) => {
      const jobs = pending.splice(0, limit);
      claimed += jobs.length;
      return jobs;
    },
    renew: async () => true,
    complete: async (id) => (done.push(keys[id - 1]!), true),
    fail: async (id) => {
      failed.push(keys[id - 1]!);
      pending.push({ ...all[id - 1]!, attempts: 2 }); // due again at once, as after a short backoff
    },
  };
  const archive: ArchivePort = { putFile: (key) => put(key), putFileMultipart: (key) => put(key), get: async () => Readable.from([BODY]) };
  const uploader = new Uploader({
    queue, archive, node: async () => 'n', cachePath: (k) => `/nowhere/${k}`, workerId: 't', concurrency: 2, claimTtlMs: 60_000, retryMaxMs: 1_000,
    multipartThreshold: 1024, log: { info() {}, warn() {} },
  });
  return { uploader, done, failed, claimed: () => claimed };
}

describe('uploader drain', () => {
  it('keeps `concurrency` uploads in flight: a freed slot takes the next segment while a slow one is still sending', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const w = world(['slow', 'f1', 'f2', 'f3', 'f4'], (key) => (key === 'slow' ? slow : Promise.resolve()));
    const drained = w.uploader.drain();
    expect(await until(() => w.done.length === 4), `done: ${w.done.join(',')}`).to.equal(true);
    expect(w.done).to.deep.equal(['f1', 'f2', 'f3', 'f4']);
    release();
    expect(await drained).to.equal(5);
    expect(w.done.at(-1)).to.equal('slow');
  });

  it('stops claiming when the store fails every upload (the next pass tries again)', async () => {
    const w = world(['a', 'b', 'c', 'd', 'e'], () => Promise.reject(new Error('store down')));
    expect(await w.uploader.drain()).to.equal(0);
    expect(w.claimed()).to.equal(2);
    expect(w.failed).to.deep.equal(['a', 'b']);
  });

  it('a single failing segment ends the pass instead of being retried in it', async () => {
    const w = world(['only'], () => Promise.reject(new Error('read-back mismatch')));
    expect(await w.uploader.drain()).to.equal(0);
    expect(w.claimed()).to.equal(1);
  });
});
