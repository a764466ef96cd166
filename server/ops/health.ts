/**
 * GET /api/v1/ops/health (administrators): what the console's health page shows. Database and
 * storage reachability (the /readyz checks), live ingest workers with the cameras they hold, the
 * camera fleet by status, the upload backlog, the alarm webhook backlog and the data directory's
 * disk. Each part that fails to answer in time is reported as null with its error; the rest is
 * served anyway.
 */
import { statfs } from 'node:fs/promises';
import { Router } from 'express';
import { requireRole } from '@server/auth/middleware';
import type { AppContext } from '@server/context';
import type { WorkerHolding } from '@server/leases/lease-repository';
import { api, problems, z } from '@server/schemas/openapi';
import { leaseTiming } from '@workers/leases/timing';

export const HealthSchema = z
  .object({
    at: z.string(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() })),
    workers: z
      .array(
        z.object({
          workerId: z.string(),
          startedAt: z.string(),
          heartbeatAgeMs: z.number().int(),
          cameras: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
        }),
      )
      .nullable(),
    cameras: z.array(z.object({ status: z.string(), enrollment: z.string(), n: z.number().int() })).nullable(),
    uploadBacklog: z.object({ segments: z.number().int(), bytes: z.number(), oldest: z.string().nullable() }).nullable(),
    alarmWebhookBacklog: z.number().int().nullable(),
    disk: z.object({ path: z.string(), totalBytes: z.number(), freeBytes: z.number(), minFreeBytes: z.number() }).nullable(),
    errors: z.array(z.object({ part: z.string(), error: z.string() })),
  })
  .openapi('Health');
export type Health = z.infer<typeof HealthSchema>;

// OpenAPI paths are registered once, when the module is imported (the one way every module does it).
api.registerPath({
  method: 'get',
  path: '/api/v1/ops/health',
  tags: ['ops'],
  summary: 'System health for administrators: checks, workers and their cameras, backlogs, disk',
  responses: { 200: { description: 'Health', content: { 'application/json': { schema: HealthSchema } } }, ...problems(401, 403) },
});

export interface HealthPorts {
  heldCameras(aliveMs: number): Promise<WorkerHolding[]>;
  fleetCounts(): Promise<Array<{ status: string; enrollment: string; n: number }>>;
  uploadBacklog(): Promise<{ segments: number; bytes: number; oldest: Date | null }>;
  alarmWebhookBacklog(): Promise<number>;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms / 1000}s`)), ms).unref())]);

export async function readHealth(ctx: Pick<AppContext, 'config' | 'database' | 'store' | 'clock'>, ports: HealthPorts): Promise<Health> {
  const errors: Health['errors'] = [];
  const part = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await withTimeout(fn(), 3000);
    } catch (e) {
      errors.push({ part: name, error: (e as Error).message });
      return null;
    }
  };
  const check = async (name: string, fn: () => Promise<void>) => {
    try {
      await withTimeout(fn(), 3000);
      return { name, ok: true };
    } catch (e) {
      return { name, ok: false, error: (e as Error).message };
    }
  };
  const [checks, workers, cameras, backlog, alarmWebhookBacklog, disk] = await Promise.all([
    Promise.all([check('database', () => ctx.database.ping()), check('storage', () => ctx.store.ping())]),
    part('workers', () => ports.heldCameras(leaseTiming(ctx.config.ingest.leaseTtl).ttlMs)),
    part('cameras', () => ports.fleetCounts()),
    part('uploadBacklog', () => ports.uploadBacklog()),
    part('alarmWebhookBacklog', () => ports.alarmWebhookBacklog()),
    part('disk', async () => {
      const s = await statfs(ctx.config.dataDir);
      return { path: ctx.config.dataDir, totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize, minFreeBytes: ctx.config.ingest.cacheMinFree };
    }),
  ]);
  return {
    at: ctx.clock.now().toISOString(),
    checks,
    workers,
    cameras,
    uploadBacklog: backlog ? { ...backlog, oldest: backlog.oldest ? backlog.oldest.toISOString() : null } : null,
    alarmWebhookBacklog,
    disk,
    errors,
  };
}

export function healthRoutes(ctx: Pick<AppContext, 'config' | 'database' | 'store' | 'clock'>, ports: HealthPorts): Router {
  const r = Router();
  r.get('/ops/health', requireRole('admin'), async (_req, res) => {
    res.json(await readHealth(ctx, ports));
  });
  return r;
}
