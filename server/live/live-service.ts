/**
 * Live delivery rules: playback URLs with signed short-lived tokens, token checks for the media
 * routes, and RTMP push-key rotation (audited, key shown once, only its hash stored).
 */
import type { Clock } from '@common/clock';
import type { Database } from '@server/db/database';
import type { EventBus } from '@server/realtime/bus';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { PushKeyRepository } from '@workers/rtmp/push-key-repository';
import { pushPublishUrl } from '@workers/rtmp/urls';
import { signPlaybackToken, verifyPlaybackToken, type VerifyResult } from './playback-token';
import type { LiveFlvSource, LiveHlsSource } from './sources';

export interface PlaybackUrls {
  hls: string;
  flv: string;
  expiresAt: string;
}

export interface PushKeyIssued {
  streamKey: string;
  url: string;
}

export interface LiveService {
  readonly hls: LiveHlsSource;
  readonly flv: LiveFlvSource;
  /** Signed playback URLs for one camera and user (visibility is checked by the caller). */
  playback(cameraId: string, userId: string): PlaybackUrls;
  verifyToken(token: unknown, cameraId: string): VerifyResult;
  /** New push key for the camera; the previous one stops working at once. */
  rotatePushKey(cameraId: string, actor: AuditActor): Promise<PushKeyIssued>;
}

export interface LiveServiceDeps {
  database: Database;
  bus: Pick<EventBus, 'publish'>;
  clock: Clock;
  secret: string;
  tokenTtlMs: number;
  /** Host and port shown to cameras in push URLs. */
  pushHost: string;
  pushPort(): number;
  hls: LiveHlsSource;
  flv: LiveFlvSource;
}

export function createLiveService(deps: LiveServiceDeps): LiveService {
  return {
    hls: deps.hls,
    flv: deps.flv,
    playback(cameraId, userId) {
      const expiresAt = new Date(deps.clock.now().getTime() + deps.tokenTtlMs);
      const token = encodeURIComponent(signPlaybackToken(deps.secret, { cameraId, userId, expiresAt }));
      const base = `/api/v1/live/${encodeURIComponent(cameraId)}`;
      return { hls: `${base}/index.m3u8?token=${token}`, flv: `${base}.flv?token=${token}`, expiresAt: expiresAt.toISOString() };
    },
    verifyToken(token, cameraId) {
      return verifyPlaybackToken(deps.secret, token, cameraId, deps.clock.now());
    },
    async rotatePushKey(cameraId, actor) {
      const streamKey = await deps.database.db.transaction(async (tx) => {
        const key = await new PushKeyRepository(tx).rotate(cameraId, actor.actorId);
        await recordAudit(tx, actor, { action: 'camera.push_key.rotate', targetType: 'camera', targetId: cameraId });
        return key;
      });
      // The camera's ingest input changes (a first key turns it into a push camera): restart it now.
      deps.bus.publish('camera:ingest-changed', { id: cameraId });
      return { streamKey, url: pushPublishUrl(deps.pushHost, deps.pushPort(), cameraId) };
    },
  };
}
