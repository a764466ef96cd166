/**
 * The object store's S3 clients against a server that takes connections and requests and never
 * answers: a PUT fails once its socket has been idle for socketTimeout, a GET when no response has
 * come within requestTimeout (S3_TIMEOUTS, shortened here), instead of waiting forever.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { configSchema } from '@config/schema';
import { openObjectStore, type ObjectStore } from '@server/storage/object-store';

describe('object store: a store that never answers', () => {
  let server: net.Server;
  let sockets: net.Socket[];
  let dir: string;
  let store: ObjectStore;

  before(async () => {
    sockets = [];
    server = net.createServer((s) => {
      sockets.push(s);
      s.resume(); // reads every byte, answers none
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-s3-timeouts-'));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = configSchema.parse({ dataDir: dir, storage: { endpoint, accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true } });
    store = await openObjectStore(config, { timeouts: { connectionTimeout: 500, socketTimeout: 300, requestTimeout: 300 } });
  });

  after(async () => {
    await store?.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  async function failure(p: Promise<unknown>): Promise<{ error: Error; ms: number }> {
    const t0 = Date.now();
    const error = await p.then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
    return { error, ms: Date.now() - t0 };
  }

  it('a PUT fails with a TimeoutError once its socket is idle', async () => {
    const file = path.join(dir, 'seg.mp4');
    await writeFile(file, Buffer.alloc(64 * 1024, 1));
    const r = await failure(store.putFile('a/seg.mp4', file, { bytes: 64 * 1024, sha256: '00'.repeat(32) }));
    expect(r.error.name, r.error.message).to.equal('TimeoutError');
    expect(r.ms).to.be.below(5_000);
  });

  it('a GET fails with a TimeoutError when no response comes', async () => {
    const r = await failure(store.get('a/seg.mp4'));
    expect(r.error.name, r.error.message).to.equal('TimeoutError');
    expect(r.ms).to.be.below(5_000);
  });
});
