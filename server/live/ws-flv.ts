/**
 * FLV over WebSocket on the API port: `ws(s)://<api>/api/v1/live/<cameraId>.flv?token=<t>[&stream=<uuid>]`
 * (and `/api/v1/live/<cameraId>/sub.flv` for the camera's sub stream, 4404 when it has none),
 * the same URL, token and rules as HTTP-FLV (media-routes.ts), carried over a WebSocket so that a
 * browser wall of many tiles is not held to HTTP/1.1's six connections per host (past six, tiles
 * and even API calls queued behind the open FLV responses). Each binary message is a piece of the
 * FLV byte stream (mpegts.js `{type: 'flv', isLive: true, url: 'ws://...'}` reads it as such).
 *
 * The upgrade is accepted at once and the token checked afterwards (the socket.io engine on the
 * same server ends upgrades it does not own that have written nothing within a second, so a slow
 * token check must not hold the handshake). A refused token closes the socket with a 44xx code
 * whose reason is the problem text (4400 bad input, 4401 token missing/expired/invalid/revoked,
 * 4403 another camera's token, 4404 no live stream, 4503 no media server reachable). The open
 * stream is then watched exactly like an HTTP-FLV one (expiry, renewal by stream id, revocation),
 * and the media comes from the same `LiveFlvSource` (this process's media server, or the worker
 * holding the camera's lease through its token-protected HTTP-FLV route).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { UUID } from '@common/uuid';
import type { Logger } from '@server/http/logger';
import type { LiveService } from './live-service';
import { NoSubStream, type FlvVariant } from './sources';

/** /api/v1/live/<cameraId>.flv (main) or /api/v1/live/<cameraId>/sub.flv (sub stream). */
const PATH = /^\/api\/v1\/live\/([^/]+?)(\/sub)?\.flv$/;

/** A percent-decoded path segment; '' when its encoding is malformed (no camera has that id). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

/** Close codes (application range 4000-4999): the HTTP status they stand for, plus 4000. */
export const WS_CLOSE = { badRequest: 4400, unauthorized: 4401, forbidden: 4403, notFound: 4404, unavailable: 4503 } as const;

export interface WsFlv {
  /** Open WebSocket streams now. */
  readonly size: number;
  close(): void;
}

const REASONS = {
  missing: [WS_CLOSE.unauthorized, 'A playback token is required; get one from GET /api/v1/cameras/{id}/live.'],
  expired: [WS_CLOSE.unauthorized, 'The playback token has expired; get a new one.'],
  malformed: [WS_CLOSE.unauthorized, 'The playback token is not valid.'],
  bad_signature: [WS_CLOSE.unauthorized, 'The playback token is not valid.'],
  revoked: [WS_CLOSE.unauthorized, 'The sign-in this playback token was issued to has ended.'],
  wrong_camera: [WS_CLOSE.forbidden, 'The playback token is for another camera.'],
} as const;

/** Serves WS-FLV upgrades on `server` (api roles); other upgrades (socket.io) are left alone. */
export function attachWsFlv(server: Server, live: LiveService, logger: Logger): WsFlv {
  // Browsers send nothing on this socket: a tiny payload limit; video does not deflate, so no compression.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false, clientTracking: true });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Anyone may send an upgrade: nothing in this listener may throw (an exception here is
    // uncaught and ends the process), so a path that is not a URL is simply not ours.
    const url = URL.parse(req.url ?? '/', 'http://localhost');
    const m = url && PATH.exec(url.pathname);
    if (!url || !m) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      serve(ws, decodePathSegment(m[1]!), m[2] ? 'sub' : 'main', url.searchParams).catch((err: unknown) => {
        logger.warn({ err }, 'live: WS-FLV stream failed');
        ws.terminate();
      });
    });
  };
  server.on('upgrade', onUpgrade);

  async function serve(ws: WebSocket, cameraId: string, variant: FlvVariant, q: URLSearchParams): Promise<void> {
    const refuse = (code: number, reason: string) => ws.close(code, reason);
    if (!UUID.test(cameraId)) return refuse(WS_CLOSE.notFound, 'Camera does not exist or you may not see it.');
    const streamId = q.get('stream') ?? undefined;
    if (streamId !== undefined && !UUID.test(streamId)) return refuse(WS_CLOSE.badRequest, 'stream must be a UUID.');
    const abort = new AbortController();
    ws.once('close', () => abort.abort());
    const result = await live.authorize(q.get('token') ?? undefined, cameraId);
    if (!result.ok) {
      const [code, reason] = REASONS[result.reason];
      return refuse(code, reason);
    }
    const claims = result.claims;
    let upstream;
    try {
      upstream = await live.flv.open(cameraId, abort.signal, variant);
    } catch (err) {
      if (abort.signal.aborted) return;
      if (err instanceof NoSubStream) return refuse(WS_CLOSE.notFound, 'This camera has no sub stream.');
      logger.warn({ err, cameraId }, 'live: WS-FLV upstream unreachable');
      return refuse(WS_CLOSE.unavailable, 'The live media server is not reachable.');
    }
    if (!upstream) return refuse(WS_CLOSE.unavailable, 'No live media server runs for this camera.');
    if (upstream.statusCode !== 200 || abort.signal.aborted) {
      upstream.destroy();
      return refuse(WS_CLOSE.notFound, 'This camera has no live stream right now.');
    }
    const unwatch = live.watch(
      claims,
      (why) => {
        logger.info({ cameraId, why }, 'live: WS-FLV stream closed (playback token no longer good)');
        ws.close(WS_CLOSE.unauthorized, why === 'expired' ? REASONS.expired[1] : REASONS.revoked[1]);
      },
      streamId,
    );
    // A stream over the socket: backpressure from the browser reaches the upstream (a gate viewer
    // ends past its queue limit; an HTTP-FLV upstream's socket stops being read); the browser
    // leaving destroys the upstream (the gate forgets the viewer, or the proxied request ends).
    const sink = createWebSocketStream(ws);
    sink.resume(); // nothing is expected from the browser: drop whatever comes
    await pipeline(upstream, sink).catch(() => undefined);
    unwatch();
    upstream.destroy();
    if (ws.readyState === ws.OPEN) ws.close(1000, 'stream ended');
  }

  return {
    get size() {
      return wss.clients.size;
    },
    close() {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
