/**
 * Live delivery module: builds the live service from the context and starts the built-in media
 * server for ingest roles. Routes: media-routes.ts (token-protected media), camera-routes.ts.
 */
import type { AppContext } from '@server/context';
import { createIngestStore } from '@workers/store/paths';
import { mediaServerRunning, startMediaServer, type MediaServer } from '@workers/rtmp/media-server';
import type { PushKeyLookup } from '@workers/rtmp/push-keys';
import { createLiveService, type LiveService } from './live-service';
import { resolvePlaybackSecret } from './secret';
import { localFlvSource, localHlsSource } from './sources';
import { routedSources } from './routed-sources';
import { signPlaybackToken } from './playback-token';
import type { LeaseRepository } from '@server/leases/lease-repository';
import { SessionRepository } from '@server/auth/session-repository';
import { openStreams } from './open-streams';
import { PROXY_USER, viewerCheck } from './viewers';
import './openapi';

export type { LiveService } from './live-service';
export { liveMediaRoutes } from './media-routes';
export { attachWsFlv, WS_CLOSE, type WsFlv } from './ws-flv';
export { liveCameraRoutes, type LiveAuth, type CameraForUser } from './camera-routes';

export type LiveContext = Pick<AppContext, 'config' | 'database' | 'clock' | 'logger' | 'bus'>;

/** Worker ids of the ingest runtimes in this process: their cameras' media is served from local files. */
export type LocalWorkers = ReadonlySet<string>;

/** `media`: the media server this process runs (null: none here); `leases` finds a camera's worker. */
export interface LiveDeps {
  media: MediaServer | null;
  leases: Pick<LeaseRepository, 'holderOf'>;
}

export function buildLiveService(ctx: LiveContext, localWorkers: LocalWorkers, { media, leases }: LiveDeps): LiveService {
  const { live, dataDir } = ctx.config;
  const configured = { host: live.rtmpHost, port: live.flvPort };
  const secret = resolvePlaybackSecret(live.playbackTokenSecret, dataDir);
  const sources = routedSources({
    local: {
      hls: localHlsSource(createIngestStore(dataDir)),
      // Same machine: this process's media server if it runs one (ephemeral ports), else the configured one.
      flv: localFlvSource({
        endpoint: () => media?.flv ?? (configured.port ? configured : null),
        hasSub: (cameraId) => media?.hasSub(cameraId) ?? false,
        direct: (cameraId, signal) => media?.watchLive(cameraId, signal) ?? null,
      }),
    },
    holderOf: (cameraId) => leases.holderOf(cameraId),
    isLocal: (workerId) => localWorkers.has(workerId),
    sign: (cameraId) => signPlaybackToken(secret, { cameraId, userId: PROXY_USER, expiresAt: new Date(ctx.clock.now().getTime() + 60_000) }),
  });
  const now = () => ctx.clock.now();
  const viewers = viewerCheck(new SessionRepository(ctx.database), now);
  const streams = openStreams({ viewers, bus: ctx.bus, now, onError: (err) => ctx.logger.warn({ err }, 'live: viewer re-check failed') });
  return createLiveService({
    viewers,
    streams,
    database: ctx.database,
    bus: ctx.bus,
    clock: ctx.clock,
    secret,
    tokenTtlMs: live.playbackTokenTtl,
    pushHost: live.publicHost ?? live.rtmpHost,
    pushPort: () => media?.rtmp.port ?? live.rtmpPort,
    ...sources,
  });
}

/**
 * Starts node-media-server for roles worker/all, checking push keys against the database.
 * Returns null when disabled, or when this process already runs one (tests starting several
 * Sky Eyes in one process: node-media-server's state is global). The handle is passed on
 * explicitly (live service, ingest runtime); nothing reaches for it through a global.
 */
export async function startLiveMediaServer(ctx: LiveContext, keys: PushKeyLookup): Promise<MediaServer | null> {
  const { live } = ctx.config;
  if (!live.enabled || ctx.config.role === 'api') return null;
  if (mediaServerRunning()) {
    ctx.logger.warn('live: a media server already runs in this process; this instance starts none and runs without one');
    return null;
  }
  return startMediaServer({
    host: live.rtmpHost,
    rtmpPort: live.rtmpPort,
    flvPort: live.flvPort,
    authorizePush: (cameraId, key) => keys.verify(cameraId, key),
    logger: ctx.logger,
    ...(live.flvOnDemand ? { flvOnDemand: { graceMs: live.flvIdleGrace } } : {}),
  });
}
