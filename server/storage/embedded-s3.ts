/**
 * The embedded S3-compatible server (s3rver) on 127.0.0.1, run in a worker thread of its own: its
 * HTTP parsing, MD5 of every body, part assembly and disk I/O get their own event loop (and core)
 * instead of competing with the API, the uploader and the clip worker on the main one. The thread
 * ends with the process; close() stops it.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { THREAD_LIMITS } from '@common/threads';
import type { Config } from '@config/schema';

// s3rver's fixed development credentials; they guard nothing but a loopback-only embedded store.
export const EMBEDDED_KEY = 'S3RVER';

/** Where the embedded store keeps its objects (under dataDir). */
export function embeddedDirectory(config: Config): string {
  const directory = resolve(join(config.dataDir, 's3'));
  mkdirSync(directory, { recursive: true });
  return directory;
}

// Plain CommonJS for the thread (no TypeScript loader needed there); s3rver's path comes from here.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const S3rver = require(workerData.module);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory: workerData.directory, silent: true });
server.run().then(
  (addr) => parentPort.postMessage({ port: addr.port }),
  (err) => parentPort.postMessage({ error: String((err && err.message) || err) }),
);
let collect; // common/heap.ts's reduceHeap (not "gc": --expose-gc, left set, gives this thread a global gc)
parentPort.on('message', (m) => {
  if (m === 'close') server.close().finally(() => parentPort.close());
  if (m === 'reduce-heap') {
    const v8 = require('node:v8');
    if (!collect) (v8.setFlagsFromString('--expose-gc'), (collect = require('node:vm').runInNewContext('gc'))); // left set (common/heap.ts)
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  }
});
`;

export interface EmbeddedS3 {
  endpoint: string;
  /** The thread's heap gives its free pages back to the system (common/heap.ts). */
  reduceHeap(): void;
  close(): Promise<void>;
}

/** Starts s3rver over `directory` on a free loopback port. */
export async function startEmbeddedS3(directory: string): Promise<EmbeddedS3> {
  const module = createRequire(import.meta.url).resolve('s3rver');
  const worker = new Worker(THREAD, { eval: true, workerData: { module, directory }, resourceLimits: THREAD_LIMITS });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port?: number; error?: string }) => (m.port ? resolve(m.port) : reject(new Error(`the embedded S3 server did not start: ${m.error ?? 'unknown error'}`))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the embedded S3 server's thread exited with ${code} before it started`)));
  });
  const exited = new Promise<void>((r) => worker.once('exit', () => r()));
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reduceHeap: () => worker.postMessage('reduce-heap'),
    // Idempotent: a second close (or one after the thread died) waits for the same exit.
    close() {
      closing ??= (async () => {
        worker.postMessage('close');
        // s3rver closes once its open connections end; don't wait on a client that keeps one.
        const timer = setTimeout(() => void worker.terminate(), 2_000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/**
 * The embedded store started once for several processes (the api cluster's primary), and the
 * environment its children reach it with: they open it as a configured endpoint.
 */
export async function shareEmbeddedStore(config: Config): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const embedded = await startEmbeddedS3(embeddedDirectory(config));
  return { env: { SKYEYE_S3_ENDPOINT: embedded.endpoint, SKYEYE_S3_ACCESS_KEY_ID: EMBEDDED_KEY, SKYEYE_S3_SECRET_ACCESS_KEY: EMBEDDED_KEY }, close: () => embedded.close() };
}
