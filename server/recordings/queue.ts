/**
 * The upload queue on recording_segments (the uploader's port): due rows of a node in state
 * `cached`, claimed with FOR UPDATE SKIP LOCKED plus a claim expiry. This works the same on PGlite
 * (in-process, one connection) and on a PostgreSQL server; pg-boss and graphile-worker need their
 * own pg connections and cannot use PGlite's in-process one.
 */
import type { Database } from '@server/db/database';
import type { UploadJob, UploadQueuePort } from '@workers/uploader/port';

const ms = (n: number) => `${Math.max(0, Math.round(n))} milliseconds`;

export class UploadQueueRepository implements UploadQueuePort {
  constructor(private readonly database: Database) {}

  async claim(node: string, claimer: string, limit: number, ttlMs: number): Promise<UploadJob[]> {
    const rows = await this.database.query<Record<string, unknown>>(
      `UPDATE recording_segments SET upload_claim = $2, upload_claim_until = now() + $4::interval, upload_attempts = upload_attempts + 1
       WHERE id IN (
         SELECT id FROM recording_segments
         WHERE cache_node = $1 AND state = 'cached' AND cache_key IS NOT NULL AND upload_next_at <= now()
           AND (upload_claim_until IS NULL OR upload_claim_until < now())
         ORDER BY started_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, camera_id, cache_key, object_key, sha256, bytes, upload_attempts`,
      [node, claimer, limit, ms(ttlMs)],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      cameraId: String(r.camera_id),
      cacheKey: String(r.cache_key),
      objectKey: String(r.object_key),
      sha256: String(r.sha256),
      bytes: Number(r.bytes),
      attempts: Number(r.upload_attempts),
    }));
  }

  async renew(id: number, claimer: string, ttlMs: number): Promise<boolean> {
    const rows = await this.database.query(
      `UPDATE recording_segments SET upload_claim_until = now() + $3::interval WHERE id = $1 AND upload_claim = $2 AND state = 'cached' RETURNING id`,
      [id, claimer, ms(ttlMs)],
    );
    return rows.length > 0;
  }

  async complete(id: number, claimer: string): Promise<boolean> {
    const rows = await this.database.query(
      `UPDATE recording_segments SET state = 'archived', archived_at = now(), verified_at = now(), upload_claim = NULL, upload_claim_until = NULL, upload_error = NULL
       WHERE id = $1 AND upload_claim = $2 AND state = 'cached' RETURNING id`,
      [id, claimer],
    );
    return rows.length > 0;
  }

  async fail(id: number, claimer: string, error: string, retryInMs: number): Promise<void> {
    await this.database.query(
      `UPDATE recording_segments SET upload_claim = NULL, upload_claim_until = NULL, upload_error = $3, upload_next_at = now() + $4::interval
       WHERE id = $1 AND upload_claim = $2`,
      [id, claimer, error, ms(retryInMs)],
    );
  }

  /** Segments waiting for upload (all nodes): the backlog the metrics and the ledger show. */
  async backlog(): Promise<{ segments: number; bytes: number; oldest: Date | null }> {
    const [r] = await this.database.query<Record<string, unknown>>(
      `SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes, min(started_at) AS oldest FROM recording_segments WHERE state = 'cached'`,
    );
    return { segments: Number(r?.n ?? 0), bytes: Number(r?.bytes ?? 0), oldest: r?.oldest ? new Date(String(r.oldest instanceof Date ? r.oldest.toISOString() : r.oldest)) : null };
  }
}
