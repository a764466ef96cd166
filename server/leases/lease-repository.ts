/**
 * Camera leases in PostgreSQL (or PGlite): which worker ingests which camera, with fencing
 * tokens. Expiry uses the database clock so workers on different machines agree on it.
 * Implements the ingest core's LeaseStore port; the only owner of camera_leases and ingest_workers.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@server/db/database';
import type { Lease, LeaseStore } from '@workers/leases/lease-store';

export type { Lease } from '@workers/leases/lease-store';

const toLeases = (rows: Array<{ camera_id: string; token: string | number }>): Lease[] =>
  rows.map((r) => ({ cameraId: r.camera_id, token: Number(r.token) }));

const ms = (n: number) => sql`(${String(n)} || ' milliseconds')::interval`;

/** A live ingest worker and the cameras it holds (GET /api/v1/ops/health). */
export interface WorkerHolding {
  workerId: string;
  startedAt: string;
  heartbeatAgeMs: number;
  cameras: Array<{ id: string; name: string; status: string }>;
}

export class LeaseRepository implements LeaseStore {
  /** `db` is the database handle or a transaction. */
  constructor(private readonly db: Db) {}

  async heartbeat(workerId: string, baseUrl: string | null): Promise<void> {
    await this.db.execute(
      sql`INSERT INTO ingest_workers (id, base_url) VALUES (${workerId}, ${baseUrl})
          ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), base_url = EXCLUDED.base_url`,
    );
  }

  /**
   * Extends this worker's unexpired leases; returns those it still holds. Never one it has
   * released: a renewal that overlapped the release (the beat's, or one stuck on the database
   * and answered late) brought the lease back for this worker, which no longer ingested the
   * camera, and kept it from the others until the next round (seen in the leases test).
   */
  async renew(workerId: string, ttlMs: number): Promise<Lease[]> {
    return toLeases(
      await queryRows(
        this.db,
        sql`UPDATE camera_leases SET expires_at = now() + ${ms(ttlMs)}
            WHERE worker_id = ${workerId} AND expires_at > now() AND released_at IS NULL RETURNING camera_id, token`,
      ),
    );
  }

  /** Live workers (heartbeat within `aliveMs`) and cameras to ingest (approved, recording or live). */
  async census(aliveMs: number): Promise<{ workers: number; cameras: number }> {
    const [row] = await queryRows<{ workers: string | number; cameras: string | number }>(
      this.db,
      sql`SELECT (SELECT count(*) FROM ingest_workers WHERE heartbeat_at > now() - ${ms(aliveMs)}) AS workers,
                 (SELECT count(*) FROM cameras WHERE enrollment_state = 'approved') AS cameras`,
    );
    return { workers: Math.max(1, Number(row?.workers ?? 1)), cameras: Number(row?.cameras ?? 0) };
  }

  /** Takes up to `limit` approved cameras that have no lease or an expired one. */
  async acquire(workerId: string, limit: number, ttlMs: number): Promise<Lease[]> {
    if (limit <= 0) return [];
    return toLeases(
      await queryRows(
        this.db,
        sql`INSERT INTO camera_leases (camera_id, worker_id, token, expires_at)
            SELECT c.id, ${workerId}, nextval('camera_lease_token_seq'), now() + ${ms(ttlMs)}
            FROM cameras c LEFT JOIN camera_leases l ON l.camera_id = c.id
            WHERE c.enrollment_state = 'approved' AND (l.camera_id IS NULL OR l.expires_at <= now())
            ORDER BY c.created_at, c.id
            LIMIT ${limit}
            FOR UPDATE OF c SKIP LOCKED
            ON CONFLICT (camera_id) DO UPDATE
              SET worker_id = EXCLUDED.worker_id, token = EXCLUDED.token,
                  acquired_at = now(), expires_at = EXCLUDED.expires_at, released_at = NULL
              WHERE camera_leases.expires_at <= now()
            RETURNING camera_id, token`,
      ),
    );
  }

  /** Leases of this worker whose camera is no longer approved (suspended, deleted cascade). */
  async unapproved(workerId: string): Promise<string[]> {
    const rows = await queryRows<{ camera_id: string }>(
      this.db,
      sql`SELECT l.camera_id FROM camera_leases l JOIN cameras c ON c.id = l.camera_id
          WHERE l.worker_id = ${workerId} AND l.expires_at > now() AND c.enrollment_state <> 'approved'`,
    );
    return rows.map((r) => r.camera_id);
  }

  /** Expires the leases at once and marks them released (a takeover is due, not an outage). */
  async release(workerId: string, cameraIds: string[]): Promise<void> {
    if (!cameraIds.length) return;
    await this.db.execute(
      sql`UPDATE camera_leases SET expires_at = now(), released_at = now()
          WHERE worker_id = ${workerId} AND expires_at > now() AND camera_id = ANY(${sql.param(cameraIds)}::uuid[])`,
    );
  }

  async leave(workerId: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM ingest_workers WHERE id = ${workerId}`);
  }

  async retire(workerId: string): Promise<void> {
    await this.db.execute(sql`UPDATE camera_leases SET expires_at = now(), released_at = now() WHERE worker_id = ${workerId} AND expires_at > now()`);
    await this.leave(workerId);
  }

  async nextTakeoverMs(workerId: string, silentMs: number): Promise<number | null> {
    const [row] = await queryRows<{ ms: string | number | null }>(
      this.db,
      sql`SELECT EXTRACT(EPOCH FROM min(l.expires_at) - now()) * 1000 AS ms
          FROM camera_leases l LEFT JOIN ingest_workers w ON w.id = l.worker_id
          WHERE l.worker_id <> ${workerId} AND l.expires_at > now()
            AND (w.id IS NULL OR w.heartbeat_at < now() - ${ms(silentMs)})`,
    );
    return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Math.ceil(Number(row.ms)));
  }

  /** How many workers sent a heartbeat within `aliveMs` (a leaving worker has none). */
  async liveWorkers(aliveMs: number): Promise<number> {
    const [row] = await queryRows<{ n: string | number }>(this.db, sql`SELECT count(*) AS n FROM ingest_workers WHERE heartbeat_at > now() - ${ms(aliveMs)}`);
    return Number(row?.n ?? 0);
  }

  /** Deletes heartbeats older than `olderThanMs` (dead workers); returns how many. */
  async pruneWorkers(olderThanMs: number): Promise<number> {
    const rows = await queryRows(this.db, sql`DELETE FROM ingest_workers WHERE heartbeat_at < now() - ${ms(olderThanMs)} RETURNING id`);
    return rows.length;
  }

  /** Each live worker (heartbeat within `aliveMs`) with the cameras it holds now, for /metrics. */
  async heldPerWorker(aliveMs: number): Promise<Array<{ workerId: string; cameras: number; heartbeatAgeMs: number }>> {
    const rows = await queryRows<{ id: string; n: string | number; age: string | number }>(
      this.db,
      sql`SELECT w.id, count(l.camera_id) AS n, EXTRACT(EPOCH FROM now() - w.heartbeat_at) * 1000 AS age
          FROM ingest_workers w LEFT JOIN camera_leases l ON l.worker_id = w.id AND l.expires_at > now()
          WHERE w.heartbeat_at > now() - ${ms(aliveMs)}
          GROUP BY w.id, w.heartbeat_at ORDER BY w.id`,
    );
    return rows.map((r) => ({ workerId: r.id, cameras: Number(r.n), heartbeatAgeMs: Math.max(0, Math.round(Number(r.age))) }));
  }

  /** Each live worker (heartbeat within `aliveMs`) with the cameras it holds now, named (admin health page). */
  async heldCameras(aliveMs: number): Promise<WorkerHolding[]> {
    const rows = await queryRows<{ id: string; started_at: Date | string; age: string | number; camera_id: string | null; name: string | null; status: string | null }>(
      this.db,
      sql`SELECT w.id, w.started_at, EXTRACT(EPOCH FROM now() - w.heartbeat_at) * 1000 AS age, l.camera_id, c.name, c.status
          FROM ingest_workers w LEFT JOIN camera_leases l ON l.worker_id = w.id AND l.expires_at > now()
          LEFT JOIN cameras c ON c.id = l.camera_id
          WHERE w.heartbeat_at > now() - ${ms(aliveMs)}
          ORDER BY w.id, c.name`,
    );
    const out = new Map<string, WorkerHolding>();
    for (const r of rows) {
      let w = out.get(r.id);
      if (!w) {
        w = { workerId: r.id, startedAt: new Date(r.started_at).toISOString(), heartbeatAgeMs: Math.max(0, Math.round(Number(r.age))), cameras: [] };
        out.set(r.id, w);
      }
      if (r.camera_id) w.cameras.push({ id: r.camera_id, name: r.name ?? '', status: r.status ?? 'unknown' });
    }
    return [...out.values()];
  }

  /** Fencing check: true only while this worker holds this token for the camera, unexpired. */
  async holds(workerId: string, cameraId: string, token: number): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      sql`SELECT 1 FROM camera_leases WHERE camera_id = ${cameraId} AND worker_id = ${workerId} AND token = ${token} AND expires_at > now()`,
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
   * Cameras whose status claims a worker is on them but that no worker serves:
   * - the holder went silent (no heartbeat within `silentMs`) though its lease has not expired;
   * - the lease expired without a release (the holder died or fenced itself);
   * - the lease was released (a planned move) more than `graceMs` ago and nobody took it over;
   * - no lease while the status is older than `graceMs` (a camera suspended while its worker was down).
   * `approved` says which status fits now; `released` whether the last holder handed it back.
   */
  async unattended(statuses: readonly string[], graceMs: number, silentMs: number): Promise<Array<{ cameraId: string; approved: boolean; lastWorker: string | null; released: boolean }>> {
    const rows = await queryRows<{ id: string; approved: boolean; worker_id: string | null; released: boolean }>(
      this.db,
      sql`SELECT c.id, c.enrollment_state = 'approved' AS approved, l.worker_id, l.released_at IS NOT NULL AS released
          FROM cameras c LEFT JOIN camera_leases l ON l.camera_id = c.id LEFT JOIN ingest_workers w ON w.id = l.worker_id
          WHERE c.status = ANY(${sql.param([...statuses])}::text[])
            AND ((l.expires_at > now() AND w.heartbeat_at < now() - ${ms(silentMs)})
                 OR (l.expires_at <= now() AND l.released_at IS NULL)
                 OR (l.expires_at < now() - ${ms(graceMs)})
                 OR (l.camera_id IS NULL AND c.status_changed_at < now() - ${ms(graceMs)}))
          ORDER BY c.id LIMIT 1000`,
    );
    return rows.map((r) => ({ cameraId: r.id, approved: r.approved, lastWorker: r.worker_id, released: r.released === true }));
  }

  /**
   * In a caller's transaction (camera row locked first): true when no worker serves the camera
   * now — no unexpired lease, or its holder has sent no heartbeat within `silentMs`.
   */
  static async unattendedLocked(tx: Db, cameraId: string, silentMs: number): Promise<boolean> {
    const [row] = await queryRows<{ silent: boolean }>(
      tx,
      sql`SELECT (w.id IS NOT NULL AND w.heartbeat_at < now() - ${ms(silentMs)}) AS silent
          FROM camera_leases l LEFT JOIN ingest_workers w ON w.id = l.worker_id
          WHERE l.camera_id = ${cameraId} AND l.expires_at > now() FOR SHARE OF l`,
    );
    return !row || row.silent === true;
  }

  /** The camera's unexpired lease, share-locked until the caller's transaction ends; null when none. */
  private static async liveLeaseLocked(tx: Db, cameraId: string): Promise<{ workerId: string; token: number } | null> {
    const [row] = await queryRows<{ worker_id: string; token: string | number }>(
      tx,
      sql`SELECT worker_id, token FROM camera_leases WHERE camera_id = ${cameraId} AND expires_at > now() FOR SHARE`,
    );
    return row ? { workerId: row.worker_id, token: Number(row.token) } : null;
  }

  async holderOf(cameraId: string): Promise<{ workerId: string; baseUrl: string | null } | null> {
    const [row] = await queryRows<{ worker_id: string; base_url: string | null }>(
      this.db,
      sql`SELECT l.worker_id, w.base_url FROM camera_leases l LEFT JOIN ingest_workers w ON w.id = l.worker_id
          WHERE l.camera_id = ${cameraId} AND l.expires_at > now()`,
    );
    return row ? { workerId: row.worker_id, baseUrl: row.base_url } : null;
  }
}
