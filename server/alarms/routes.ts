/** GET /alarms?state=open|all and POST /alarms/{id}/ack {note}. Thin: parse, ask the AlarmsService. */
import { Router, type Request } from 'express';
import { ALARM_STATES } from '@common/alarms';
import { UUID } from '@common/uuid';
import { actorOf } from '@server/audit/audit-repository';
import { requireAuth } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { notFound } from '@server/http/problem';
import { z } from '@server/schemas/openapi';
import { plainString } from '@server/schemas/text';
import { parseBody, parseQuery } from '@server/schemas/validate';
import type { AlarmsService } from './service';

export const AlarmListQuery = z
  .object({ state: z.enum(ALARM_STATES).default('open').openapi({ description: 'open: not yet acknowledged (default); all: every alarm, unacknowledged first' }) })
  .strict();

export const AckBody = z
  .object({ note: plainString().trim().max(1000).optional().openapi({ description: 'What was done (kept in the audit log)' }) })
  .strict();

const alarmId = (req: Request): string => {
  const id = String(req.params.id);
  if (!UUID.test(id)) throw notFound('Alarm');
  return id;
};

export function alarmRoutes(alarms: AlarmsService): Router {
  const router = Router();

  router.get('/alarms', requireAuth, async (req, res) => {
    const q = parseQuery(AlarmListQuery, req);
    res.json({ items: await alarms.list(userOf(req), q.state) });
  });

  router.post('/alarms/:id/ack', requireAuth, async (req, res) => {
    const id = alarmId(req);
    const body = parseBody(AckBody, req);
    const note = body.note ? body.note : null;
    res.json(await alarms.acknowledge({ user: userOf(req), audit: actorOf(req) }, id, note));
  });

  return router;
}
