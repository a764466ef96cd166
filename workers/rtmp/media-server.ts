/**
 * The built-in node-media-server (4.x): RTMP in (pushing cameras, the ingest republish) and
 * HTTP-FLV/WS-FLV out (GOP cache, so a player starts at the last keyframe). We own the listeners:
 * they bind the configured address (loopback by default), accept port 0, and a bind error
 * rejects start() instead of node-media-server's process.exit().
 *
 * Publish policy, enforced in prePublish for every session:
 *  - /push/<cameraId>?key=<streamKey>: RTMP only, key checked by `authorizePush` (async; packets
 *    are held back until the verdict, a refused session is destroyed and its packets dropped);
 *  - /live/<cameraId>: RTMP from a loopback address only (the ingest ffmpeg republish);
 *  - anything else, and every HTTP/WS-FLV publish: refused.
 * Play: loopback peers only (the API proxy and the ingest ffmpeg reading pushed streams).
 *
 * node-media-server keeps its state in module-level singletons, so one instance per process.
 */
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import NodeMediaServer, { type NmsSession } from 'node-media-server';
import Context from 'node-media-server/src/core/context.js';
import nmsLogger from 'node-media-server/src/core/logger.js';
import { isLoopbackAddress, LIVE_APP, PUSH_APP, type RtmpEndpoint } from './urls';

export interface MediaServerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MediaServerOptions {
  host: string;
  rtmpPort: number;
  flvPort: number;
  /** Decides a push publish to /push/<cameraId>; `key` is the ?key= query value (never logged). */
  authorizePush(cameraId: string, key: string | undefined): Promise<boolean>;
  logger: MediaServerLogger;
}

export interface MediaServer {
  /** Where ffmpeg reaches RTMP (bound address and actual port). */
  readonly rtmp: RtmpEndpoint;
  /** Where the API reaches HTTP-FLV. */
  readonly flv: RtmpEndpoint;
  /** Whether a publisher is currently sending app/name (e.g. 'live', cameraId). */
  isPublishing(app: string, name: string): boolean;
  /** Players attached to app/name (HTTP-FLV, WS-FLV, RTMP). */
  playerCount(app: string, name: string): number;
  close(): Promise<void>;
}

let running: MediaServer | null = null;

/** The media server started in this process, if any (the ingest pipeline asks for its ports). */
export function currentMediaServer(): MediaServer | null {
  return running;
}

function listen(server: NetServer | HttpServer, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(new Error(`${what} could not listen on ${host}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      server.on('error', () => undefined);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: NetServer | HttpServer | undefined): Promise<void> {
  return new Promise((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
}

/** Refuse a session for good: no more bytes in, nothing it already sent reaches players. */
export function rejectSession(session: NmsSession): void {
  if (session.rtmp) session.rtmp.onPacketCallback = () => undefined;
  if (session.socket) session.socket.destroy();
  else if (session.res?.terminate) session.res.terminate();
  else if (session.req?.socket) session.req.socket.destroy();
  else session.close();
}

const firstString = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function startMediaServer(opts: MediaServerOptions): Promise<MediaServer> {
  if (running) throw new Error('node-media-server is already running in this process (it keeps global state)');
  const { logger } = opts;
  // node-media-server prints to the console; keep only its errors, in our structured log.
  nmsLogger.log = (message, level = 'info') => {
    if (level === 'error' || level === 'warn') logger.warn({ nms: message }, 'node-media-server');
  };
  // Ports must be non-zero for node-media-server to create its servers; we listen ourselves.
  const nms = new NodeMediaServer({
    bind: opts.host,
    rtmp: { port: 1 },
    http: { port: 1 },
    webadmin: { enable: false },
    record: { auto: false },
  });

  const onPrePublish = (s: NmsSession) => {
    const where = { session: s.id, peer: s.ip, app: s.streamApp, stream: s.streamName, protocol: s.protocol };
    if (s.protocol !== 'rtmp' || !s.rtmp || !s.socket) {
      logger.warn(where, 'media server: publish refused (only RTMP may publish)');
      return rejectSession(s);
    }
    if (s.streamApp === LIVE_APP) {
      if (isLoopbackAddress(s.ip)) return;
      logger.warn(where, 'media server: publish to live refused (not loopback)');
      return rejectSession(s);
    }
    if (s.streamApp !== PUSH_APP) {
      logger.warn(where, 'media server: publish refused (unknown app)');
      return rejectSession(s);
    }
    // Hold packets until the key is checked; release them only on success.
    const rtmp = s.rtmp;
    const deliver = rtmp.onPacketCallback;
    const held: unknown[] = [];
    let verdict: boolean | undefined;
    rtmp.onPacketCallback = (p) => {
      if (verdict === undefined && held.length < 10_000) held.push(p);
    };
    const key = firstString(s.streamQuery.key);
    opts
      .authorizePush(s.streamName, key)
      .catch((err: unknown) => {
        logger.warn({ ...where, err }, 'media server: push key check failed');
        return false;
      })
      .then((ok) => {
        verdict = ok;
        if (!ok || s.socket?.destroyed) {
          logger.warn(where, 'media server: push refused (missing or invalid stream key)');
          rejectSession(s);
          return;
        }
        logger.info(where, 'media server: push accepted');
        rtmp.onPacketCallback = deliver;
        for (const p of held.splice(0)) deliver(p);
      })
      .catch(() => undefined);
  };
  const onPrePlay = (s: NmsSession) => {
    if (!isLoopbackAddress(s.ip)) {
      logger.warn({ session: s.id, peer: s.ip, app: s.streamApp, stream: s.streamName }, 'media server: play refused (not loopback)');
      rejectSession(s);
    }
  };
  Context.eventEmitter.on('prePublish', onPrePublish);
  Context.eventEmitter.on('prePlay', onPrePlay);

  const tcp = nms.rtmpServer.tcpServer;
  const http = nms.httpServer.httpServer;
  if (!tcp || !http) throw new Error('node-media-server did not create its RTMP/HTTP servers (unexpected version?)');
  http.removeAllListeners('error');
  nms.httpServer.wsServer?.on('error', () => undefined);

  const stopAll = async () => {
    Context.eventEmitter.off('prePublish', onPrePublish);
    Context.eventEmitter.off('prePlay', onPrePlay);
    await nms.stop().catch(() => undefined);
    http.closeAllConnections();
    await Promise.all([closeServer(tcp), closeServer(http)]);
    for (const s of Context.sessions.values()) (s as NmsSession).close?.();
    Context.sessions.clear();
    Context.broadcasts.clear();
  };

  let rtmpPort: number;
  let flvPort: number;
  try {
    rtmpPort = await listen(tcp, opts.rtmpPort, opts.host, 'RTMP');
    flvPort = await listen(http, opts.flvPort, opts.host, 'HTTP-FLV');
  } catch (e) {
    await stopAll();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const handle: MediaServer = {
    rtmp: { host: opts.host, port: rtmpPort },
    flv: { host: opts.host, port: flvPort },
    isPublishing: (app, name) => Context.broadcasts.get(`/${app}/${name}`)?.getPublishStatus() === 'publishing',
    playerCount: (app, name) => Context.broadcasts.get(`/${app}/${name}`)?.subscribers.size ?? 0,
    close() {
      closed ??= stopAll().finally(() => {
        if (running === handle) running = null;
      });
      return closed;
    },
  };
  running = handle;
  logger.info({ host: opts.host, rtmpPort, flvPort }, 'media server started');
  return handle;
}
