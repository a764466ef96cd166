/** legal_holds (0010_archive.sql): time ranges of a camera exempt from retention and every space guard. */
import type { Database, Db } from '@server/db/database';
import { UUID } from '@common/uuid';
import { date, txQuery } from './sql';

export interface LegalHold {
  id: string;
  cameraId: string;
  from: Date;
  to: Date;
  reason: string;
  createdBy: string | null;
  expiresAt: Date | null;
}

/** SQL condition: an active hold of the segment row aliased `s` (for retention and guards). */
export const HELD_SQL = `EXISTS (SELECT 1 FROM legal_holds h WHERE h.camera_id = s.camera_id AND h.from_at < s.ended_at AND h.to_at > s.started_at
  AND (h.expires_at IS NULL OR h.expires_at > now()))`;

export class LegalHoldRepository {
  constructor(private readonly database: Database) {}

  /** `tx`: place the hold inside the caller's transaction (with the change that needs it). */
  async create(h: { cameraId: string; from: Date; to: Date; reason: string; createdBy?: string | null; expiresAt?: Date | null }, tx?: Db): Promise<LegalHold> {
    const query = tx ? txQuery(tx) : this.database.query.bind(this.database);
    const [row] = await query(
      `INSERT INTO legal_holds (camera_id, from_at, to_at, reason, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, camera_id, from_at, to_at, reason, created_by, expires_at`,
      [h.cameraId, h.from.toISOString(), h.to.toISOString(), h.reason, h.createdBy ?? null, h.expiresAt?.toISOString() ?? null],
    );
    return toHold(row!);
  }

  /** Active holds of these cameras, by camera. */
  async active(cameraIds: string[]): Promise<Map<string, LegalHold[]>> {
    const ids = cameraIds.filter((id) => UUID.test(id));
    const out = new Map<string, LegalHold[]>();
    if (!ids.length) return out;
    const rows = await this.database.query(
      `SELECT id, camera_id, from_at, to_at, reason, created_by, expires_at FROM legal_holds
       WHERE camera_id = ANY($1::uuid[]) AND (expires_at IS NULL OR expires_at > now()) ORDER BY from_at`,
      [ids],
    );
    for (const h of rows.map(toHold)) out.set(h.cameraId, [...(out.get(h.cameraId) ?? []), h]);
    return out;
  }
}

function toHold(r: Record<string, unknown>): LegalHold {
  return {
    id: String(r.id),
    cameraId: String(r.camera_id),
    from: date(r.from_at),
    to: date(r.to_at),
    reason: String(r.reason),
    createdBy: (r.created_by as string | null) ?? null,
    expiresAt: r.expires_at ? date(r.expires_at) : null,
  };
}
