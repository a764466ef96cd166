/** Mounts every API router under /api. One line per resource module. */
import express, { Router } from 'express';
import type { AppContext } from '@server/context';
import type { Services } from '@server/services/index';
import { notFoundHandler } from '@server/http/problem';
import { docsRoutes } from './docs';

export function apiRoutes(ctx: AppContext, _services: Services): Router {
  const router = Router();
  router.use(express.json({ limit: ctx.config.import.maxBytes }));
  router.use(docsRoutes());
  const v1 = Router();
  router.use('/v1', v1);
  router.use(notFoundHandler);
  return router;
}
