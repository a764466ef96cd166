/**
 * A real embedded S3 server (s3rver) behind a recording loopback proxy: every PUT of an object or of
 * a multipart upload's part is recorded with its start, end and SHA-256 checksum header, and so is
 * every completed multipart upload; the server can be stopped and started again on the same
 * endpoint (an outage), and a hook runs after a PUT is stored, before the client hears of it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';
import { configSchema } from '@config/schema';
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
  openStore(): Promise<ObjectStore>;
  close(): Promise<void>;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export async function startTestS3(dir: string, bucket = 'skyeye'): Promise<TestS3> {
  let server: S3rver | null = null;
  let upstream = 0;
  const puts: PutRecord[] = [];
  const completed: string[] = [];
  const hooks = new Map<string, () => Promise<void>>();
  let startHook: { fn: (key: string) => void; hang: boolean } | null = null;
  const run = async () => {
    server = new S3rver({ address: '127.0.0.1', port: upstream, directory: dir, silent: true });
    upstream = (await server.run()).port;
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
    req.pipe(up);
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
    openStore: () =>
      openObjectStore(
        configSchema.parse({ dataDir: dir, storage: { endpoint, bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true } }),
      ),
    async close() {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      if (server) await server.close();
    },
  };
}
