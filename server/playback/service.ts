/**
 * Recorded playback: an audited, tokenised VOD playlist URL for a camera and time range, and the
 * token-checked playlist, init sections and media behind it. The token is the live playback token
 * (server/live/playback-token.ts) signed over the scope "vod:<cameraId>:<fromMs>-<toMs>", so it
 * opens exactly that camera and range (a live token does not open recordings, nor the reverse).
 */
import type { Clock } from '@common/clock';
import type { Database } from '@server/db/database';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { signPlaybackToken, verifyPlaybackToken, type VerifyResult } from '@server/live/playback-token';
import type { RecordingIndex, RecordedSegment } from '@server/ledger/ports';
import { buildVodPlaylist } from './playlist';
import { findInitLength, type SegmentReader } from './reader';
import type { Readable } from 'node:stream';

export interface PlaybackDeps {
  database: Database;
  index: Pick<RecordingIndex, 'listSegments'>;
  reader: SegmentReader;
  clock: Clock;
  secret: string;
  ttlMs: number;
}

export interface MediaPart {
  stream: Readable;
  size: number;
}

export const vodScope = (cameraId: string, from: number, to: number) => `vod:${cameraId}:${from}-${to}`;

export class PlaybackService {
  /** Init lengths already found, by camera/start (bounded). */
  private readonly inits = new Map<string, number>();

  constructor(private readonly deps: PlaybackDeps) {}

  /** Audits the open and returns the playlist path (relative to the API origin); null when nothing is recorded in the range. */
  async open(cameraId: string, from: Date, to: Date, userId: string, actor: AuditActor): Promise<string | null> {
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
    const token = signPlaybackToken(this.deps.secret, { cameraId: vodScope(cameraId, f, t), userId, expiresAt });
    return `/api/v1/playback/${cameraId}/${f}-${t}/index.m3u8?token=${encodeURIComponent(token)}`;
  }

  verify(token: unknown, cameraId: string, from: number, to: number): VerifyResult {
    return verifyPlaybackToken(this.deps.secret, token, vodScope(cameraId, from, to), this.deps.clock.now());
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
