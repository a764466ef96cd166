/**
 * recording_segments (0005_ingest.sql): the only SQL on it, and the SegmentSink the recorder
 * feeds. A row is written only while this worker still holds the camera's lease with the token
 * it was given (fencing), and add() is idempotent on path.
 */
import type { Database } from '@server/db/database';
import type { SegmentRecord, SegmentSink } from '@workers/recorder/sink';
import { UUID } from '@common/uuid';

export interface SegmentRow {
  cameraId: string;
  startedAt: Date;
  endedAt: Date;
  bytes: number;
  sha256: string;
  path: string;
  workerId: string;
  fencingToken: number;
}

export type AddResult = 'inserted' | 'duplicate' | 'fenced';

export class SegmentRepository {
  constructor(private readonly database: Database) {}

  async add(s: SegmentRecord, workerId: string, token: number): Promise<AddResult> {
    const rows = await this.database.query(
      `INSERT INTO recording_segments (camera_id, started_at, ended_at, bytes, sha256, path, worker_id, fencing_token)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8
       WHERE EXISTS (SELECT 1 FROM camera_leases WHERE camera_id = $1 AND worker_id = $7 AND token = $8)
       ON CONFLICT (path) DO NOTHING
       RETURNING id`,
      [s.cameraId, s.start.toISOString(), s.end.toISOString(), s.bytes, s.sha256, s.path, workerId, token],
    );
    if (rows.length) return 'inserted';
    const dup = await this.database.query(`SELECT 1 FROM recording_segments WHERE path = $1`, [s.path]);
    return dup.length ? 'duplicate' : 'fenced';
  }

  /** Drops the index rows of these cached files (their files are being deleted). */
  async removeByPaths(paths: string[]): Promise<number> {
    if (!paths.length) return 0;
    const rows = await this.database.query(`DELETE FROM recording_segments WHERE path = ANY($1::text[]) RETURNING id`, [paths]);
    return rows.length;
  }

  /** Recording retention (days) of those of `cameraIds` still registered. */
  async retentionDays(cameraIds: string[]): Promise<Map<string, number>> {
    const ids = cameraIds.filter((id) => UUID.test(id));
    if (!ids.length) return new Map();
    const rows = await this.database.query<{ id: string; retention_days: number }>(`SELECT id, retention_days FROM cameras WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, Number(r.retention_days)]));
  }

  async list(cameraId: string): Promise<SegmentRow[]> {
    const rows = await this.database.query<{
      camera_id: string;
      started_at: Date | string;
      ended_at: Date | string;
      bytes: string | number;
      sha256: string;
      path: string;
      worker_id: string;
      fencing_token: string | number;
    }>(`SELECT * FROM recording_segments WHERE camera_id = $1 ORDER BY started_at, id`, [cameraId]);
    return rows.map((r) => ({
      cameraId: r.camera_id,
      startedAt: new Date(r.started_at),
      endedAt: new Date(r.ended_at),
      bytes: Number(r.bytes),
      sha256: r.sha256,
      path: r.path,
      workerId: r.worker_id,
      fencingToken: Number(r.fencing_token),
    }));
  }
}

export interface SinkLogger {
  warn(obj: object, msg: string): void;
}

/** The recorder's sink for one worker: the token comes from the lease held for the camera. */
export function fencedSegmentSink(repo: SegmentRepository, workerId: string, tokenOf: (cameraId: string) => number | undefined, log: SinkLogger): SegmentSink {
  return {
    async add(s) {
      const token = tokenOf(s.cameraId);
      if (token === undefined) {
        log.warn({ cameraId: s.cameraId, path: s.path }, 'segment not indexed: this worker holds no lease for the camera');
        return;
      }
      if ((await repo.add(s, workerId, token)) === 'fenced') {
        log.warn({ cameraId: s.cameraId, path: s.path, token }, 'segment not indexed: lease lost (fenced)');
      }
    },
  };
}
