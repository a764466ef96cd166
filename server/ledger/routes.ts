/**
 * GET /cameras/{id}/timeline?from&to (same visibility as GET /cameras/{id}) and
 * GET /recordings/coverage?hours&below (staff). Thin: parse, check, ask the LedgerService.
 */
import { Router, type Request } from 'express';
import type { Clock } from '@common/clock';
import type { AuthUser } from '@server/auth/types';
import { requireAuth, requireRole } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { notFound } from '@server/http/problem';
import { parseQuery } from '@server/schemas/validate';
import { z } from '@server/schemas/openapi';
import { UUID } from '@common/uuid';
import { parseRange } from './range';
import type { LedgerService } from './service';

/** The registry's visibility rule: throws 404 when `user` may not see the camera. */
export type SeeCamera = (user: AuthUser, cameraId: string) => Promise<unknown>;

export const CoverageQuery = z
  .object({
    hours: z.coerce.number().min(1).max(24 * 31).default(24).openapi({ description: 'Window ending now, in hours' }),
    below: z.coerce.number().min(0).max(1).default(0.95).openapi({ description: 'Report cameras whose coverage is below this share' }),
  })
  .strict();

export const MAX_TIMELINE_MS = 31 * 86_400_000;

export async function visibleCameraId(req: Request, see: SeeCamera): Promise<string> {
  const id = String(req.params.id);
  if (!UUID.test(id)) throw notFound('Camera');
  await see(userOf(req), id);
  return id;
}

export function ledgerRoutes(ledger: LedgerService, see: SeeCamera, clock: Clock): Router {
  const router = Router();

  router.get('/cameras/:id/timeline', requireAuth, async (req, res) => {
    const id = await visibleCameraId(req, see);
    const { from, to } = parseRange(req, clock.now(), MAX_TIMELINE_MS);
    const timeline = await ledger.timeline(id, from, to);
    if (!timeline) throw notFound('Camera');
    res.json(timeline);
  });

  router.get('/recordings/coverage', requireAuth, requireRole('admin', 'operator', 'investigator'), async (req, res) => {
    const q = parseQuery(CoverageQuery, req);
    res.json(await ledger.coverage(q.hours, q.below));
  });

  return router;
}
