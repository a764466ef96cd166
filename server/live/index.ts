/**
 * Live delivery module: builds the live service from the context and starts the built-in media
 * server for ingest roles. Routes: media-routes.ts (token-protected media), camera-routes.ts.
 */
import type { AppContext } from '@server/context';
import { createIngestStore } from '@workers/store/paths';
import { currentMediaServer, startMediaServer, type MediaServer } from '@workers/rtmp/media-server';
import { PushKeyRepository } from '@workers/rtmp/push-key-repository';
import { createLiveService, type LiveService } from './live-service';
import { resolvePlaybackSecret } from './secret';
import { localFlvSource, localHlsSource } from './sources';
import { routedSources } from './routed-sources';
import { signPlaybackToken } from './playback-token';
import { LeaseRepository } from '@workers/leases/lease-repository';
import './openapi';

export type { LiveService } from './live-service';
export { liveMediaRoutes } from './media-routes';
export { liveCameraRoutes, type LiveAuth, type CameraForUser } from './camera-routes';

export type LiveContext = Pick<AppContext, 'config' | 'database' | 'clock' | 'logger' | 'bus'>;

/** Worker ids of the ingest runtimes in this process: their cameras' media is served from local files. */
export type LocalWorkers = ReadonlySet<string>;

export function buildLiveService(ctx: LiveContext, localWorkers: LocalWorkers = new Set()): LiveService {
  const { live, dataDir } = ctx.config;
  const configured = { host: live.rtmpHost, port: live.flvPort };
  const secret = resolvePlaybackSecret(live.playbackTokenSecret, dataDir);
  const leases = new LeaseRepository(ctx.database);
  const sources = routedSources({
    local: {
      hls: localHlsSource(createIngestStore(dataDir)),
      // Same machine: this process's media server if it runs one (ephemeral ports), else the configured one.
      flv: localFlvSource(() => currentMediaServer()?.flv ?? (configured.port ? configured : null)),
    },
    holderOf: (cameraId) => leases.holderOf(cameraId),
    isLocal: (workerId) => localWorkers.has(workerId),
    sign: (cameraId) => signPlaybackToken(secret, { cameraId, userId: 'proxy', expiresAt: new Date(ctx.clock.now().getTime() + 60_000) }),
  });
  return createLiveService({
    database: ctx.database,
    bus: ctx.bus,
    clock: ctx.clock,
    secret,
    tokenTtlMs: live.playbackTokenTtl,
    pushHost: live.publicHost ?? live.rtmpHost,
    pushPort: () => currentMediaServer()?.rtmp.port ?? live.rtmpPort,
    ...sources,
  });
}

/**
 * Starts node-media-server for roles worker/all, checking push keys against the database.
 * Returns null when disabled, or when this process already runs one (tests starting several
 * Sky Eyes in one process: node-media-server's state is global).
 */
export async function startLiveMediaServer(ctx: LiveContext): Promise<MediaServer | null> {
  const { live } = ctx.config;
  if (!live.enabled || ctx.config.role === 'api') return null;
  if (currentMediaServer()) {
    ctx.logger.warn('live: a media server already runs in this process; this instance uses it and starts none');
    return null;
  }
  const keys = new PushKeyRepository(ctx.database.db);
  return startMediaServer({
    host: live.rtmpHost,
    rtmpPort: live.rtmpPort,
    flvPort: live.flvPort,
    authorizePush: (cameraId, key) => keys.verify(cameraId, key),
    logger: ctx.logger,
  });
}
