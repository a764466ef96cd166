/**
 * The cache janitor's port over recording_segments: which of a node's cache copies are archived or
 * being uploaded, and the two ways a copy leaves the cache (archived copy released; un-archived
 * copy dropped for space, recorded in recording_drops with cause disk_guard).
 */
import type { Database } from '@server/db/database';
import { UUID } from '@common/uuid';
import type { CacheEntry, CacheIndexPort, Range } from '@workers/recorder/cache-janitor';
import type { LegalHoldRepository } from './holds';
import { HELD_SQL } from './holds';
import { date, dateOrNull, inTransaction } from './sql';

export class CacheTierRepository implements CacheIndexPort {
  constructor(
    private readonly database: Database,
    private readonly holdRepo: LegalHoldRepository,
  ) {}

  async cacheState(node: string): Promise<Map<string, CacheEntry>> {
    const rows = await this.database.query<Record<string, unknown>>(
      `SELECT cache_key, state, archived_at, started_at, ended_at, (upload_claim_until > now()) AS uploading
       FROM recording_segments WHERE cache_node = $1 AND cache_key IS NOT NULL`,
      [node],
    );
    return new Map(
      rows.map((r) => [
        String(r.cache_key),
        { archivedAt: r.state === 'archived' ? (dateOrNull(r.archived_at)?.getTime() ?? 0) : null, uploading: r.uploading === true, start: date(r.started_at), end: date(r.ended_at) },
      ]),
    );
  }

  async holds(cameraIds: string[]): Promise<Map<string, Range[]>> {
    const active = await this.holdRepo.active(cameraIds);
    return new Map([...active].map(([id, hs]) => [id, hs.map((h) => ({ from: h.from, to: h.to }))]));
  }

  async releaseArchived(node: string, cacheKey: string): Promise<boolean> {
    const rows = await this.database.query(
      `UPDATE recording_segments SET cache_key = NULL, cache_deleted_at = now()
       WHERE cache_node = $1 AND cache_key = $2 AND state = 'archived' RETURNING id`,
      [node, cacheKey],
    );
    return rows.length > 0;
  }

  dropUnarchived(node: string, cacheKey: string, seg: { cameraId: string; start: Date; end: Date; bytes: number }): Promise<boolean> {
    return inTransaction(this.database, async (q) => {
      const [row] = await q<{ id: string; held: boolean; busy: boolean; state: string }>(
        `SELECT s.id, s.state, ${HELD_SQL} AS held, (s.upload_claim_until > now()) AS busy
         FROM recording_segments s WHERE s.cache_node = $1 AND s.cache_key = $2 FOR UPDATE`,
        [node, cacheKey],
      );
      if (row && (row.held || row.busy || row.state !== 'cached')) return false;
      if (row) {
        await q(`UPDATE recording_segments SET state = 'dropped', cache_key = NULL, cache_deleted_at = now(), upload_claim = NULL WHERE id = $1`, [row.id]);
      } else {
        const held = await q(
          `SELECT 1 FROM legal_holds WHERE camera_id = $1 AND from_at < $3 AND to_at > $2 AND (expires_at IS NULL OR expires_at > now())`,
          [seg.cameraId, seg.start.toISOString(), seg.end.toISOString()],
        );
        if (held.length) return false;
      }
      if (!UUID.test(seg.cameraId)) return true;
      await q(`INSERT INTO recording_drops (camera_id, from_at, to_at, cause, bytes, detail) VALUES ($1, $2, $3, 'disk_guard', $4, $5)`, [
        seg.cameraId, seg.start.toISOString(), seg.end.toISOString(), seg.bytes, row ? 'un-archived segment dropped for disk space' : 'un-indexed cache file dropped for disk space',
      ]);
      return true;
    });
  }
}
