/**
 * The uploader with a store request that never answers: the job is failed at its deadline (error
 * recorded, claim given up, retried), segments indexed meanwhile are still uploaded, and close() ends
 * a pass at once.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import type { ArchivePort, UploadJob, UploadQueuePort } from '@workers/uploader/port';
import { Uploader } from '@workers/uploader/uploader';

const BODY = Buffer.from('segment bytes');
const SHA = createHash('sha256').update(BODY).digest('hex');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 3_000): Promise<boolean> {
  for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await sleep(5);
  return cond();
}
const job = (id: number, key: string): UploadJob => ({ id, cameraId: 'c', cacheKey: `c/${key}`, objectKey: key, sha256: SHA, bytes: BODY.length, attempts: 1 });

/** `hung` never answers (and ignores its abort signal), or every key that `hangs` names. */
function world(o: { floorMs: number; pollMs?: number; hangs?: (key: string) => boolean }) {
  const pending: UploadJob[] = [];
  const done: string[] = [];
  const failed: { key: string; error: string }[] = [];
  const renewed = new Set<string>();
  const signals: AbortSignal[] = [];
  const keyOf = new Map<number, string>();
  const add = (...keys: string[]) => {
    for (const key of keys) {
      const j = job(keyOf.size + 1, key);
      keyOf.set(j.id, key);
      pending.push(j);
    }
  };
  const queue: UploadQueuePort = {
    claim: async (_n, _c, limit) => pending.splice(0, limit),
    renew: async (id) => (renewed.add(keyOf.get(id)!), true),
    complete: async (id) => (done.push(keyOf.get(id)!), true),
    fail: async (id, _c, error) => void failed.push({ key: keyOf.get(id)!, error }),
  };
  const hangs = o.hangs ?? ((key: string) => key === 'hung');
  const archive: ArchivePort = {
    putFile: (key, _f, p) => {
      if (p.signal) signals.push(p.signal);
      return hangs(key) ? new Promise<void>(() => undefined) : Promise.resolve();
    },
    putFileMultipart: async () => undefined,
    get: async () => Readable.from([BODY]),
  };
  const uploader = new Uploader({
    queue, archive, node: async () => 'n', cachePath: (k) => `/nowhere/${k}`, workerId: 't', concurrency: 4, claimTtlMs: 300, retryMaxMs: 1_000,
    multipartThreshold: 1024, pollMs: o.pollMs ?? 20, jobDeadline: { floorMs: o.floorMs, minBytesPerSecond: 1024 ** 2 }, log: { info() {}, warn() {} },
  });
  return { uploader, add, done, failed, renewed, signals, pending };
}

describe('uploader with a store request that never answers', () => {
  it('still uploads the segments indexed while it hangs', async () => {
    const w = world({ floorMs: 60_000 });
    w.add('hung', 'f1');
    let returned = false;
    const drained = w.uploader.drain().then((n) => ((returned = true), n));
    expect(await until(() => w.done.length === 1)).to.equal(true);
    w.add('f2', 'f3'); // indexed while the pass waits on the hung upload (a kick would only coalesce with it)
    expect(await until(() => w.done.length === 3), `done: ${w.done.join(',')}`).to.equal(true);
    expect(w.done).to.deep.equal(['f1', 'f2', 'f3']);
    expect(returned, 'the pass still waits on the hung upload').to.equal(false);
    w.uploader.close();
    expect(await drained).to.equal(3);
    expect(w.failed, 'a closing uploader leaves the claim to expire').to.deep.equal([]);
  });

  it('a segment indexed while it hangs is claimed at once when the uploader is woken, not at its next look', async () => {
    const w = world({ floorMs: 60_000, pollMs: 60_000 });
    w.add('hung', 'f1');
    const drained = w.uploader.drain();
    expect(await until(() => w.done.length === 1)).to.equal(true);
    w.add('f2');
    expect(await until(() => w.done.length === 2, 300), 'not claimed before its look (a minute away) unless woken').to.equal(false);
    w.uploader.wake();
    expect(await until(() => w.done.length === 2, 1_000)).to.equal(true);
    w.uploader.close();
    await drained;
  });

  it('fails the hung upload at its deadline: error recorded, claim given up (no more renewals), store request aborted', async () => {
    const w = world({ floorMs: 400 });
    w.add('hung');
    const t0 = Date.now();
    expect(await w.uploader.drain()).to.equal(0);
    expect(Date.now() - t0).to.be.within(350, 2_000);
    expect(w.failed).to.have.length(1);
    expect(w.failed[0]!.key).to.equal('hung');
    expect(w.failed[0]!.error).to.match(/^TimeoutError: .*deadline/);
    expect(w.renewed.has('hung'), 'the claim was renewed while the upload ran').to.equal(true);
    expect(w.signals[0]!.aborted, 'the store request is aborted').to.equal(true);
    w.renewed.clear();
    await sleep(250); // more than a renewal period (claimTtl / 3)
    expect([...w.renewed]).to.deep.equal([]);
  });

  it('a retry after the deadline goes through once the store answers again', async () => {
    let storeHangs = true;
    const w = world({ floorMs: 100, hangs: () => storeHangs });
    w.add('seg');
    expect(await w.uploader.drain()).to.equal(0);
    storeHangs = false;
    w.pending.push({ ...job(1, 'seg'), attempts: 2 }); // due again after its backoff
    expect(await w.uploader.drain()).to.equal(1);
    expect(w.done).to.deep.equal(['seg']);
  });

  it('close() ends a pass waiting on a hung upload at once', async () => {
    const w = world({ floorMs: 60_000 });
    w.add('hung');
    const drained = w.uploader.drain();
    expect(await until(() => w.signals.length === 1)).to.equal(true);
    const t0 = Date.now();
    w.uploader.close();
    expect(await drained).to.equal(0);
    expect(Date.now() - t0).to.be.below(200);
    expect(w.signals[0]!.aborted).to.equal(true);
    w.add('later');
    expect(await w.uploader.drain(), 'a closed uploader claims nothing').to.equal(0);
    expect(w.pending.map((j) => j.objectKey)).to.deep.equal(['later']);
  });
});
