/** /walls: saved walls of the signed-in user and those shared with their station. Thin: parse, ask the service. */
import { Router, type Request } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import { requireAuth } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { notFound } from '@server/http/problem';
import { parseBody } from '@server/schemas/validate';
import { UUID } from '@common/uuid';
import { WallInputSchema, WallUpdateSchema } from './schemas';
import type { WallsService } from './service';

const wallId = (req: Request): string => {
  const id = String(req.params.id);
  if (!UUID.test(id)) throw notFound('Wall');
  return id;
};

export function wallRoutes(walls: WallsService): Router {
  const router = Router();

  router.get('/walls', requireAuth, async (req, res) => {
    res.json({ items: await walls.list(userOf(req)) });
  });

  router.post('/walls', requireAuth, async (req, res) => {
    const wall = await walls.create(userOf(req), parseBody(WallInputSchema, req), actorOf(req));
    res.status(201).location(`/api/v1/walls/${wall.id}`).json(wall);
  });

  router.get('/walls/:id', requireAuth, async (req, res) => {
    res.json(await walls.get(userOf(req), wallId(req)));
  });

  router.put('/walls/:id', requireAuth, async (req, res) => {
    const id = wallId(req);
    res.json(await walls.update(userOf(req), id, parseBody(WallUpdateSchema, req), actorOf(req)));
  });

  router.delete('/walls/:id', requireAuth, async (req, res) => {
    await walls.delete(userOf(req), wallId(req), actorOf(req));
    res.status(204).end();
  });

  return router;
}
