/**
 * /healthz (process alive) and /readyz (database and storage reachable) on the API port;
 * /metrics (Prometheus) only on the ops listener (http.opsHost:http.opsPort, loopback by default).
 */
import express, { Router, type Express } from 'express';
import type { AppContext } from '@server/context';
import type { CamerasService } from '@server/cameras/index';
import type { LeaseRepository } from '@server/leases/lease-repository';
import { leaseTiming } from '@workers/leases/timing';

export function opsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.all([
      check('database', () => ctx.database.ping()),
      check('storage', () => ctx.store.ping()),
    ]);
    const ready = checks.every((c) => c.ok) && !ctx.shuttingDown();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return router;
}

/** The ops listener's app: /metrics, plus /healthz and /readyz for a scraper's own checks. */
export function opsApp(ctx: AppContext, cameras: Pick<CamerasService, 'fleetCounts'>, leases?: Pick<LeaseRepository, 'heldPerWorker'>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRoutes(ctx));
  app.get('/metrics', async (_req, res) => {
    // Fleet gauges from the database; if it does not answer in time the rest is served anyway.
    await withTimeout(refreshCameraGauge(ctx, cameras), 2000).catch(() => ctx.metrics.cameras.reset());
    if (leases) await withTimeout(refreshWorkerGauges(ctx, leases), 2000).catch(() => (ctx.metrics.workerCameras.reset(), ctx.metrics.workerHeartbeatAge.reset()));
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  return app;
}

async function refreshCameraGauge(ctx: AppContext, cameras: Pick<CamerasService, 'fleetCounts'>): Promise<void> {
  const rows = await cameras.fleetCounts();
  ctx.metrics.cameras.reset();
  for (const r of rows) ctx.metrics.cameras.set({ status: r.status, enrollment: r.enrollment }, r.n);
}

/** Per live worker (heartbeat within leaseTtl): cameras held, heartbeat age. Dead workers drop out. */
async function refreshWorkerGauges(ctx: AppContext, leases: Pick<LeaseRepository, 'heldPerWorker'>): Promise<void> {
  const rows = await leases.heldPerWorker(leaseTiming(ctx.config.ingest.leaseTtl).ttlMs);
  ctx.metrics.workerCameras.reset();
  ctx.metrics.workerHeartbeatAge.reset();
  for (const r of rows) {
    ctx.metrics.workerCameras.set({ worker: r.workerId }, r.cameras);
    ctx.metrics.workerHeartbeatAge.set({ worker: r.workerId }, r.heartbeatAgeMs / 1000);
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms / 1000}s`)), ms).unref())]);

async function check(name: string, fn: () => Promise<void>): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    await withTimeout(fn(), 3000);
    return { name, ok: true };
  } catch (e) {
    return { name, ok: false, error: (e as Error).message };
  }
}
