/**
 * GET /cameras/{id}/playback?from&to[&incident] (signed in, same visibility as GET /cameras/{id}; audited)
 * → {url}; and the token-protected media behind it, which players fetch without a session:
 * /playback/{cameraId}/{fromMs}-{toMs}/index.m3u8, …/{startMs}/init.mp4, …/{startMs}/media.m4s.
 * Every media request checks the token and that its sign-in still lives (401 otherwise) and that
 * the same visibility and replay rule still lets its user replay the range (403 otherwise).
 */
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { Clock } from '@common/clock';
import { actorOf } from '@server/audit/audit-repository';
import { requireAuth } from '@server/auth/middleware';
import type { AuthUser } from '@server/auth/types';
import { userOf } from '@server/cameras/guards';
import { HttpError, notFound } from '@server/http/problem';
import { parseRange, PlaybackQuery } from '@server/ledger/range';
import { MAX_TIMELINE_MS, visibleCameraId, type SeeCamera } from '@server/ledger/routes';
import { UUID } from '@common/uuid';
import type { FootageRule } from './access';
import type { PlaybackService } from './service';

const RANGE = /^(\d{1,15})-(\d{1,15})$/;
const START = /^\d{1,15}$/;
/** Recorded media never changes under its URL (the token is in the URL). */
const IMMUTABLE = 'private, max-age=86400, immutable';

/**
 * Whether `user` may replay [from, to] of a camera, inside the incident `incidentId` when the
 * player names one (the owner's sharing choice for household and shopfront cameras): the range to
 * open (narrowed to what the incident was released), or the reason it may not.
 */
export type ReplayGate = (user: AuthUser, cameraId: string, from: Date, to: Date, incidentId: string | null) => Promise<{ from: Date; to: Date } | { refused: string }>;

const openRange: ReplayGate = async (_user, _camera, from, to) => ({ from, to });

/**
 * The rule GET /cameras/{id}/playback applies, asked again for an issued URL: the camera is still
 * visible to the user and the replay gate still opens all of the range (through its incident).
 */
export function footageRule(see: SeeCamera, replay: ReplayGate = openRange): FootageRule {
  return async (user, g) => {
    try {
      await see(user, g.cameraId);
      const range = await replay(user, g.cameraId, new Date(g.from), new Date(g.to), g.incidentId);
      return !('refused' in range) && range.from.getTime() <= g.from && range.to.getTime() >= g.to;
    } catch (err) {
      // The camera or the incident is no longer theirs to see (404) or use (403): refused; other errors are failures.
      if (err instanceof HttpError && (err.status === 403 || err.status === 404)) return false;
      throw err;
    }
  };
}

export function playbackRoutes(playback: PlaybackService, see: SeeCamera, clock: Clock, replay: ReplayGate = openRange): Router {
  const router = Router();
  router.get('/cameras/:id/playback', requireAuth, async (req, res) => {
    const id = await visibleCameraId(req, see);
    const asked = parseRange(req, clock.now(), MAX_TIMELINE_MS, 3_600_000, PlaybackQuery);
    const incident = typeof req.query.incident === 'string' ? req.query.incident : null;
    const range = await replay(userOf(req), id, asked.from, asked.to, incident);
    if ('refused' in range) throw new HttpError(403, 'Forbidden', range.refused);
    const user = userOf(req);
    // The token is bound to this sign-in and role (checked at every use of it).
    if (!req.sessionId) throw new HttpError(401, 'Unauthorized', 'Sign in to replay recordings.');
    const path = await playback.open(id, range.from, range.to, incident, { userId: user.id, sessionId: req.sessionId, role: user.role }, actorOf(req));
    if (!path) throw new HttpError(404, 'Not found', 'Nothing is recorded for this camera in that range.');
    // Absolute, on the origin the client used (X-Forwarded-* only with http.trustProxy), like the live URLs.
    res.json({ url: `${req.protocol}://${req.get('host') ?? 'localhost'}${path}` });
  });
  return router;
}

/** `fresh`: the sign-in and footage rule asked now (playlists); else an answer up to a second old will do (init, media). */
async function checked(playback: PlaybackService, rule: FootageRule, req: Request, res: Response, fresh: boolean): Promise<{ cameraId: string; from: number; to: number; token: string }> {
  res.setHeader('Cache-Control', 'no-store');
  const cameraId = String(req.params.cameraId);
  const m = RANGE.exec(String(req.params.range));
  if (!UUID.test(cameraId) || !m) throw notFound('Recording');
  const [from, to] = [Number(m[1]), Number(m[2])];
  const r = await playback.authorize(req.query.token, cameraId, from, to, rule, fresh);
  if (!r.ok) {
    switch (r.reason) {
      case 'wrong_camera':
        throw new HttpError(403, 'Forbidden', 'The playback token is for another camera or range.');
      case 'refused':
        throw new HttpError(403, 'Forbidden', 'These recordings may no longer be replayed with this token.');
      case 'expired':
        throw new HttpError(401, 'Unauthorized', 'The playback token has expired; ask GET /api/v1/cameras/{id}/playback again.');
      case 'revoked':
        throw new HttpError(401, 'Unauthorized', 'The sign-in this playback token was issued to has ended or changed; sign in and ask GET /api/v1/cameras/{id}/playback again.');
      case 'missing':
      case 'malformed':
      case 'bad_signature':
        throw new HttpError(401, 'Unauthorized', 'A valid playback token is required.');
    }
  }
  return { cameraId, from, to, token: String(req.query.token) };
}

/** `see` and `replay`: the rule playbackRoutes issues URLs by, applied again at every use of one. */
export function playbackMediaRoutes(playback: PlaybackService, see: SeeCamera, replay: ReplayGate = openRange): Router {
  const router = Router();
  const rule = footageRule(see, replay);
  router.get('/playback/:cameraId/:range/index.m3u8', async (req, res) => {
    const c = await checked(playback, rule, req, res, true);
    res.type('application/vnd.apple.mpegurl').send(await playback.playlist(c.cameraId, c.from, c.to, c.token));
  });
  router.get('/playback/:cameraId/:range/:start/:part', async (req, res) => {
    const c = await checked(playback, rule, req, res, false);
    const part = String(req.params.part);
    const start = String(req.params.start);
    if (!START.test(start) || (part !== 'init.mp4' && part !== 'media.m4s')) throw notFound('Recording');
    const media = await playback.part(c.cameraId, c.from, c.to, Number(start), part === 'init.mp4' ? 'init' : 'media');
    if (!media) throw notFound('Recording');
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('Content-Type', part === 'init.mp4' ? 'video/mp4' : 'video/iso.segment');
    res.setHeader('Content-Length', String(media.size));
    await pipeline(media.stream, res).catch(() => undefined);
  });
  return router;
}
