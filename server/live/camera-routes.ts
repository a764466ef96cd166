/**
 * GET /cameras/{id}/live (signed playback URLs, same visibility as GET /cameras/{id}) and
 * POST /cameras/{id}/push-key (admin/operator: issue or rotate the RTMP push stream key).
 */
import { Router, type RequestHandler } from 'express';
import type { AuthUser } from '@server/auth/types';
import { actorOf } from '@server/audit/audit-repository';
import { notFound, unauthorized } from '@server/http/problem';
import type { LiveService } from './live-service';
import { UUID } from '@common/uuid';

export interface LiveAuth {
  /** Attaches req.user when signed in; omit when the app already runs authenticate(ctx) globally. */
  authenticate?: RequestHandler;
  requireAuth: RequestHandler;
  requireRole(...roles: AuthUser['role'][]): RequestHandler;
}

/** The camera registry's visibility rule: the camera if `user` may see it, else null (`rtspSubUrl` set: it has a sub stream). */
export type CameraForUser = (user: AuthUser, cameraId: string) => Promise<{ id: string; rtspSubUrl?: string | null } | null>;

/** `publicOrigin`: the configured public URL's origin (http.publicUrl); null = the request's own host. */
export function liveCameraRoutes(live: LiveService, auth: LiveAuth, cameraForUser: CameraForUser, publicOrigin: string | null = null): Router {
  const router = Router();
  const signedIn: RequestHandler[] = [...(auth.authenticate ? [auth.authenticate] : []), auth.requireAuth];

  const visibleCamera = async (user: AuthUser, id: string) => {
    const camera = UUID.test(id) ? await cameraForUser(user, id) : null;
    if (!camera) throw notFound('Camera');
    return camera;
  };

  router.get('/cameras/:id/live', ...signedIn, async (req, res) => {
    const camera = await visibleCamera(req.user!, String(req.params.id));
    res.setHeader('Cache-Control', 'no-store');
    // Absolute URLs on the configured public URL, else on the origin the client reached us by
    // (X-Forwarded-* only with http.trustProxy), so they play as they are, in a browser or anywhere else.
    const origin = publicOrigin ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    // The token is bound to the sign-in session: it stops working when that ends.
    if (!req.sessionId) throw unauthorized();
    const urls = live.playback(camera.id, { userId: req.user!.id, sessionId: req.sessionId, role: req.user!.role }, Boolean(camera.rtspSubUrl));
    res.json({ ...urls, hls: origin + urls.hls, flv: origin + urls.flv, ...(urls.sub ? { sub: { flv: origin + urls.sub.flv } } : {}) });
  });

  router.post('/cameras/:id/push-key', ...signedIn, auth.requireRole('admin', 'operator'), async (req, res) => {
    const camera = await visibleCamera(req.user!, String(req.params.id));
    const issued = await live.rotatePushKey(camera.id, actorOf(req));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(issued);
  });

  return router;
}
