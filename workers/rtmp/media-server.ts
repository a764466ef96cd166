/**
 * The built-in node-media-server (4.x): RTMP in (pushing cameras, the ingest republish) and
 * HTTP-FLV/WS-FLV out (GOP cache, so a player starts at the last keyframe). We own the listeners:
 * they bind the configured address (loopback by default), accept port 0, and a bind error
 * rejects start() instead of node-media-server's process.exit().
 *
 * Publish policy, enforced in prePublish for every session:
 *  - /push/<cameraId>?key=<streamKey>: RTMP only, key checked by `authorizePush` (async; packets
 *    are held back until the verdict, a refused session is destroyed and its packets dropped);
 *  - /live/<cameraId> and /sub/<cameraId>: RTMP only from a process this one started (the ingest
 *    ffmpeg republish; the on-demand sub-stream ffmpeg, workers/substream):
 *    the kernel's owner of the connecting loopback socket must be a descendant of this process
 *    (`authorizeRepublish`, default peer-process.ts). No key: a key on ffmpeg's command line is
 *    readable by every local user in /proc/<pid>/cmdline;
 *  - the on-demand republish (`flvOnDemand`, flv-gate.ts): an internal publisher session of this
 *    process, known by identity (nms-republish.ts), fed only while /live/<cameraId> has players
 *    (the API's own viewers bypass node-media-server: `watchLive`, flv-fanout.ts);
 *  - anything else, and every HTTP/WS-FLV publish: refused.
 * Play: loopback peers only (the API proxy and the ingest ffmpeg reading pushed streams). Players
 * of /sub/<cameraId> are reported to the sub-stream demand (`setSubDemand`), which starts and
 * stops that camera's sub-stream ffmpeg.
 *
 * node-media-server keeps its state in module-level singletons, so one instance per process;
 * whoever starts it passes the returned handle to those that need its ports.
 */
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Readable } from 'node:stream';
import NodeMediaServer, { type NmsSession } from 'node-media-server';
import Context from 'node-media-server/src/core/context.js';
import nmsLogger from 'node-media-server/src/core/logger.js';
import type { Log } from '@common/log';
import { isLoopbackAddress, LIVE_APP, liveOutputUrl, PUSH_APP, SUB_APP, subOutputUrl, type RtmpEndpoint } from './urls';
import { peerChecker } from './peer-process';
import { startFlvGate, type FlvGate, type FlvGateStats } from './flv-gate';
import { finishInternalPublish, isInternalSession, startRepublish } from './nms-republish';

export type MediaServerLogger = Log;

export interface MediaServerOptions {
  host: string;
  rtmpPort: number;
  flvPort: number;
  /** Decides a push publish to /push/<cameraId>; `key` is the ?key= query value (never logged). */
  authorizePush(cameraId: string, key: string | undefined): Promise<boolean>;
  /**
   * Decides a publish to /live/<cameraId> from the connection's loopback ports (default: the
   * client socket belongs to a descendant of this process, i.e. our own ingest ffmpeg).
   */
  authorizeRepublish?(peer: { clientPort: number; serverPort: number }): Promise<boolean>;
  logger: MediaServerLogger;
  /**
   * On-demand FLV republish (flv-gate.ts): ingest ffmpeg writes FLV to a per-camera loopback
   * listener and it is fed into node-media-server only while someone watches, until `graceMs`
   * after the last player left. Unset: every ingest republishes RTMP to /live all the time.
   */
  flvOnDemand?: { graceMs: number };
}

/** Who runs the on-demand sub streams (workers/substream): told when players of /sub/<cameraId> come and go. */
export interface SubDemand {
  /** Whether this process can serve the camera's sub stream (it ingests the camera and it has one). */
  has(cameraId: string): boolean;
  joined(cameraId: string): void;
  left(cameraId: string): void;
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
  /** Ends every player of app/name (node-media-server would keep them waiting through a publish gap). */
  endPlayers(app: string, name: string): void;
  /** Where a camera's ingest ffmpeg writes its FLV output (the on-demand gate, else RTMP /live). */
  liveOutput(cameraId: string): Promise<string>;
  /**
   * A viewer of the camera's main stream served straight from the on-demand gate (flv-fanout.ts),
   * ending with `signal`; null without the gate or when no ingest here writes the camera's FLV.
   */
  watchLive(cameraId: string, signal?: AbortSignal): Readable | null;
  /** The on-demand gate's counters for a camera (null: no gate, or the camera never asked for liveOutput). */
  flvGateStats(cameraId: string): FlvGateStats | null;
  /** Where a camera's sub-stream ffmpeg publishes: rtmp://<host>:<port>/sub/<cameraId>. */
  subOutput(cameraId: string): string;
  /** Set by the ingest runtime of this process (null: none; no sub stream is served). */
  setSubDemand(demand: SubDemand | null): void;
  /** Whether the camera's sub stream can be served here now. */
  hasSub(cameraId: string): boolean;
  close(): Promise<void>;
}

/** node-media-server's own state is module-global, so this guard is too; the handle is not. */
let running: MediaServer | null = null;

/** Whether a media server already runs in this process (node-media-server allows one). */
export function mediaServerRunning(): boolean {
  return running !== null;
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
    if (isInternalSession(s)) return; // the on-demand republish of our own ingest (flv-gate.ts)
    const where = { session: s.id, peer: s.ip, app: s.streamApp, stream: s.streamName, protocol: s.protocol };
    if (s.protocol !== 'rtmp' || !s.rtmp || !s.socket) {
      logger.warn(where, 'media server: publish refused (only RTMP may publish)');
      return rejectSession(s);
    }
    const socket = s.socket;
    if (s.streamApp === LIVE_APP || s.streamApp === SUB_APP) {
      if (!isLoopbackAddress(s.ip)) {
        logger.warn(where, `media server: publish to ${s.streamApp} refused (not loopback)`);
        return rejectSession(s);
      }
      const peer = { clientPort: socket.remotePort ?? 0, serverPort: socket.localPort ?? 0 };
      return holdUntil(s, where, 'republish', 'not a process of this Sky Eye', authorizeRepublish(peer));
    }
    if (s.streamApp !== PUSH_APP) {
      logger.warn(where, 'media server: publish refused (unknown app)');
      return rejectSession(s);
    }
    holdUntil(s, where, 'push', 'missing or invalid stream key', opts.authorizePush(s.streamName, firstString(s.streamQuery.key)));
  };
  const isOurs = peerChecker();
  const authorizeRepublish = opts.authorizeRepublish ?? ((p: { clientPort: number; serverPort: number }) => isOurs(p.clientPort, p.serverPort));
  /** Holds the session's packets until `verdict`; releases them on yes, destroys the session on no. */
  const holdUntil = (s: NmsSession, where: object, what: string, why: string, verdict: Promise<boolean>) => {
    const rtmp = s.rtmp!;
    const deliver = rtmp.onPacketCallback;
    const held: unknown[] = [];
    let decided = false;
    rtmp.onPacketCallback = (p) => {
      if (!decided && held.length < 10_000) held.push(p);
    };
    verdict
      .catch((err: unknown) => {
        logger.warn({ ...where, err }, `media server: ${what} check failed`);
        return false;
      })
      .then((ok) => {
        decided = true;
        if (!ok || s.socket?.destroyed) {
          logger.warn(where, `media server: ${what} refused (${why})`);
          rejectSession(s);
          return;
        }
        logger.info(where, `media server: ${what} accepted`);
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
  const isLive = (s: NmsSession) => s.streamApp === LIVE_APP && s.ip !== '';
  const isSub = (s: NmsSession) => s.streamApp === SUB_APP && s.ip !== '';
  let subDemand: SubDemand | null = null;
  const onPostPlay = (s: NmsSession) => (isLive(s) ? gate?.joined(s.streamName) : isSub(s) && subDemand?.joined(s.streamName));
  const onDonePlay = (s: NmsSession) => (isLive(s) ? gate?.left(s.streamName) : isSub(s) && subDemand?.left(s.streamName));
  Context.eventEmitter.on('prePublish', onPrePublish);
  Context.eventEmitter.on('prePlay', onPrePlay);
  Context.eventEmitter.on('postPlay', onPostPlay);
  Context.eventEmitter.on('donePlay', onDonePlay);
  const playerCount = (app: string, name: string) => Context.broadcasts.get(`/${app}/${name}`)?.subscribers.size ?? 0;
  const gate: FlvGate | null = opts.flvOnDemand
    ? startFlvGate({
        authorize: authorizeRepublish,
        republish: (cameraId) => startRepublish(cameraId, (err) => logger.warn({ cameraId, err }, 'flv gate: node-media-server could not parse the stream')),
        finish: finishInternalPublish,
        viewers: (cameraId) => playerCount(LIVE_APP, cameraId),
        graceMs: opts.flvOnDemand.graceMs,
        logger,
      })
    : null;

  const tcp = nms.rtmpServer.tcpServer;
  const http = nms.httpServer.httpServer;
  if (!tcp || !http) throw new Error('node-media-server did not create its RTMP/HTTP servers (unexpected version?)');
  http.removeAllListeners('error');
  nms.httpServer.wsServer?.on('error', () => undefined);

  const stopAll = async () => {
    Context.eventEmitter.off('prePublish', onPrePublish);
    Context.eventEmitter.off('prePlay', onPrePlay);
    Context.eventEmitter.off('postPlay', onPostPlay);
    Context.eventEmitter.off('donePlay', onDonePlay);
    await gate?.close();
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
    playerCount,
    endPlayers(app, name) {
      const players = Context.broadcasts.get(`/${app}/${name}`)?.subscribers;
      for (const s of [...(players?.values() ?? [])] as NmsSession[]) {
        // node-media-server lets a player go when its connection closes: RTMP and HTTP-FLV end
        // theirs after what was sent (a kept-alive HTTP connection would otherwise stay a player);
        // a WebSocket closes.
        if (s.socket) s.socket.end();
        else if (s.res?.terminate) s.close();
        else {
          s.close();
          s.req?.socket?.end();
        }
      }
    },
    liveOutput: (cameraId) => (gate ? gate.outputUrl(cameraId) : Promise.resolve(liveOutputUrl({ host: opts.host, port: rtmpPort }, cameraId))),
    watchLive: (cameraId, signal) => gate?.watch(cameraId, signal) ?? null,
    flvGateStats: (cameraId) => gate?.stats(cameraId) ?? null,
    subOutput: (cameraId) => subOutputUrl({ host: opts.host, port: rtmpPort }, cameraId),
    setSubDemand(demand) {
      subDemand = demand;
    },
    hasSub: (cameraId) => subDemand?.has(cameraId) ?? false,
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
