/**
 * Archive retention: segments whose end is older than their camera's retention days (a retired
 * camera keeps the days recorded on its rows) go, objects and rows, in batches; a legal hold over
 * any part of a segment exempts it. Each batch is one transaction: rows deleted, chain tombstones
 * and ledger drops (cause retention) written, one audit entry; then the objects are deleted
 * (a failed object deletion is retried on the next pass).
 */
import type { Database } from '@server/db/database';
import { recordAudit } from '@server/audit/audit-repository';
import { HELD_SQL } from './holds';
import { txQuery } from './sql';

export interface RetentionReport {
  segments: number;
  bytes: number;
  objectsDeleted: number;
  objectErrors: number;
}

export interface ObjectDeleter {
  delete(key: string): Promise<void>;
}

const DEFAULT_DAYS = 30;

export class ArchiveRetention {
  constructor(
    private readonly database: Database,
    private readonly objects: ObjectDeleter,
  ) {}

  /** One batch (at most `limit` segments); call again while it returns a full batch. */
  async runBatch(limit: number): Promise<RetentionReport> {
    const removed = await this.database.db.transaction(async (tx) => {
      const q = txQuery(tx);
      const rows = await q<{ id: string; camera_id: string; chain_seq: string; sha256: string; started_at: unknown; ended_at: unknown; bytes: string; object_key: string; state: string }>(
        `SELECT s.id, s.camera_id, s.chain_seq, s.sha256, s.started_at, s.ended_at, s.bytes, s.object_key, s.state
         FROM recording_segments s LEFT JOIN cameras c ON c.id = s.camera_id
         WHERE s.state IN ('archived', 'dropped') AND s.cache_key IS NULL
           AND s.ended_at < now() - make_interval(days => COALESCE(c.retention_days, s.retention_days, ${DEFAULT_DAYS}))
           AND NOT ${HELD_SQL}
         ORDER BY s.started_at LIMIT $1 FOR UPDATE OF s SKIP LOCKED`,
        [limit],
      );
      if (!rows.length) return [];
      const ids = rows.map((r) => r.id);
      await q(
        `INSERT INTO recording_chain_tombstones (camera_id, chain_seq, sha256, started_at, cause, object_key)
         SELECT camera_id, chain_seq, sha256, started_at, 'retention', CASE WHEN state = 'archived' THEN object_key END FROM recording_segments WHERE id = ANY($1::bigint[])`,
        [ids],
      );
      await q(
        `INSERT INTO recording_drops (camera_id, from_at, to_at, cause, bytes, detail)
         SELECT camera_id, min(started_at), max(ended_at), 'retention', sum(bytes), count(*) || ' segments past retention'
         FROM recording_segments WHERE id = ANY($1::bigint[]) GROUP BY camera_id`,
        [ids],
      );
      await q(`DELETE FROM recording_segments WHERE id = ANY($1::bigint[])`, [ids]);
      const cameras = [...new Set(rows.map((r) => r.camera_id))];
      await recordAudit(tx, { actorId: null, actorName: 'system', actorRole: null, ip: null, requestId: null }, {
        action: 'recording.retention',
        targetType: 'recordings',
        details: {
          segments: rows.length,
          bytes: rows.reduce((n, r) => n + Number(r.bytes), 0),
          cameras: cameras.map((id) => ({ id, segments: rows.filter((r) => r.camera_id === id).length })),
        },
      });
      return rows;
    });
    const report: RetentionReport = { segments: removed.length, bytes: removed.reduce((n, r) => n + Number(r.bytes), 0), objectsDeleted: 0, objectErrors: 0 };
    await this.deletePendingObjects(report);
    return report;
  }

  /** Deletes the objects of tombstones not yet done (this batch's and earlier failures). */
  private async deletePendingObjects(report: RetentionReport): Promise<void> {
    const pending = await this.database.query<{ camera_id: string; chain_seq: string; object_key: string }>(
      `SELECT camera_id, chain_seq, object_key FROM recording_chain_tombstones WHERE object_key IS NOT NULL AND object_deleted_at IS NULL ORDER BY deleted_at LIMIT 1000`,
    );
    for (const t of pending) {
      try {
        await this.objects.delete(t.object_key);
        await this.database.query(`UPDATE recording_chain_tombstones SET object_deleted_at = now() WHERE camera_id = $1 AND chain_seq = $2`, [t.camera_id, t.chain_seq]);
        report.objectsDeleted++;
      } catch {
        report.objectErrors++;
      }
    }
  }
}
