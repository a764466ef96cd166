/**
 * The embedded S3 server, in its thread as Sky Eye runs it (server/storage/embedded-s3.ts), behind
 * a recording loopback proxy: every PUT of an object or of a multipart upload's part is recorded with its start, end and SHA-256 checksum header, and so is
 * every completed multipart upload; the server can be stopped and started again on the same
 * endpoint (an outage), and a hook runs after a PUT is stored, before the client hears of it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { configSchema } from '@config/schema';
import { EMBEDDED_KEY, startEmbeddedS3, type EmbeddedS3 } from '@server/storage/embedded-s3';
import { openObjectStore, type ObjectStore } from '@server/storage/object-store';

export interface PutRecord {
  key: string;
  /** A multipart upload's part number; null for a whole-object PUT. */
  part: number | null;
  /** The x-amz-checksum-sha256 header sent with it (base64), if any. */
  checksumSha256: string | null;
  start: number;
  end: number | null;
  status: number | null;
}

export interface TestS3 {
  endpoint: string;
  bucket: string;
  puts: PutRecord[];
  /** Keys of completed multipart uploads (CompleteMultipartUpload answered 200), in order. */
  completed: string[];
  /** The file s3rver keeps an object's bytes in. */
  objectFile(key: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Runs after the next PUT of `key` is stored, before its response goes back. */
  afterPut(key: string, fn: () => Promise<void>): void;
  /** Calls `fn` when a PUT starts (e.g. to kill the uploader mid-upload); that PUT then hangs. */
  onPutStart(fn: (key: string) => void, hang?: boolean): void;
  /**
   * The next PUT of `key` passes its first `bytes` to the store and then stalls until `release()`:
   * `reached` resolves when it has stalled (to look at the store mid-PUT).
   */
  holdPut(key: string, bytes: number): { reached: Promise<void>; release(): void };
  openStore(): Promise<ObjectStore>;
  close(): Promise<void>;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export async function startTestS3(dir: string, bucket = 'skyeye'): Promise<TestS3> {
  let server: EmbeddedS3 | null = null;
  let upstream = 0;
  const puts: PutRecord[] = [];
  const completed: string[] = [];
  const hooks = new Map<string, () => Promise<void>>();
  let startHook: { fn: (key: string) => void; hang: boolean } | null = null;
  const holds = new Map<string, { bytes: number; reached(): void; released: Promise<void> }>();
  const run = async () => {
    server = await startEmbeddedS3(dir, upstream);
    upstream = Number(new URL(server.endpoint).port);
  };
  await run();
  const keyOf = (url: string) => decodeURIComponent(new URL(url, 'http://x').pathname.split('/').slice(2).join('/'));
  const proxy = http.createServer((req, res) => {
    const isPut = req.method === 'PUT' && keyOf(req.url ?? '/').length > 0;
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const partNumber = query.get('partNumber');
    const rec: PutRecord | null = isPut ? { key: keyOf(req.url!), part: partNumber ? Number(partNumber) : null, checksumSha256: header(req.headers['x-amz-checksum-sha256']), start: Date.now(), end: null, status: null } : null;
    const completes = req.method === 'POST' && query.has('uploadId');
    if (rec) {
      puts.push(rec);
      req.socket.once('close', () => {
        if (rec.end === null) rec.end = Date.now();
      });
      const h = startHook;
      if (h) {
        startHook = null;
        h.fn(rec.key);
        if (h.hang) {
          req.resume(); // read (and drop) the body, so the client's death is seen as the socket closing
          return; // never answered: the client is killed meanwhile
        }
      }
    }
    const up = http.request({ host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      void (async () => {
        const hook = rec && ur.statusCode === 200 ? hooks.get(rec.key) : undefined;
        if (hook) {
          hooks.delete(rec!.key);
          await hook();
        }
        if (completes && ur.statusCode === 200) completed.push(keyOf(req.url!));
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
        ur.on('end', () => {
          if (rec) Object.assign(rec, { end: Date.now(), status: ur.statusCode ?? null });
        });
      })();
    });
    up.on('error', () => {
      if (rec) Object.assign(rec, { end: Date.now(), status: null });
      req.socket.destroy(); // as a dead server would
    });
    const hold = rec ? holds.get(rec.key) : undefined;
    if (!hold) return void req.pipe(up);
    holds.delete(rec!.key);
    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      up.write(chunk);
      if (sent < hold.bytes && (sent += chunk.length) >= hold.bytes) {
        req.pause(); // once: `sent` stops counting here
        hold.reached();
        void hold.released.then(() => req.resume());
      }
    });
    req.on('end', () => up.end());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    endpoint,
    bucket,
    puts,
    completed,
    objectFile: (key) => {
      const parts = key.split('/');
      const base = parts.pop()!;
      return path.join(dir, bucket, ...parts, `${base}._S3rver_object`);
    },
    async stop() {
      if (server) await server.close();
      server = null;
    },
    async start() {
      if (!server) await run();
    },
    afterPut: (key, fn) => void hooks.set(key, fn),
    onPutStart: (fn, hang = false) => void (startHook = { fn, hang }),
    holdPut(key, bytes) {
      let reached!: () => void;
      let release!: () => void;
      const r = new Promise<void>((res) => (reached = res));
      holds.set(key, { bytes, reached, released: new Promise<void>((res) => (release = res)) });
      return { reached: r, release };
    },
    openStore: () =>
      openObjectStore(
        configSchema.parse({ dataDir: dir, storage: { endpoint, bucket, accessKeyId: EMBEDDED_KEY, secretAccessKey: EMBEDDED_KEY, forcePathStyle: true } }),
      ),
    async close() {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      if (server) await server.close();
    },
  };
}
