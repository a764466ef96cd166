/** /healthz (process alive), /readyz (database and storage reachable), /metrics (Prometheus). */
import { Router } from 'express';
import type { AppContext } from '@server/context';

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
  router.get('/metrics', async (_req, res) => {
    // Fleet gauges from the database; if it does not answer in time the rest is served anyway.
    await withTimeout(refreshCameraGauge(ctx), 2000).catch(() => ctx.metrics.cameras.reset());
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  return router;
}

async function refreshCameraGauge(ctx: AppContext): Promise<void> {
  const rows = await ctx.database.query<{ status: string; enrollment_state: string; n: string | number }>(
    'SELECT status, enrollment_state, count(*) AS n FROM cameras GROUP BY status, enrollment_state',
  );
  ctx.metrics.cameras.reset();
  for (const r of rows) ctx.metrics.cameras.set({ status: r.status, enrollment: r.enrollment_state }, Number(r.n));
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
