/** Mounts every API router under /api. One line per resource module. */
import express, { Router } from 'express';
import type { AppContext } from '@server/context';
import type { Services } from '@server/services/index';
import { notFoundHandler } from '@server/http/problem';
import { docsRoutes } from './docs';
import { cameraRoutes, CAMERA_IMPORT_PATH } from '@server/cameras/index';
import { publicOrigin } from '@server/http/origins';
import { orgRoutes } from '@server/org/routes';
import { liveCameraRoutes, liveMediaRoutes } from '@server/live/index';
import { authenticate, requireAuth, requireRole } from '@server/auth/middleware';
import { authRoutes } from '@server/auth/routes';
import { userRoutes } from '@server/users/routes';
import { auditRoutes } from '@server/audit/routes';
import { evidenceKeyRoutes } from '@server/evidence/key-routes';
import { discoveryRoutes } from '@server/discovery/routes';
import { enrollmentRoutes } from '@server/enrollment/routes';
import { recordingsFor } from '@server/recordings/index';
import { ledgerRoutes } from '@server/ledger/index';
import { playbackMediaRoutes, playbackRoutes } from '@server/playback/index';
import { alarmRoutes } from '@server/alarms/index';
import { incidentRoutes } from '@server/incidents/index';
import { wallRoutes } from '@server/walls/index';
import { healthRoutes } from '@server/ops/health';
import { mapRoutes } from '@server/geo/map-routes';

export function apiRoutes(ctx: AppContext, services: Services): Router {
  const router = Router();
  // Small bodies everywhere; camera import reads its large body itself, after sign-in and role checks.
  const smallJson = express.json({ limit: ctx.config.http.bodyLimit });
  router.use((req, res, next) => (req.method === 'POST' && req.path === `/v1${CAMERA_IMPORT_PATH}` ? next() : smallJson(req, res, next)));
  router.use(docsRoutes());
  const v1 = Router();
  // API answers are per user and change without edits (live status): never stored by browsers or
  // proxies unless a route says otherwise (live segments are immutable and say so).
  v1.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Media URLs carry their own playback token; they never look at the request's own session (the token names the one it was issued to).
  v1.use(liveMediaRoutes(services.live, ctx.logger));
  v1.use(evidenceKeyRoutes(services.repos.signingKey));
  // Recorded media re-applies the footage rule its URL was issued by (playbackRoutes below).
  v1.use(playbackMediaRoutes(services.playback, (user, id) => services.cameras.get(user, id), (user, id, from, to, incident) => services.incidents.footage.replay(user, id, from, to, incident)));
  v1.use(authenticate(services.auth));
  v1.use(authRoutes(ctx.config, services.auth, services.users));
  v1.use(userRoutes(services.users));
  v1.use(auditRoutes(services.repos.audit, services.repos.auditChain, ctx.clock));
  v1.use(liveCameraRoutes(services.live, { requireAuth, requireRole }, (user, id) => services.cameras.get(user, id), publicOrigin(ctx.config.http)));
  v1.use(orgRoutes(services.org));
  v1.use(cameraRoutes(ctx, services.cameras));
  v1.use(discoveryRoutes(services.discovery));
  v1.use(enrollmentRoutes(services.discovery.merchantEnrollment));
  v1.use(recordingsFor(ctx).routes((user, id) => services.cameras.get(user, id)));
  v1.use(ledgerRoutes(services.ledger, (user, id) => services.cameras.get(user, id), ctx.clock));
  v1.use(playbackRoutes(services.playback, (user, id) => services.cameras.get(user, id), ctx.clock, (user, id, from, to, incident) => services.incidents.footage.replay(user, id, from, to, incident)));
  v1.use(alarmRoutes(services.alarms.service));
  v1.use(services.evidence.routes());
  v1.use(incidentRoutes(services.incidents));
  v1.use(wallRoutes(services.walls));
  v1.use(services.clips.routes());
  v1.use(mapRoutes(ctx.config.map));
  const recordings = recordingsFor(ctx);
  v1.use(
    healthRoutes(ctx, {
      heldCameras: (aliveMs) => services.repos.leases.heldCameras(aliveMs),
      fleetCounts: () => services.cameras.fleetCounts(),
      uploadBacklog: () => recordings.queue.backlog(),
      alarmWebhookBacklog: () => services.alarms.repo.backlog(),
    }),
  );
  router.use('/v1', v1);
  router.use(notFoundHandler);
  return router;
}
