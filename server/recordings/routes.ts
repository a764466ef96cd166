/**
 * GET /cameras/{id}/recordings?from&to (registry readers; merchants only their own cameras; staff
 * also see a retired camera's recordings) and POST /integrity/verify (admin; audited).
 */
import { Router } from 'express';
import type { AuthUser } from '@server/auth/types';
import { actorOf, recordAudit } from '@server/audit/audit-repository';
import type { Database } from '@server/db/database';
import { requireAuth, requireRole } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { badRequest } from '@server/http/problem';
import { parseBody, parseParams, parseQuery } from '@server/schemas/validate';
import { RangeQuery, VerifyBody, CameraParam, MAX_RANGE_MS } from './openapi';
import type { RecordingsRepository } from './repository';
import type { RecordingVerifier } from './verify';

/** The registry's visibility rule (throws 404 when the user may not see the camera). */
export type CameraCheck = (user: AuthUser, cameraId: string) => Promise<unknown>;

function range(from: string | undefined, to: string | undefined, now: Date): { from: Date; to: Date } {
  const end = to ? new Date(to) : now;
  const start = from ? new Date(from) : new Date(end.getTime() - 86_400_000);
  if (start >= end) throw badRequest('from must be before to.', [{ field: 'query.from', message: 'must be before to' }]);
  if (end.getTime() - start.getTime() > MAX_RANGE_MS) throw badRequest('The range is longer than 31 days.', [{ field: 'query.to', message: 'at most 31 days after from' }]);
  return { from: start, to: end };
}

export function recordingRoutes(deps: { database: Database; repo: RecordingsRepository; verifier: RecordingVerifier; cameraCheck: CameraCheck; now: () => Date }): Router {
  const router = Router();

  router.get('/cameras/:id/recordings', requireAuth, async (req, res) => {
    const { id } = parseParams(CameraParam, req);
    const q = parseQuery(RangeQuery, req);
    const user = userOf(req);
    if (user.role === 'merchant') await deps.cameraCheck(user, id);
    const r = range(q.from, q.to, deps.now());
    const items = (await deps.repo.listSegments(id, r.from, r.to)).map((s) => ({
      start: s.start.toISOString(),
      end: s.end.toISOString(),
      bytes: s.bytes,
      sha256: s.sha256,
      state: s.state,
    }));
    res.json({ items });
  });

  router.post('/integrity/verify', requireAuth, requireRole('admin'), async (req, res) => {
    const body = parseBody(VerifyBody, req);
    const r = range(body.from, body.to, deps.now());
    const report = await deps.verifier.verify(body.cameraId, r.from, r.to);
    await deps.database.db.transaction((tx) =>
      recordAudit(tx, actorOf(req), {
        action: 'recording.verify',
        targetType: 'camera',
        targetId: body.cameraId,
        details: { from: r.from.toISOString(), to: r.to.toISOString(), ok: report.ok, checked: report.checked, problems: report.problems.length },
      }),
    );
    res.json(report);
  });

  return router;
}
