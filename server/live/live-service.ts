/**
 * Live delivery rules: playback URLs with signed short-lived tokens, token checks for the media
 * routes, and RTMP push-key rotation (audited, key shown once, only its hash stored).
 */
import type { Clock } from '@common/clock';
import type { Database } from '@server/db/database';
import type { EventBus } from '@server/realtime/bus';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { PushKeyRepository } from '@server/ingest/push-key-repository';
import { pushPublishUrl } from '@workers/rtmp/urls';
import { signPlaybackToken, verifyPlaybackToken, type PlaybackClaims, type VerifyResult } from './playback-token';
import type { LiveFlvSource, LiveHlsSource } from './sources';
import type { OpenStreams } from './open-streams';
import type { ViewerCheck } from './viewers';

/** Who a playback token is issued to: the user, the sign-in session and the role it has now. */
export interface Viewer {
  userId: string;
  sessionId: string;
  role: string;
}

export interface PlaybackUrls {
  hls: string;
  flv: string;
  /** The camera's sub stream (lower resolution, pulled on demand): only for a camera that has one. */
  sub?: { flv: string };
  expiresAt: string;
}

export interface PushKeyIssued {
  streamKey: string;
  url: string;
}

export interface LiveService {
  readonly hls: LiveHlsSource;
  readonly flv: LiveFlvSource;
  /** Signed playback URLs for one camera and viewer (visibility is checked by the caller); `hasSub`: add the sub stream's. */
  playback(cameraId: string, viewer: Viewer, hasSub?: boolean): PlaybackUrls;
  /** Signature and expiry only (no database). */
  verifyToken(token: unknown, cameraId: string): VerifyResult;
  /** verifyToken, then whether the token's viewer may still watch ('revoked' if not): every token use. */
  authorize(token: unknown, cameraId: string): Promise<VerifyResult>;
  /** Ends an open stream when its token expires or its viewer is revoked; returns unwatch. */
  watch(claims: PlaybackClaims, close: (why: 'expired' | 'revoked') => void, streamId?: string): () => void;
  /**
   * Moves open stream `streamId`'s deadline to a fresh token's expiry. The token must be good, of
   * the stream's session, user and camera, and its viewer may still watch; if the viewer may not,
   * the stream is closed now. 'unknown': no such open stream of that session.
   */
  renewStream(streamId: string, token: unknown): Promise<RenewResult>;
  /** New push key for the camera; the previous one stops working at once. */
  rotatePushKey(cameraId: string, actor: AuditActor): Promise<PushKeyIssued>;
}

export type RenewResult =
  | { ok: true; expiresAt: Date }
  | { ok: false; reason: Exclude<VerifyResult, { ok: true }>['reason'] | 'unknown' };

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
  viewers: ViewerCheck;
  streams: OpenStreams;
}

export function createLiveService(deps: LiveServiceDeps): LiveService {
  return {
    hls: deps.hls,
    flv: deps.flv,
    playback(cameraId, viewer, hasSub = false) {
      const expiresAt = new Date(deps.clock.now().getTime() + deps.tokenTtlMs);
      const token = encodeURIComponent(signPlaybackToken(deps.secret, { cameraId, userId: viewer.userId, sessionId: viewer.sessionId, role: viewer.role, expiresAt }));
      const base = `/api/v1/live/${encodeURIComponent(cameraId)}`;
      // One token opens both streams of the camera (it is bound to the camera, not to a stream).
      const sub = hasSub ? { sub: { flv: `${base}/sub.flv?token=${token}` } } : {};
      return { hls: `${base}/index.m3u8?token=${token}`, flv: `${base}.flv?token=${token}`, ...sub, expiresAt: expiresAt.toISOString() };
    },
    verifyToken(token, cameraId) {
      return verifyPlaybackToken(deps.secret, token, cameraId, deps.clock.now());
    },
    async authorize(token, cameraId) {
      const result = verifyPlaybackToken(deps.secret, token, cameraId, deps.clock.now());
      if (!result.ok) return result;
      return (await deps.viewers.mayWatch(result.claims)) ? result : { ok: false, reason: 'revoked' };
    },
    watch(claims, close, streamId) {
      return deps.streams.watch(claims, close, streamId);
    },
    async renewStream(streamId, token) {
      const result = verifyPlaybackToken(deps.secret, token, null, deps.clock.now());
      if (!result.ok) return result;
      if (!(await deps.viewers.mayWatch(result.claims))) {
        // Its sign-in ended (signed out, disabled, role changed): refused, and the stream ends now.
        deps.streams.find(streamId, result.claims)?.revoke();
        return { ok: false, reason: 'revoked' };
      }
      const stream = deps.streams.find(streamId, result.claims);
      if (!stream) return { ok: false, reason: 'unknown' };
      if (stream.cameraId !== result.claims.cameraId) return { ok: false, reason: 'wrong_camera' };
      stream.renew(result.claims);
      return { ok: true, expiresAt: result.claims.expiresAt };
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
