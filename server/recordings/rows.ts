/** A recording segment as the rest of Sky Eye sees it (recording_segments, 0010_archive.sql). */
import { date, dateOrNull, num } from './sql';

export type SegmentState = 'cached' | 'archived' | 'dropped';

export interface RecordingSegment {
  id: number;
  cameraId: string;
  start: Date;
  end: Date;
  durationMs: number;
  bytes: number;
  sha256: string;
  prevSha256: string | null;
  chainSeq: number;
  state: SegmentState;
  objectKey: string;
  /** Key of the cache copy (relative to the cache of `cacheNode`); null once the copy is gone. */
  cacheKey: string | null;
  cacheNode: string | null;
  frames: number | null;
  codec: string | null;
  width: number | null;
  height: number | null;
  flags: string[];
  workerId: string;
  fencingToken: number | null;
  archivedAt: Date | null;
  verifiedAt: Date | null;
}

export const SEGMENT_COLUMNS = `id, camera_id, started_at, ended_at, duration_ms, bytes, sha256, prev_sha256, chain_seq, state,
  object_key, cache_key, cache_node, frames, codec, width, height, flags, worker_id, fencing_token, archived_at, verified_at`;

const intOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toSegment(r: Record<string, unknown>): RecordingSegment {
  return {
    id: num(r.id),
    cameraId: String(r.camera_id),
    start: date(r.started_at),
    end: date(r.ended_at),
    durationMs: num(r.duration_ms),
    bytes: num(r.bytes),
    sha256: String(r.sha256),
    prevSha256: (r.prev_sha256 as string | null) ?? null,
    chainSeq: num(r.chain_seq),
    state: r.state as SegmentState,
    objectKey: String(r.object_key),
    cacheKey: (r.cache_key as string | null) ?? null,
    cacheNode: (r.cache_node as string | null) ?? null,
    frames: intOrNull(r.frames),
    codec: (r.codec as string | null) ?? null,
    width: intOrNull(r.width),
    height: intOrNull(r.height),
    flags: (r.flags as string[] | null) ?? [],
    workerId: String(r.worker_id),
    fencingToken: intOrNull(r.fencing_token),
    archivedAt: dateOrNull(r.archived_at),
    verifiedAt: dateOrNull(r.verified_at),
  };
}
