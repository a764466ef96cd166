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
import './openapi';

export type { LiveService } from './live-service';
export { liveMediaRoutes } from './media-routes';
export { liveCameraRoutes, type LiveAuth, type CameraForUser } from './camera-routes';

export type LiveContext = Pick<AppContext, 'config' | 'database' | 'clock' | 'logger'>;

export function buildLiveService(ctx: LiveContext): LiveService {
  const { live, dataDir } = ctx.config;
  const configured = { host: live.rtmpHost, port: live.flvPort };
  return createLiveService({
    database: ctx.database,
    clock: ctx.clock,
    secret: resolvePlaybackSecret(live.playbackTokenSecret, dataDir),
    tokenTtlMs: live.playbackTokenTtl,
    pushHost: live.publicHost ?? live.rtmpHost,
    pushPort: () => currentMediaServer()?.rtmp.port ?? live.rtmpPort,
    hls: localHlsSource(createIngestStore(dataDir)),
    // Same machine: this process's media server if it runs one (ephemeral ports), else the configured one.
    flv: localFlvSource(() => currentMediaServer()?.flv ?? (configured.port ? configured : null)),
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
