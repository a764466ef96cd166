/**
 * Camera leases in PostgreSQL (or PGlite): which worker ingests which camera, with fencing
 * tokens. Expiry uses the database clock so workers on different machines agree on it.
 */
import { sql } from 'drizzle-orm';
import type { Database, Db } from '@server/db/database';

export interface Lease {
  cameraId: string;
  token: number;
}

const toLeases = (rows: Array<{ camera_id: string; token: string | number }>): Lease[] =>
  rows.map((r) => ({ cameraId: r.camera_id, token: Number(r.token) }));

export class LeaseRepository {
  constructor(private readonly database: Database) {}

  async heartbeat(workerId: string, baseUrl: string | null): Promise<void> {
    await this.database.query(
      `INSERT INTO ingest_workers (id, base_url) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), base_url = EXCLUDED.base_url`,
      [workerId, baseUrl],
    );
  }

  /** Extends this worker's unexpired leases; returns those it still holds. */
  async renew(workerId: string, ttlMs: number): Promise<Lease[]> {
    const rows = await this.database.query<{ camera_id: string; token: string }>(
      `UPDATE camera_leases SET expires_at = now() + ($2 || ' milliseconds')::interval
       WHERE worker_id = $1 AND expires_at > now() RETURNING camera_id, token`,
      [workerId, String(ttlMs)],
    );
    return toLeases(rows);
  }

  /** Live workers (heartbeat within ttl) and cameras to ingest (approved, recording or live). */
  async census(ttlMs: number): Promise<{ workers: number; cameras: number }> {
    const [row] = await this.database.query<{ workers: string | number; cameras: string | number }>(
      `SELECT (SELECT count(*) FROM ingest_workers WHERE heartbeat_at > now() - ($1 || ' milliseconds')::interval) AS workers,
              (SELECT count(*) FROM cameras WHERE enrollment_state = 'approved') AS cameras`,
      [String(ttlMs)],
    );
    return { workers: Math.max(1, Number(row?.workers ?? 1)), cameras: Number(row?.cameras ?? 0) };
  }

  /** Takes up to `limit` approved cameras that have no lease or an expired one. */
  async acquire(workerId: string, limit: number, ttlMs: number): Promise<Lease[]> {
    if (limit <= 0) return [];
    const rows = await this.database.query<{ camera_id: string; token: string }>(
      `INSERT INTO camera_leases (camera_id, worker_id, token, expires_at)
       SELECT c.id, $1, nextval('camera_lease_token_seq'), now() + ($3 || ' milliseconds')::interval
       FROM cameras c LEFT JOIN camera_leases l ON l.camera_id = c.id
       WHERE c.enrollment_state = 'approved' AND (l.camera_id IS NULL OR l.expires_at <= now())
       ORDER BY c.created_at, c.id
       LIMIT $2
       FOR UPDATE OF c SKIP LOCKED
       ON CONFLICT (camera_id) DO UPDATE
         SET worker_id = EXCLUDED.worker_id, token = EXCLUDED.token,
             acquired_at = now(), expires_at = EXCLUDED.expires_at
         WHERE camera_leases.expires_at <= now()
       RETURNING camera_id, token`,
      [workerId, limit, String(ttlMs)],
    );
    return toLeases(rows);
  }

  /** Leases of this worker whose camera is no longer approved (suspended, deleted cascade). */
  async unapproved(workerId: string): Promise<string[]> {
    const rows = await this.database.query<{ camera_id: string }>(
      `SELECT l.camera_id FROM camera_leases l JOIN cameras c ON c.id = l.camera_id
       WHERE l.worker_id = $1 AND c.enrollment_state <> 'approved'`,
      [workerId],
    );
    return rows.map((r) => r.camera_id);
  }

  async release(workerId: string, cameraIds: string[]): Promise<void> {
    if (!cameraIds.length) return;
    await this.database.query(`DELETE FROM camera_leases WHERE worker_id = $1 AND camera_id = ANY($2::uuid[])`, [workerId, cameraIds]);
  }

  async retire(workerId: string): Promise<void> {
    await this.database.query(`DELETE FROM camera_leases WHERE worker_id = $1`, [workerId]);
    await this.database.query(`DELETE FROM ingest_workers WHERE id = $1`, [workerId]);
  }

  /** Fencing check: true only while this worker holds this token for the camera, unexpired. */
  async holds(workerId: string, cameraId: string, token: number): Promise<boolean> {
    const rows = await this.database.query(
      `SELECT 1 FROM camera_leases WHERE camera_id = $1 AND worker_id = $2 AND token = $3 AND expires_at > now()`,
      [cameraId, workerId, token],
    );
    return rows.length > 0;
  }

  /**
   * The same check inside a caller's transaction, with a share lock on the lease row so it cannot
   * change (renewed away, released, re-assigned) until that transaction ends. Take the camera's
   * row lock first (as acquire() does): acquire() then skips the camera, and the two never
   * deadlock. Whatever the caller writes under the lease cannot interleave with a takeover.
   */
  static async holdsLocked(tx: Db, workerId: string, cameraId: string, token: number): Promise<boolean> {
    const lease = await LeaseRepository.liveLeaseLocked(tx, cameraId);
    return lease?.workerId === workerId && lease.token === token;
  }

  /**
   * Cameras whose status claims a worker is on them but that no worker holds: lease expired more
   * than `graceMs` ago, or no lease while the status is older than `graceMs` (a worker that died,
   * or a camera suspended while its worker was down). `approved` says which status fits now.
   */
  async unattended(statuses: readonly string[], graceMs: number): Promise<Array<{ cameraId: string; approved: boolean; lastWorker: string | null }>> {
    const rows = await this.database.query<{ id: string; approved: boolean; worker_id: string | null }>(
      `SELECT c.id, c.enrollment_state = 'approved' AS approved, l.worker_id
       FROM cameras c LEFT JOIN camera_leases l ON l.camera_id = c.id
       WHERE c.status = ANY($1::text[])
         AND (l.expires_at < now() - ($2 || ' milliseconds')::interval
              OR (l.camera_id IS NULL AND c.status_changed_at < now() - ($2 || ' milliseconds')::interval))
       ORDER BY c.id LIMIT 1000`,
      [statuses, String(graceMs)],
    );
    return rows.map((r) => ({ cameraId: r.id, approved: r.approved, lastWorker: r.worker_id }));
  }

  /** In a caller's transaction (camera row locked first): true when no worker holds the camera now. */
  static async unheldLocked(tx: Db, cameraId: string): Promise<boolean> {
    return (await LeaseRepository.liveLeaseLocked(tx, cameraId)) === null;
  }

  /** The camera's unexpired lease, share-locked until the caller's transaction ends; null when none. */
  private static async liveLeaseLocked(tx: Db, cameraId: string): Promise<{ workerId: string; token: number } | null> {
    // Both drivers (node-postgres, PGlite) answer execute() with { rows }.
    const res = (await tx.execute(
      sql`SELECT worker_id, token FROM camera_leases WHERE camera_id = ${cameraId} AND expires_at > now() FOR SHARE`,
    )) as unknown as { rows: Array<{ worker_id: string; token: string | number }> };
    const [row] = res.rows;
    return row ? { workerId: row.worker_id, token: Number(row.token) } : null;
  }


  async holderOf(cameraId: string): Promise<{ workerId: string; baseUrl: string | null } | null> {
    const [row] = await this.database.query<{ worker_id: string; base_url: string | null }>(
      `SELECT l.worker_id, w.base_url FROM camera_leases l LEFT JOIN ingest_workers w ON w.id = l.worker_id
       WHERE l.camera_id = $1 AND l.expires_at > now()`,
      [cameraId],
    );
    return row ? { workerId: row.worker_id, baseUrl: row.base_url } : null;
  }
}
