/**
 * recording_segments and its chain (0010_archive.sql): the only SQL on them besides the upload
 * queue (queue.ts), the cache tier (cache-tier.ts) and retention (retention.ts), all in this folder.
 * A row is appended to its camera's hash chain under the chain head's row lock, so two workers
 * indexing segments of one camera at once still form one chain.
 */
import type { Database } from '@server/db/database';
import { UUID } from '@common/uuid';
import type { RejectedSegment, SegmentRecord } from '@workers/recorder/sink';
import { SEGMENT_COLUMNS, toSegment, type RecordingSegment, type SegmentState } from './rows';
import { inTransaction } from './sql';

export interface SegmentWriter {
  workerId: string;
  /** The lease token this worker holds for the camera; null: none (an orphan from an earlier run). */
  token: number | null;
  /** The cache node (disk) the copy is on. */
  node: string;
}

export type AddResult = 'inserted' | 'duplicate';

export interface ListOptions {
  /** Also rows whose copy the disk guard dropped before it was archived. */
  includeDropped?: boolean;
}

export class RecordingsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Indexes a closed segment (idempotent on camera + start and on node + cache key). A writer that
   * does not hold the camera's lease still indexes it (the footage is real and only on its disk),
   * flagged `unleased`.
   */
  add(s: SegmentRecord, w: SegmentWriter): Promise<AddResult> {
    return inTransaction(this.database, async (q) => {
      await q(`INSERT INTO recording_chain_heads (camera_id, last_seq, last_sha256) VALUES ($1, 0, NULL) ON CONFLICT (camera_id) DO NOTHING`, [s.cameraId]);
      const [head] = await q<{ last_seq: string | number; last_sha256: string | null }>(
        `SELECT last_seq, last_sha256 FROM recording_chain_heads WHERE camera_id = $1 FOR UPDATE`,
        [s.cameraId],
      );
      const dup = await q(
        `SELECT 1 FROM recording_segments WHERE (camera_id = $1 AND started_at = $2) OR (cache_node = $3 AND cache_key = $4)`,
        [s.cameraId, s.start.toISOString(), w.node, s.cacheKey],
      );
      if (dup.length) return 'duplicate';
      const leased =
        w.token !== null &&
        (await q(`SELECT 1 FROM camera_leases WHERE camera_id = $1 AND worker_id = $2 AND token = $3 AND expires_at > now()`, [s.cameraId, w.workerId, w.token])).length > 0;
      const flags = [...new Set([...s.flags, ...(leased ? [] : ['unleased'])])];
      const seq = Number(head!.last_seq) + 1;
      await q(
        `INSERT INTO recording_segments (camera_id, started_at, ended_at, duration_ms, bytes, sha256, prev_sha256, chain_seq, state,
           object_key, cache_key, cache_node, frames, codec, width, height, flags, worker_id, fencing_token, retention_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'cached', $9, $10, $11, $12, $13, $14, $15, $16::text[], $17, $18,
           (SELECT retention_days FROM cameras WHERE id = $1))`,
        [
          s.cameraId, s.start.toISOString(), s.end.toISOString(), s.durationMs, s.bytes, s.sha256, head!.last_sha256, seq,
          s.objectKey, s.cacheKey, w.node, s.frames, s.codec, s.width, s.height, flags, w.workerId, w.token,
        ],
      );
      await q(`UPDATE recording_chain_heads SET last_seq = $2, last_sha256 = $3 WHERE camera_id = $1`, [s.cameraId, seq, s.sha256]);
      return 'inserted';
    });
  }

  /** Segments of a camera overlapping [from, to), by start. Cached and archived (and dropped on request). */
  async listSegments(cameraId: string, from: Date, to: Date, opts: ListOptions = {}): Promise<RecordingSegment[]> {
    if (!UUID.test(cameraId)) return [];
    const states: SegmentState[] = opts.includeDropped ? ['cached', 'archived', 'dropped'] : ['cached', 'archived'];
    const rows = await this.database.query(
      `SELECT ${SEGMENT_COLUMNS} FROM recording_segments
       WHERE camera_id = $1 AND started_at < $3 AND ended_at > $2 AND state = ANY($4::text[])
       ORDER BY started_at LIMIT 100000`,
      [cameraId, from.toISOString(), to.toISOString(), states],
    );
    return rows.map(toSegment);
  }

  async byId(id: number): Promise<RecordingSegment | null> {
    const [row] = await this.database.query(`SELECT ${SEGMENT_COLUMNS} FROM recording_segments WHERE id = $1`, [id]);
    return row ? toSegment(row) : null;
  }

  /** Cache keys of this node that are indexed (the orphan pass skips them). */
  async cachedKeys(node: string, cameraId?: string): Promise<Set<string>> {
    const rows = await this.database.query<{ cache_key: string }>(
      `SELECT cache_key FROM recording_segments WHERE cache_node = $1 AND cache_key IS NOT NULL AND ($2::uuid IS NULL OR camera_id = $2::uuid)`,
      [node, cameraId && UUID.test(cameraId) ? cameraId : null],
    );
    return new Set(rows.map((r) => r.cache_key));
  }

  /**
   * Those of `cacheKeys` that are indexed on this node (one probe of recording_segments_cache_idx
   * each): the recorder's sweep skips them, and a sink paused for space never drops them.
   */
  async indexedKeys(node: string, cacheKeys: readonly string[]): Promise<Set<string>> {
    if (!cacheKeys.length) return new Set();
    const rows = await this.database.query<{ cache_key: string }>(
      `SELECT cache_key FROM recording_segments WHERE cache_node = $1 AND cache_key = ANY($2::text[])`,
      [node, [...cacheKeys]],
    );
    return new Set(rows.map((r) => r.cache_key));
  }

  /** A segment that failed validation: recorded as a drop (cause `invalid`) for the ledger. */
  async recordRejected(r: RejectedSegment): Promise<void> {
    if (!UUID.test(r.cameraId)) return;
    await this.database.query(
      `INSERT INTO recording_drops (camera_id, from_at, to_at, cause, bytes, detail) VALUES ($1, $2, $3, 'invalid', $4, $5)`,
      [r.cameraId, r.start.toISOString(), new Date(r.start.getTime() + Math.round(r.seconds * 1000)).toISOString(), r.bytes, `${r.cacheKey}: ${r.reason}`.slice(0, 500)],
    );
  }

  /** A new segment not kept because recording is paused for space (pause.ts): a disk_guard drop. */
  async recordPausedDrop(s: { cameraId: string; cacheKey: string; start: Date; end: Date; bytes: number }, detail: string): Promise<void> {
    if (!UUID.test(s.cameraId)) return;
    await this.database.query(
      `INSERT INTO recording_drops (camera_id, from_at, to_at, cause, bytes, detail) VALUES ($1, $2, $3, 'disk_guard', $4, $5)`,
      [s.cameraId, s.start.toISOString(), s.end.toISOString(), s.bytes, `${s.cacheKey}: ${detail}`.slice(0, 500)],
    );
  }

  /** Recording retention (days) of those of `cameraIds` still registered. */
  async retentionDays(cameraIds: string[]): Promise<Map<string, number>> {
    const ids = cameraIds.filter((id) => UUID.test(id));
    if (!ids.length) return new Map();
    const rows = await this.database.query<{ id: string; retention_days: number }>(`SELECT id, retention_days FROM cameras WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, Number(r.retention_days)]));
  }
}
