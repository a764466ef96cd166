/** evidence_exports (0082_evidence_exports.sql): export package jobs. The one owner of its SQL. */
import type { Database } from '@server/db/database';
import { UUID } from '@common/uuid';
import { date, dateOrNull } from '@server/recordings/sql';

export interface ExportJob {
  id: string;
  incidentId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  objectKey: string | null;
  sha256: string | null;
  bytes: number | null;
  manifestSha256: string | null;
  items: number | null;
  error: string | null;
  /** Why a running export waits (segments not archived yet); null when it does not. */
  waiting: string | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const COLUMNS = 'id, incident_id, status, object_key, sha256, bytes, manifest_sha256, items, error, waiting, created_by, created_at, finished_at';

function toJob(r: Record<string, unknown>): ExportJob {
  return {
    id: String(r.id),
    incidentId: String(r.incident_id),
    status: r.status as ExportJob['status'],
    objectKey: (r.object_key as string | null) ?? null,
    sha256: (r.sha256 as string | null) ?? null,
    bytes: r.bytes === null || r.bytes === undefined ? null : Number(r.bytes),
    manifestSha256: (r.manifest_sha256 as string | null) ?? null,
    items: r.items === null || r.items === undefined ? null : Number(r.items),
    error: (r.error as string | null) ?? null,
    waiting: (r.waiting as string | null) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: date(r.created_at),
    finishedAt: dateOrNull(r.finished_at),
  };
}

export class ExportsRepository {
  constructor(private readonly database: Database) {}

  async create(incidentId: string, createdBy: string | null): Promise<ExportJob> {
    const [row] = await this.database.query(`INSERT INTO evidence_exports (incident_id, created_by) VALUES ($1, $2) RETURNING ${COLUMNS}`, [incidentId, createdBy]);
    return toJob(row!);
  }

  async get(id: string): Promise<ExportJob | null> {
    if (!UUID.test(id)) return null;
    const [row] = await this.database.query(`SELECT ${COLUMNS} FROM evidence_exports WHERE id = $1`, [id]);
    return row ? toJob(row) : null;
  }

  /** An incident's exports, newest first. */
  async listByIncident(incidentId: string): Promise<ExportJob[]> {
    const rows = await this.database.query(`SELECT ${COLUMNS} FROM evidence_exports WHERE incident_id = $1 ORDER BY created_at DESC, id LIMIT 1000`, [incidentId]);
    return rows.map(toJob);
  }

  /** queued -> running (heartbeat now); false when another runner took it. */
  async start(id: string): Promise<boolean> {
    const rows = await this.database.query(`UPDATE evidence_exports SET status = 'running', heartbeat_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`, [id]);
    return rows.length === 1;
  }

  /** The builder is alive (and why it waits, or null); false when the job is no longer running. */
  async heartbeat(id: string, waiting: string | null): Promise<boolean> {
    const rows = await this.database.query(`UPDATE evidence_exports SET heartbeat_at = now(), waiting = $2 WHERE id = $1 AND status = 'running' RETURNING id`, [id, waiting?.slice(0, 1000) ?? null]);
    return rows.length === 1;
  }

  async finish(id: string, r: { objectKey: string; sha256: string; bytes: number; manifestSha256: string; items: number }): Promise<void> {
    await this.database.query(
      `UPDATE evidence_exports SET status = 'done', waiting = NULL, object_key = $2, sha256 = $3, bytes = $4, manifest_sha256 = $5, items = $6, finished_at = now() WHERE id = $1`,
      [id, r.objectKey, r.sha256, r.bytes, r.manifestSha256, r.items],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.database.query(`UPDATE evidence_exports SET status = 'failed', waiting = NULL, error = $2, finished_at = now() WHERE id = $1`, [id, error.slice(0, 1000)]);
  }

  /**
   * Jobs left queued or running by a process that died (no heartbeat for `staleMs`, by the database's
   * clock; a job never started counts from its creation): failed, so the console says so and a new
   * export is asked for.
   */
  async failAbandoned(staleMs: number): Promise<number> {
    const rows = await this.database.query(
      `UPDATE evidence_exports SET status = 'failed', waiting = NULL, error = 'interrupted: the server building it stopped; create a new export', finished_at = now()
       WHERE status IN ('queued', 'running') AND COALESCE(heartbeat_at, created_at) < now() - $1::double precision * interval '1 millisecond' RETURNING id`,
      [staleMs],
    );
    return rows.length;
  }
}
