/**
 * Token-protected live media: GET /live/{cameraId}/index.m3u8, /live/{cameraId}/{segment},
 * /live/{cameraId}.flv, /live/{cameraId}/sub.flv (the sub stream, pulled on demand), each with
 * ?token=<playback token>. No cookie or header needed (players
 * fetch these directly): the token's signature and expiry, then at every use whether its viewer
 * may still watch (viewers.ts); an open FLV stream ends when that stops (open-streams.ts).
 * `&stream=<uuid>` on the FLV URL names the stream (the player's choice) so that
 * POST /live/streams/{streamId}/renew with a fresh token in the body keeps it open past expiry.
 */
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { badRequest, HttpError } from '@server/http/problem';
import type { Logger } from '@server/http/logger';
import type { LiveService } from './live-service';
import type { PlaybackClaims } from './playback-token';
import { LIVE_FILE, liveContentType, rewritePlaylist } from './playlist';
import { NoLiveHolder } from './routed-sources';
import { NoSubStream, type FlvVariant } from './sources';
import { UUID } from '@common/uuid';

const SEGMENT_CACHE = 'private, max-age=86400, immutable';

const noLive = () => new HttpError(404, 'Not found', 'This camera has no live stream right now.');

/** Seconds a player should wait while no worker serves the camera (a takeover takes a few). */
export const LIVE_RETRY_AFTER_S = 2;

/** Runs a media lookup; no live holder (none, or it died) is 503 with Retry-After, not an error. */
async function orUnavailable<T>(res: Response, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof NoLiveHolder)) throw err;
    res.setHeader('Retry-After', String(LIVE_RETRY_AFTER_S));
    throw new HttpError(503, 'Service unavailable', err.why === 'none' ? 'No ingest worker serves this camera right now; try again shortly.' : 'The ingest worker serving this camera does not answer; another one takes over shortly.');
  }
}

/** The token's claims when it is good and its viewer may still watch (checked at every use). */
async function checkToken(live: LiveService, req: Request, res: Response): Promise<PlaybackClaims> {
  res.setHeader('Cache-Control', 'no-store');
  const cameraId = String(req.params.cameraId);
  if (!UUID.test(cameraId)) throw new HttpError(404, 'Not found', 'Camera does not exist or you may not see it.');
  const token = req.query.token;
  const result = await live.authorize(token, cameraId);
  if (result.ok) return result.claims;
  if (result.reason === 'missing') throw new HttpError(401, 'Unauthorized', 'A playback token is required; get one from GET /api/v1/cameras/{id}/live.');
  throw tokenRejected(result.reason, 'sign in and get a new one');
}

/** A playback token that was present but refused, in problem words (opening media and renewing a stream alike). */
function tokenRejected(reason: 'expired' | 'malformed' | 'bad_signature' | 'wrong_camera' | 'revoked', afterRevoke: string): HttpError {
  switch (reason) {
    case 'expired':
      return new HttpError(401, 'Unauthorized', 'The playback token has expired; get a new one from GET /api/v1/cameras/{id}/live.');
    case 'malformed':
    case 'bad_signature':
      return new HttpError(401, 'Unauthorized', 'The playback token is not valid.');
    case 'wrong_camera':
      return new HttpError(403, 'Forbidden', 'The playback token is for another camera.');
    case 'revoked':
      return new HttpError(401, 'Unauthorized', `The sign-in this playback token was issued to has ended; ${afterRevoke}.`);
  }
}

/** The optional `stream` query parameter of an FLV open: a UUID, else 400. */
function streamIdOf(req: Request): string | undefined {
  const v = req.query.stream;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !UUID.test(v)) throw badRequest('stream must be a UUID.', [{ field: 'stream', message: 'must be a UUID' }]);
  return v;
}

export function liveMediaRoutes(live: LiveService, logger: Logger): Router {
  const router = Router();

  const flv = (variant: FlvVariant) => async (req: Request, res: Response) => {
    const claims = await checkToken(live, req, res);
    const streamId = streamIdOf(req);
    const { cameraId } = claims;
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let upstream;
    try {
      upstream = await live.flv.open(cameraId, abort.signal, variant);
    } catch (err) {
      if (abort.signal.aborted) return;
      if (err instanceof NoSubStream) throw new HttpError(404, 'Not found', 'This camera has no sub stream.');
      logger.warn({ err, cameraId }, 'live: HTTP-FLV upstream unreachable');
      res.setHeader('Retry-After', String(LIVE_RETRY_AFTER_S));
      throw new HttpError(503, 'Service unavailable', 'The live media server is not reachable.');
    }
    if (!upstream) {
      res.setHeader('Retry-After', String(LIVE_RETRY_AFTER_S));
      throw new HttpError(503, 'Service unavailable', 'No live media server runs for this camera.');
    }
    if (upstream.statusCode !== 200) {
      upstream.resume();
      throw noLive();
    }
    res.status(200);
    res.setHeader('Content-Type', 'video/x-flv');
    res.setHeader('X-Accel-Buffering', 'no');
    // The body ends when the connection closes (HTTP/1.1 without chunked framing; `Connection:
    // close` is sent): each frame goes out as one plain write instead of a writev of length line,
    // frame and CRLF. An open-ended stream never reused its connection anyway. Node's FLV cost with
    // a viewer per camera, 0.73 / 0.65 / 0.59 -> 0.66 / 0.59 / 0.47 % of a core per camera
    // (docs/benchmarks.md, "Longer gate batches, and where the rest of the gap is").
    res.useChunkedEncodingByDefault = false;
    res.flushHeaders();
    // The stream ends when its token (or the last renewal's) expires or its viewer is revoked.
    const unwatch = live.watch(
      claims,
      (why) => {
        logger.info({ cameraId, why }, 'live: FLV stream closed (playback token no longer good)');
        res.destroy();
      },
      streamId,
    );
    // pipeline: backpressure from the browser reaches the upstream socket; either side closing
    // destroys the other (a client that leaves ends its gate viewer or proxied request).
    await pipeline(upstream, res).catch(() => undefined);
    unwatch();
  };
  router.get('/live/:cameraId.flv', flv('main'));
  // Before /live/:cameraId/:file, which would take it for an HLS file.
  router.get('/live/:cameraId/sub.flv', flv('sub'));

  router.post('/live/streams/:streamId/renew', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const streamId = String(req.params.streamId);
    if (!UUID.test(streamId)) throw new HttpError(404, 'Not found', 'No such open stream.');
    const token: unknown = (req.body as { token?: unknown } | undefined)?.token;
    if (token !== undefined && typeof token !== 'string') throw badRequest('token must be a string.', [{ field: 'token', message: 'must be a string' }]);
    const result = await live.renewStream(streamId, token);
    if (result.ok) {
      res.json({ expiresAt: result.expiresAt.toISOString() });
      return;
    }
    switch (result.reason) {
      case 'unknown':
        throw new HttpError(404, 'Not found', 'No such open stream of this sign-in (it has ended).');
      case 'missing':
        throw badRequest('A fresh playback token is required in the body (token).', [{ field: 'token', message: 'required' }]);
      default:
        throw tokenRejected(result.reason, 'the stream is closed');
    }
  });

  router.get('/live/:cameraId/index.m3u8', async (req, res) => {
    const { cameraId } = await checkToken(live, req, res);
    const text = await orUnavailable(res, () => live.hls.readPlaylist(cameraId));
    if (text === null) throw noLive();
    res.setHeader('Cache-Control', 'no-cache');
    res.type(liveContentType('index.m3u8')).send(rewritePlaylist(text, String(req.query.token)));
  });

  router.get('/live/:cameraId/:file', async (req, res) => {
    const { cameraId } = await checkToken(live, req, res);
    const file = String(req.params.file);
    if (!LIVE_FILE.test(file) || file.endsWith('.m3u8')) throw new HttpError(404, 'Not found', 'No such live file.');
    const seg = await orUnavailable(res, () => live.hls.openSegment(cameraId, file));
    if (!seg) throw new HttpError(404, 'Not found', 'The segment has rotated out of the live window.');
    res.setHeader('Cache-Control', SEGMENT_CACHE);
    res.setHeader('Content-Type', liveContentType(file));
    res.setHeader('Content-Length', String(seg.size));
    await pipeline(seg.stream, res).catch(() => undefined);
  });

  return router;
}
