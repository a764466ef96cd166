/**
 * Token-protected live media: GET /live/{cameraId}/index.m3u8, /live/{cameraId}/{segment},
 * /live/{cameraId}.flv, each with ?token=<playback token>. No session needed (players fetch
 * these directly); the token is checked from its signature alone.
 */
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { HttpError } from '@server/http/problem';
import type { Logger } from '@server/http/logger';
import type { LiveService } from './live-service';
import { LIVE_FILE, liveContentType, rewritePlaylist } from './playlist';
import { UUID } from '@common/uuid';

const SEGMENT_CACHE = 'private, max-age=86400, immutable';

const noLive = () => new HttpError(404, 'Not found', 'This camera has no live stream right now.');

function checkToken(live: LiveService, req: Request, res: Response): string {
  res.setHeader('Cache-Control', 'no-store');
  const cameraId = String(req.params.cameraId);
  if (!UUID.test(cameraId)) throw new HttpError(404, 'Not found', 'Camera does not exist or you may not see it.');
  const token = req.query.token;
  const result = live.verifyToken(token, cameraId);
  if (result.ok) return cameraId;
  switch (result.reason) {
    case 'missing':
      throw new HttpError(401, 'Unauthorized', 'A playback token is required; get one from GET /api/v1/cameras/{id}/live.');
    case 'expired':
      throw new HttpError(401, 'Unauthorized', 'The playback token has expired; get a new one from GET /api/v1/cameras/{id}/live.');
    case 'malformed':
    case 'bad_signature':
      throw new HttpError(401, 'Unauthorized', 'The playback token is not valid.');
    case 'wrong_camera':
      throw new HttpError(403, 'Forbidden', 'The playback token is for another camera.');
  }
}

export function liveMediaRoutes(live: LiveService, logger: Logger): Router {
  const router = Router();

  router.get('/live/:cameraId.flv', async (req, res) => {
    const cameraId = checkToken(live, req, res);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let upstream;
    try {
      upstream = await live.flv.open(cameraId, abort.signal);
    } catch (err) {
      if (abort.signal.aborted) return;
      logger.warn({ err, cameraId }, 'live: HTTP-FLV upstream unreachable');
      throw new HttpError(503, 'Service unavailable', 'The live media server is not reachable.');
    }
    if (!upstream) throw new HttpError(503, 'Service unavailable', 'No live media server runs for this camera.');
    if (upstream.statusCode !== 200) {
      upstream.resume();
      throw noLive();
    }
    res.status(200);
    res.setHeader('Content-Type', 'video/x-flv');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // pipeline: backpressure from the browser reaches the upstream socket; either side closing
    // destroys the other (a client that leaves closes its node-media-server session).
    await pipeline(upstream, res).catch(() => undefined);
  });

  router.get('/live/:cameraId/index.m3u8', async (req, res) => {
    const cameraId = checkToken(live, req, res);
    const text = await live.hls.readPlaylist(cameraId);
    if (text === null) throw noLive();
    res.setHeader('Cache-Control', 'no-cache');
    res.type(liveContentType('index.m3u8')).send(rewritePlaylist(text, String(req.query.token)));
  });

  router.get('/live/:cameraId/:file', async (req, res) => {
    const cameraId = checkToken(live, req, res);
    const file = String(req.params.file);
    if (!LIVE_FILE.test(file) || file.endsWith('.m3u8')) throw new HttpError(404, 'Not found', 'No such live file.');
    const seg = await live.hls.openSegment(cameraId, file);
    if (!seg) throw new HttpError(404, 'Not found', 'The segment has rotated out of the live window.');
    res.setHeader('Cache-Control', SEGMENT_CACHE);
    res.setHeader('Content-Type', liveContentType(file));
    res.setHeader('Content-Length', String(seg.size));
    await pipeline(seg.stream, res).catch(() => undefined);
  });

  return router;
}
