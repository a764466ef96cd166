/**
 * The embedded S3 server's thread (started by embedded-s3.ts): s3rver on 127.0.0.1 over a directory,
 * with its HTTP parsing, MD5 of every body and disk I/O on an event loop of their own.
 *
 * s3rver's file store answers a PUT before its bytes are on disk: it resolves when the body has been
 * read, not when the file it pipes into has been written. A GET right after the 200 (the uploader's
 * read-back) could see a short object, and a crash right after it could lose an object the uploader
 * had already marked archived. The store here writes an object to a `.partial` file beside it,
 * flushed (fsync) before it is renamed into place, so a 200 means the whole object is on disk and a
 * reader never sees half of one; a multipart part is flushed before its 200 too.
 *
 * Runs on plain Node (type stripping, no tsx): only erasable TypeScript, no local imports.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';

/** The parts of s3rver's FilesystemStore (lib/stores/filesystem.js) this file relies on. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
}
interface StoredObject {
  bucket: string;
  key: string;
  content: Readable | Buffer;
  metadata: unknown;
}
interface S3rverServer {
  store: FilesystemStore;
  context: { store: FilesystemStore };
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (o: { address: string; port: number; directory: string; silent: boolean }) => S3rverServer;
const Base = require('s3rver/lib/stores/filesystem.js') as new (directory: string) => FilesystemStore;
const { directory, port } = workerData as { directory: string; port: number };

/** Writes `content` to `file` and flushes it to disk; its size and MD5 (s3rver's ETag). */
async function writeFlushed(content: Readable | Buffer, file: string): Promise<{ size: number; md5: string }> {
  const md5 = createHash('md5');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(Buffer.isBuffer(content) ? Readable.from([content]) : content, count, createWriteStream(file, { flush: true }));
  return { size, md5: md5.digest('hex') };
}

class DurableStore extends Base {
  async putObject(object: StoredObject): Promise<{ size: number; md5: string }> {
    const file = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(file), { recursive: true });
    // Not listed meanwhile: s3rver lists only names ending in "._S3rver_object".
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    try {
      const written = await writeFlushed(object.content, partial);
      await rename(partial, file);
      await this.putMetadata(object.bucket, object.key, object.metadata, written.md5);
      return written;
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ size: number; md5: string }> {
    const file = join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber));
    await mkdir(dirname(file), { recursive: true });
    const written = await writeFlushed(content, file);
    await writeFile(`${file}.md5`, written.md5);
    return written;
  }
}

const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
server.store = server.context.store = new DurableStore(directory);
const parent = parentPort!;
server.run().then(
  (addr) => parent.postMessage({ port: addr.port }),
  (err: unknown) => parent.postMessage({ error: String((err as Error | undefined)?.message ?? err) }),
);

let collect: ((o: object) => void) | undefined; // common/heap.ts's reduceHeap ("gc" left set gives this thread a global gc)
parent.on('message', (m: unknown) => {
  if (m === 'close') void server.close().finally(() => parent.close());
  if (m === 'reduce-heap') {
    if (!collect) {
      setFlagsFromString('--expose-gc'); // left set (common/heap.ts)
      collect = runInNewContext('gc') as (o: object) => void;
    }
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  }
});
