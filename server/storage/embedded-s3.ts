/**
 * The embedded S3-compatible server (s3rver) on 127.0.0.1, run in a worker thread of its own
 * (s3-thread.ts): its HTTP parsing, MD5 of every body, part assembly and disk I/O get their own
 * event loop (and core) instead of competing with the API, the uploader and the clip worker on the
 * main one, and a PUT is answered only once its object is whole on disk. The thread ends with the
 * process; close() stops it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '@common/package-root';
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

/** The thread's module: run by plain Node (its own TypeScript type stripping), never bundled. */
const THREAD = join(PACKAGE_ROOT, 'server', 'storage', 's3-thread.ts');

export interface EmbeddedS3 {
  endpoint: string;
  /** The thread's heap gives its free pages back to the system (common/heap.ts). */
  reduceHeap(): void;
  close(): Promise<void>;
}

/** Starts s3rver over `directory` on a loopback port (a free one unless `port` is given). */
export async function startEmbeddedS3(directory: string, port = 0): Promise<EmbeddedS3> {
  const worker = new Worker(THREAD, { workerData: { directory, port }, execArgv: [], resourceLimits: THREAD_LIMITS });
  const bound = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port?: number; error?: string }) => (m.port ? resolve(m.port) : reject(new Error(`the embedded S3 server did not start: ${m.error ?? 'unknown error'}`))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the embedded S3 server's thread exited with ${code} before it started`)));
  });
  const exited = new Promise<void>((r) => worker.once('exit', () => r()));
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
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
