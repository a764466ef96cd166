/**
 * clip_jobs (0075_clips.sql): the one owner of its SQL. The durable queue the clip workers claim
 * from (ClipQueuePort: FOR UPDATE SKIP LOCKED plus a claim expiry, as server/recordings/queue.ts
 * explains: no job library can share PGlite's in-process connection), and the reads behind the
 * API and ClipSource. Every state change is guarded by the status (and the claim) it expects, so
 * a cancel racing a completion, or a worker whose claim was taken over, changes nothing.
 */
import type { Database } from '@server/db/database';
import type { ClipGap, ClipRecord } from '@server/incidents/ports';
import { inTransaction, date, dateOrNull } from '@server/recordings/sql';
import type { ClipJob, ClipOutcome, ClipQueuePort } from '@workers/clipper/ports';
import { UUID } from '@common/uuid';

export interface ClipRow extends ClipRecord {
  progress: number;
  objectKey: string | null;
  requestedBy: string | null;
  error: string | null;
  attempts: number;
  createdAt: Date;
}

export interface NewClip {
  incidentId: string;
  cameraId: string;
  requestedBy: string | null;
  from: Date;
  to: Date;
}

const COLUMNS = `id, incident_id, camera_id, requested_by, status, requested_from, requested_to, actual_from, actual_to, partial, gaps,
  progress, sha256, bytes, object_key, error, attempts, created_at`;

const ms = (n: number) => `${Math.max(0, Math.round(n))} milliseconds`;

function toGaps(v: unknown): ClipGap[] {
  const list = (typeof v === 'string' ? JSON.parse(v) : v) as Array<{ from: string; to: string }> | null;
  return (list ?? []).map((g) => ({ from: new Date(g.from), to: new Date(g.to) }));
}

function toRow(r: Record<string, unknown>): ClipRow {
  return {
    id: String(r.id),
    incidentId: String(r.incident_id),
    cameraId: String(r.camera_id),
    requestedBy: r.requested_by ? String(r.requested_by) : null,
    status: r.status as ClipRow['status'],
    requestedFrom: date(r.requested_from),
    requestedTo: date(r.requested_to),
    actualFrom: dateOrNull(r.actual_from),
    actualTo: dateOrNull(r.actual_to),
    partial: Boolean(r.partial),
    gaps: toGaps(r.gaps),
    progress: Number(r.progress),
    sha256: r.sha256 ? String(r.sha256) : null,
    bytes: r.bytes === null || r.bytes === undefined ? null : Number(r.bytes),
    objectKey: r.object_key ? String(r.object_key) : null,
    error: r.error ? String(r.error) : null,
    attempts: Number(r.attempts),
    createdAt: date(r.created_at),
  };
}

export class ClipsRepository implements ClipQueuePort {
  constructor(private readonly database: Database) {}

  /** All or none: one request for many cameras is one transaction. */
  async createMany(clips: readonly NewClip[]): Promise<string[]> {
    return inTransaction(this.database, async (q) => {
      const ids: string[] = [];
      for (const c of clips) {
        const [row] = await q<{ id: string }>(
          `INSERT INTO clip_jobs (incident_id, camera_id, requested_by, requested_from, requested_to) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [c.incidentId, c.cameraId, c.requestedBy, c.from.toISOString(), c.to.toISOString()],
        );
        ids.push(String(row!.id));
      }
      return ids;
    });
  }

  async get(id: string): Promise<ClipRow | null> {
    if (!UUID.test(id)) return null;
    const [r] = await this.database.query(`SELECT ${COLUMNS} FROM clip_jobs WHERE id = $1`, [id]);
    return r ? toRow(r) : null;
  }

  async listByIncident(incidentId: string): Promise<ClipRow[]> {
    if (!UUID.test(incidentId)) return [];
    const rows = await this.database.query(`SELECT ${COLUMNS} FROM clip_jobs WHERE incident_id = $1 ORDER BY created_at, id LIMIT 10000`, [incidentId]);
    return rows.map(toRow);
  }

  /** queued/running -> cancelled (a running worker sees it at its next heartbeat); null when it had already ended. */
  async cancel(id: string): Promise<ClipRow | null> {
    const [r] = await this.database.query(
      `UPDATE clip_jobs SET status = 'cancelled', claim = NULL, claim_until = NULL, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [id],
    );
    return r ? toRow(r) : null;
  }

  async claim(claimer: string, ttlMs: number): Promise<ClipJob | null> {
    const [r] = await this.database.query(
      `UPDATE clip_jobs SET status = 'running', claim = $1, claim_until = now() + $2::interval, attempts = attempts + 1, updated_at = now()
       WHERE id = (
         SELECT id FROM clip_jobs
         WHERE status IN ('queued', 'running') AND next_at <= now() AND (claim_until IS NULL OR claim_until < now())
         ORDER BY next_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, incident_id, camera_id, requested_by, requested_from, requested_to, attempts`,
      [claimer, ms(ttlMs)],
    );
    if (!r) return null;
    return { id: String(r.id), incidentId: String(r.incident_id), cameraId: String(r.camera_id), requestedBy: r.requested_by ? String(r.requested_by) : null, from: date(r.requested_from), to: date(r.requested_to), attempts: Number(r.attempts) };
  }

  async heartbeat(id: string, claimer: string, ttlMs: number, progress: number): Promise<boolean> {
    const rows = await this.database.query(
      `UPDATE clip_jobs SET claim_until = now() + $3::interval, progress = $4, updated_at = now()
       WHERE id = $1 AND claim = $2 AND status = 'running' RETURNING id`,
      [id, claimer, ms(ttlMs), Math.min(1, Math.max(0, progress))],
    );
    return rows.length > 0;
  }

  async complete(id: string, claimer: string, o: ClipOutcome): Promise<boolean> {
    const gaps = JSON.stringify(o.gaps.map((g) => ({ from: g.from.toISOString(), to: g.to.toISOString() })));
    const rows = await this.database.query(
      `UPDATE clip_jobs SET status = 'done', progress = 1, actual_from = $3, actual_to = $4, partial = $5, gaps = $6::jsonb, sha256 = $7, bytes = $8,
         object_key = $9, error = NULL, claim = NULL, claim_until = NULL, finished_at = now(), updated_at = now()
       WHERE id = $1 AND claim = $2 AND status = 'running' RETURNING id`,
      [id, claimer, o.actualFrom.toISOString(), o.actualTo.toISOString(), o.partial, gaps, o.sha256, o.bytes, o.objectKey],
    );
    return rows.length > 0;
  }

  async fail(id: string, claimer: string, error: string, retryInMs: number | null): Promise<void> {
    const text = error.slice(0, 2000);
    if (retryInMs === null) {
      await this.database.query(
        `UPDATE clip_jobs SET status = 'failed', error = $3, claim = NULL, claim_until = NULL, finished_at = now(), updated_at = now()
         WHERE id = $1 AND claim = $2 AND status = 'running'`,
        [id, claimer, text],
      );
      return;
    }
    await this.database.query(
      `UPDATE clip_jobs SET status = 'queued', error = $3, claim = NULL, claim_until = NULL, next_at = now() + $4::interval, updated_at = now()
       WHERE id = $1 AND claim = $2 AND status = 'running'`,
      [id, claimer, text, ms(retryInMs)],
    );
  }
}
