/**
 * The loopback reader ffmpeg cuts archived recordings through: 127.0.0.1, a random path per file
 * and job, HTTP Range answered, so ffmpeg never sees credentials or a signed URL.
 *
 * Each archived file is fetched whole from S3 (one GetObject, streamed to the job's scratch
 * directory) and ranges are served from that copy. Answering every range with a GetObject of its
 * own was 10x slower than bare ffmpeg: on a seekable fragmented MP4, ffmpeg's demuxer seeks past
 * every fragment's media to index the file before it reads any (30 seeks in a minute's segment),
 * and each request to the store costs tens of milliseconds. The next `ahead` files are fetched
 * while ffmpeg reads the current one; files two behind it are deleted, so the scratch space is a
 * few segments, never the clip, and nothing is held in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '@server/storage/object-store';

export interface ArchivedFile {
  /** The request path ffmpeg is given (unguessable: a random token per job). */
  path: string;
  key: string;
  bytes: number;
}

/** Parses `bytes=a-b` / `bytes=a-` / `bytes=-n` against a size; null when absent or unsatisfiable. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return 'bad';
  let start: number;
  let end: number;
  if (!m[1]) {
    start = Math.max(0, size - Number(m[2]));
    end = size;
  } else {
    start = Number(m[1]);
    end = m[2] ? Math.min(size, Number(m[2]) + 1) : size;
  }
  return start < size && start < end ? { start, end } : 'bad';
}

/** Where the job's local copy of archived file i goes. */
const copyPath = (dir: string, i: number) => join(dir, `archived-${i}.mp4`);

/** One archived object, whole, into `file` (mode 0600); its size must be the index's. */
async function fetchArchived(objects: Pick<ObjectStore, 'get'>, f: ArchivedFile, file: string, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  await pipeline(await objects.get(f.key), createWriteStream(file, { mode: 0o600 }), { signal });
  const size = (await stat(file)).size;
  if (size !== f.bytes) throw new Error(`archived object ${f.key} has ${size} bytes, the index says ${f.bytes}`);
}

/**
 * A short clip's archived files, all fetched into `dir` before ffmpeg starts (`concurrency` at a
 * time), as local paths in order: ffmpeg then reads them at local-disk speed instead of through
 * the loopback reader's range requests. The caller bounds the total (scratch space); a failure or
 * `signal` (the job cancelled) aborts the fetches under way (the caller removes `dir`).
 */
export async function fetchArchivedFiles(objects: Pick<ObjectStore, 'get'>, files: readonly ArchivedFile[], dir: string, signal?: AbortSignal, concurrency = 3): Promise<string[]> {
  const abort = new AbortController();
  const stop = signal ? AbortSignal.any([signal, abort.signal]) : abort.signal;
  const out = files.map((_, i) => copyPath(dir, i));
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      await fetchArchived(objects, files[i]!, out[i]!, stop);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, lane));
  } catch (err) {
    abort.abort();
    throw err;
  }
  return out;
}

/** Local copies of the archived files, in order, fetched `ahead` of the one asked for. */
class Prefetch {
  private readonly copies = new Map<number, Promise<string>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly objects: Pick<ObjectStore, 'get'>,
    private readonly dir: string,
    private readonly files: readonly ArchivedFile[],
    private readonly ahead: number,
  ) {}

  /** The local copy of file i (fetched if need be); starts the next ones and drops old ones. */
  copy(i: number): Promise<string> {
    for (let j = i + 1; j <= Math.min(i + this.ahead, this.files.length - 1); j++) void this.fetch(j).catch(() => undefined);
    for (const j of [...this.copies.keys()]) if (j < i - 1) void this.drop(j);
    return this.fetch(i);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.copies.keys()].map((j) => this.drop(j)));
  }

  private fetch(i: number): Promise<string> {
    let p = this.copies.get(i);
    if (!p) {
      const file = copyPath(this.dir, i);
      p = fetchArchived(this.objects, this.files[i]!, file, this.abort.signal).then(() => file);
      // A failed fetch is not kept: the next request tries again.
      p.catch(() => {
        if (this.copies.get(i) === p) this.copies.delete(i);
        void rm(file, { force: true });
      });
      this.copies.set(i, p);
    }
    return p;
  }

  private async drop(i: number): Promise<void> {
    const p = this.copies.get(i);
    this.copies.delete(i);
    const file = await p?.catch(() => null);
    if (file) await rm(file, { force: true });
  }
}

/** Serves `files` on a loopback port until close(); copies go to `scratchDir` (which the caller removes). */
export async function serveArchive(objects: Pick<ObjectStore, 'get'>, files: readonly ArchivedFile[], scratchDir: string, ahead = 2): Promise<{ base: string; close(): Promise<void> }> {
  const index = new Map(files.map((f, i) => [f.path, i]));
  const prefetch = new Prefetch(objects, scratchDir, files, ahead);
  // ffprobe (the first file's keyframes) and ffmpeg start in a moment: fetch ahead of them now.
  void prefetch.copy(0).catch(() => undefined);
  const server = http.createServer((req, res) => {
    const i = index.get(req.url ?? '');
    if (i === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    const f = files[i]!;
    const r = byteRange(req.headers.range, f.bytes);
    if (r === 'bad') {
      res.writeHead(416, { 'Content-Range': `bytes */${f.bytes}` }).end();
      return;
    }
    const { start, end } = r ?? { start: 0, end: f.bytes };
    const headers = { 'Accept-Ranges': 'bytes', 'Content-Type': 'video/mp4', 'Content-Length': String(end - start) };
    if (req.method === 'HEAD') {
      res.writeHead(r ? 206 : 200, r ? { ...headers, 'Content-Range': `bytes ${start}-${end - 1}/${f.bytes}` } : headers).end();
      return;
    }
    prefetch.copy(i).then(
      (file) => {
        if (r) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end - 1}/${f.bytes}` });
        else res.writeHead(200, headers);
        pipeline(createReadStream(file, { start, end: end - 1 }), res).catch(() => undefined);
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await prefetch.close();
    },
  };
}
