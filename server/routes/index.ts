/** Mounts every API router under /api. One line per resource module. */
import express, { Router } from 'express';
import type { AppContext } from '@server/context';
import type { Services } from '@server/services/index';
import { notFoundHandler } from '@server/http/problem';
import { docsRoutes } from './docs';
import { cameraRoutes } from '@server/cameras/index';
import { orgRoutes } from '@server/org/routes';
import { liveCameraRoutes, liveMediaRoutes } from '@server/live/index';
import { authenticate, requireAuth, requireRole } from '@server/auth/middleware';
import { authRoutes } from '@server/auth/routes';
import { userRoutes } from '@server/users/routes';
import { auditRoutes } from '@server/audit/routes';
import { discoveryRoutes } from '@server/discovery/routes';
import { enrollmentRoutes } from '@server/enrollment/routes';

export function apiRoutes(ctx: AppContext, services: Services): Router {
  const router = Router();
  router.use(express.json({ limit: ctx.config.import.maxBytes }));
  router.use(docsRoutes());
  const v1 = Router();
  // API answers are per user and change without edits (live status): never stored by browsers or
  // proxies unless a route says otherwise (live segments are immutable and say so).
  v1.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Media URLs carry their own short-lived playback token; they never look at sessions.
  v1.use(liveMediaRoutes(services.live, ctx.logger));
  v1.use(authenticate(services.auth));
  v1.use(authRoutes(ctx.config, services.auth, services.users));
  v1.use(userRoutes(services.users));
  v1.use(auditRoutes(ctx.database));
  v1.use(liveCameraRoutes(services.live, { requireAuth, requireRole }, (user, id) => services.cameras.get(user, id)));
  v1.use(orgRoutes(services.org));
  v1.use(cameraRoutes(ctx, services.cameras));
  v1.use(discoveryRoutes(services.discovery.discovery, services.discovery.enroll));
  v1.use(enrollmentRoutes(services.discovery.merchantEnrollment));
  router.use('/v1', v1);
  router.use(notFoundHandler);
  return router;
}
