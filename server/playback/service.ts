/**
 * Recorded playback: an audited, tokenised VOD playlist URL for a camera and time range, and the
 * token-checked playlist, init sections and media behind it. The token is the live playback token
 * (server/live/playback-token.ts) signed over the scope "vod:<cameraId>:<fromMs>-<toMs>[:<incidentId>]",
 * so it opens exactly that camera and range (a live token does not open recordings, nor the
 * reverse), bound like a live token to the sign-in session and role it was issued to: every use
 * checks that the session still lives with that user and role and that the user may still replay
 * the footage (access.ts), so sign-out, disable, role change, password reset and lost access to
 * the camera or incident end it long before its expiry (archive.playbackTtl).
 */
import type { Clock } from '@common/clock';
import type { Database } from '@server/db/database';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { signPlaybackToken, verifyPlaybackToken, type PlaybackClaims, type VerifyResult } from '@server/live/playback-token';
import { UUID } from '@common/uuid';
import type { RecordingIndex, RecordedSegment } from '@server/ledger/ports';
import { buildVodPlaylist } from './playlist';
import { findInitLength, type SegmentReader } from './reader';
import type { FootageRule, VodAccess, VodGrant } from './access';
import type { Readable } from 'node:stream';

export interface PlaybackDeps {
  database: Database;
  index: Pick<RecordingIndex, 'listSegments'>;
  reader: SegmentReader;
  clock: Clock;
  secret: string;
  ttlMs: number;
  /** Whether a token's sign-in still lives and its user may still replay the footage. */
  access: VodAccess;
}

/** Who the URL is opened for: the user, the sign-in session and the role it has now. */
export interface VodViewer {
  userId: string;
  sessionId: string;
  role: string;
}

/** A token's check: its claims and what it opens, or why not ('revoked': sign-in ended; 'refused': footage no longer allowed). */
export type VodAuthorization =
  | { ok: true; claims: PlaybackClaims; grant: VodGrant }
  | { ok: false; reason: Exclude<VerifyResult, { ok: true }>['reason'] | 'refused' };

export interface MediaPart {
  stream: Readable;
  size: number;
}

export const vodScope = (cameraId: string, from: number, to: number, incidentId: string | null = null) =>
  `vod:${cameraId}:${from}-${to}${incidentId ? `:${incidentId}` : ''}`;

/** The incident a token's scope names for this camera and range (null: none), or undefined when the scope is another's. */
function incidentOf(scope: string, cameraId: string, from: number, to: number): string | null | undefined {
  const base = vodScope(cameraId, from, to);
  if (scope === base) return null;
  const rest = scope.startsWith(`${base}:`) ? scope.slice(base.length + 1) : '';
  return UUID.test(rest) ? rest : undefined;
}

export class PlaybackService {
  /** Init lengths already found, by camera/start (bounded). */
  private readonly inits = new Map<string, number>();

  constructor(private readonly deps: PlaybackDeps) {}

  /**
   * Audits the open and returns the playlist path (relative to the API origin); null when nothing
   * is recorded in the range. The caller has applied the footage rule (`incidentId`: the incident
   * it was applied through), which every use of the token applies again.
   */
  async open(cameraId: string, from: Date, to: Date, incidentId: string | null, viewer: VodViewer, actor: AuditActor): Promise<string | null> {
    const segments = await this.deps.index.listSegments(cameraId, from, to);
    if (!segments.length) return null;
    await recordAudit(this.deps.database.db, actor, {
      action: 'recording.playback',
      targetType: 'camera',
      targetId: cameraId,
      details: { from: from.toISOString(), to: to.toISOString(), segments: segments.length },
    });
    const f = from.getTime();
    const t = to.getTime();
    const expiresAt = new Date(this.deps.clock.now().getTime() + this.deps.ttlMs);
    const scope = vodScope(cameraId, f, t, incidentId);
    const token = signPlaybackToken(this.deps.secret, { cameraId: scope, userId: viewer.userId, sessionId: viewer.sessionId, role: viewer.role, expiresAt });
    return `/api/v1/playback/${cameraId}/${f}-${t}/index.m3u8?token=${encodeURIComponent(token)}`;
  }

  /**
   * Signature, expiry and scope (this camera and range), then whether the token's sign-in still
   * lives and `rule` still lets its user replay the footage. `fresh`: no cached answer (playlists).
   */
  async authorize(token: unknown, cameraId: string, from: number, to: number, rule: FootageRule, fresh: boolean): Promise<VodAuthorization> {
    const r = verifyPlaybackToken(this.deps.secret, token, null, this.deps.clock.now());
    if (!r.ok) return r;
    const incidentId = incidentOf(r.claims.cameraId, cameraId, from, to);
    if (incidentId === undefined) return { ok: false, reason: 'wrong_camera' };
    const grant: VodGrant = { cameraId, from, to, incidentId };
    const verdict = await this.deps.access.check(r.claims, grant, rule, fresh);
    if (verdict !== 'ok') return { ok: false, reason: verdict };
    return { ok: true, claims: r.claims, grant };
  }

  async playlist(cameraId: string, from: number, to: number, token: string): Promise<string> {
    const segments = await this.deps.index.listSegments(cameraId, new Date(from), new Date(to));
    const q = `?token=${encodeURIComponent(token)}`;
    return buildVodPlaylist({
      segments: segments.map((s) => ({ start: s.start.getTime(), end: s.end.getTime() })),
      from,
      initUri: (start) => `${start}/init.mp4${q}`,
      mediaUri: (start) => `${start}/media.m4s${q}`,
    });
  }

  /** The init section (ftyp+moov) or the media (moof+mdat...) of one recorded file inside the range; null when none. */
  async part(cameraId: string, from: number, to: number, start: number, which: 'init' | 'media'): Promise<MediaPart | null> {
    if (start >= to) return null;
    const seg = await this.segmentIn(cameraId, from, to, start);
    if (!seg) return null;
    const src = await this.deps.reader.open(cameraId, seg.start);
    if (!src) return null;
    const key = `${cameraId}/${start}`;
    let init = this.inits.get(key);
    if (init === undefined) {
      init = await findInitLength(src);
      if (this.inits.size > 10_000) this.inits.clear();
      this.inits.set(key, init);
    }
    const [a, b] = which === 'init' ? [0, init] : [init, src.size];
    return { stream: await src.read(a, b), size: b - a };
  }

  private async segmentIn(cameraId: string, from: number, to: number, start: number): Promise<RecordedSegment | null> {
    const segs = await this.deps.index.listSegments(cameraId, new Date(start), new Date(start + 1));
    return segs.find((s) => s.start.getTime() === start && s.end.getTime() > from && start < to) ?? null;
  }
}
