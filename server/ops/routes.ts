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
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  return router;
}

async function check(name: string, fn: () => Promise<void>): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 3s')), 3000).unref())]);
    return { name, ok: true };
  } catch (e) {
    return { name, ok: false, error: (e as Error).message };
  }
}
