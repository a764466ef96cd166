/** Mounts every API router under /api. One line per resource module. */
import express, { Router } from 'express';
import type { AppContext } from '@server/context';
import type { Services } from '@server/services/index';
import { notFoundHandler } from '@server/http/problem';
import { docsRoutes } from './docs';
import { cameraRoutes } from '@server/cameras/index';
import { orgRoutes } from '@server/org/routes';
import { liveCameraRoutes, liveMediaRoutes } from '@server/live/index';
import { requireAuth, requireRole } from '@server/auth/middleware';
import { discoveryRoutes } from '@server/discovery/routes';
import { enrollmentRoutes } from '@server/enrollment/routes';

export function apiRoutes(ctx: AppContext, services: Services): Router {
  const router = Router();
  router.use(express.json({ limit: ctx.config.import.maxBytes }));
  router.use(docsRoutes());
  const v1 = Router();
  v1.use(liveMediaRoutes(services.live, ctx.logger));
  v1.use(liveCameraRoutes(services.live, { requireAuth, requireRole }, (user, id) => services.cameras.get(user, id)));
  v1.use(orgRoutes(services.org));
  v1.use(cameraRoutes(ctx, services.cameras));
  v1.use(discoveryRoutes(services.discovery.discovery, services.discovery.enroll));
  v1.use(enrollmentRoutes(services.discovery.merchantEnrollment));
  router.use('/v1', v1);
  router.use(notFoundHandler);
  return router;
}
