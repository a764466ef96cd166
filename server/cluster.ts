/**
 * Several api processes on one port (`http.processes` > 1, role api): this primary forks them with
 * node:cluster, which hands each new connection to the next process in turn, so every core of the
 * machine serves requests. The primary serves nothing itself. It starts the first process alone (it
 * migrates the database and creates the first administrator), then the rest together; restarts a
 * process that dies, backing off while they keep dying; hosts the embedded S3 store when no
 * endpoint is configured (one store for all of them); and on SIGTERM or SIGINT stops them all
 * gracefully before it exits. What the processes share is already shared between machines:
 * PostgreSQL (sessions, login limits, leases, jobs) and Redis (socket.io events).
 * If the primary dies, node:cluster ends its children (their IPC channel closes).
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '@config/schema';
import { createLogger, type Logger } from './http/logger';
import { shareEmbeddedStore } from './storage/embedded-s3';

/** What a child sends the primary once it serves. */
export interface ChildReady {
  type: 'skyeye:ready';
  url: string;
}

function isChildReady(m: unknown): m is ChildReady {
  return !!m && typeof m === 'object' && (m as ChildReady).type === 'skyeye:ready' && typeof (m as ChildReady).url === 'string';
}

/** The child's place (0..processes-1), set by the primary; its ops listener is on opsPort + slot. */
export const SLOT_ENV = 'SKYEYE_PROCESS_SLOT';

/** A process that lived at least this long before dying restarts at once; quicker deaths back off. */
const HEALTHY_MS = 30_000;
const RESTART_MS = 250;
const RESTART_MAX_MS = 30_000;
/** How long a graceful stop of the children may take before they are killed. */
const STOP_GRACE_MS = 25_000;

export interface ApiPrimary {
  url: string;
  log: Logger;
  /** Stops every child gracefully; 0 when all of them exited cleanly. */
  stop(): Promise<number>;
}

export async function startApiPrimary(config: Config): Promise<ApiPrimary> {
  const log = createLogger(config.log.level).child({ module: 'cluster' });
  const store = config.storage.endpoint ? null : await shareEmbeddedStore(config);
  const workers = new Map<number, Worker>();
  const quickDeaths = new Map<number, number>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const fork = (slot: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const env: Record<string, string> = { ...store?.env, [SLOT_ENV]: String(slot) };
      if (config.http.opsPort) env.SKYEYE_OPS_PORT = String(config.http.opsPort + slot);
      const worker = cluster.fork(env);
      const bornAt = Date.now();
      workers.set(slot, worker);
      worker.on('message', (m: unknown) => {
        if (!isChildReady(m)) return;
        log.info({ slot, pid: worker.process.pid }, 'api process serving');
        resolve(m.url);
      });
      worker.once('exit', (code, signal) => {
        if (workers.get(slot) === worker) workers.delete(slot);
        reject(new Error(`api process ${slot} exited (${signal ?? `code ${code}`}) before it served; its log above says why`));
        if (stopping) return;
        const quick = Date.now() - bornAt < HEALTHY_MS ? (quickDeaths.get(slot) ?? 0) + 1 : 0;
        quickDeaths.set(slot, quick);
        const delay = quick ? Math.min(RESTART_MAX_MS, RESTART_MS * 2 ** (quick - 1)) : 0;
        log.error({ slot, pid: worker.process.pid, code, signal, restartInMs: delay }, 'api process exited; starting another');
        const t = setTimeout(() => {
          timers.delete(t);
          if (!stopping) fork(slot).catch(() => undefined);
        }, delay);
        timers.add(t);
      });
    });

  const stop = async (): Promise<number> => {
    stopping = true;
    for (const t of timers) clearTimeout(t);
    let code = 0;
    await Promise.all(
      [...workers.values()].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_GRACE_MS);
            w.once('exit', (c) => {
              clearTimeout(kill);
              if (c !== 0) code = 1;
              resolve();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await store?.close();
    return code;
  };

  try {
    const url = await fork(0);
    await Promise.all(Array.from({ length: config.http.processes - 1 }, (_, i) => fork(i + 1)));
    return { url, log, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
