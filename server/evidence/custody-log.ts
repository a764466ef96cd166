/**
 * custody_log (0080_audit_chain_custody.sql), append-only: the chain-of-custody entries of an
 * incident's evidence. The one owner of the table's SQL; implements the CustodyLog port.
 */
import type { CustodyEntry, CustodyLog } from '@server/incidents/ports';
import type { Database, Db } from '@server/db/database';
import { UUID } from '@common/uuid';
import { date, txQuery } from '@server/recordings/sql';

export interface CustodyRecord extends CustodyEntry {
  id: string;
  at: string;
  userName: string | null;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class CustodyLogRepository implements CustodyLog {
  constructor(private readonly database: Database) {}

  /** `tx`: write the entry inside the caller's transaction (with the change it records). */
  async record(e: CustodyEntry, tx?: Db): Promise<void> {
    const query = tx ? txQuery(tx) : this.database.query.bind(this.database);
    await query(
      `INSERT INTO custody_log (incident_id, action, item_kind, item_id, sha256, user_id, address, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        e.incidentId,
        e.action,
        e.itemKind,
        e.itemId,
        e.sha256 && SHA256.test(e.sha256) ? e.sha256 : null,
        e.userId && UUID.test(e.userId) ? e.userId : null,
        e.address?.slice(0, 200) ?? null,
        e.requestId?.slice(0, 200) ?? null,
      ],
    );
  }

  /** An incident's entries, oldest first (optionally of one item). */
  async list(incidentId: string, item?: { kind: CustodyEntry['itemKind']; id: string }): Promise<CustodyRecord[]> {
    const rows = await this.database.query(
      `SELECT c.id::text AS id, c.at, c.incident_id, c.action, c.item_kind, c.item_id, c.sha256, c.user_id, u.username, c.address, c.request_id
       FROM custody_log c LEFT JOIN users u ON u.id = c.user_id
       WHERE c.incident_id = $1 AND ($2::text IS NULL OR (c.item_kind = $2 AND c.item_id = $3)) ORDER BY c.id LIMIT 100000`,
      [incidentId, item?.kind ?? null, item?.id ?? null],
    );
    return rows.map((r) => ({
      id: String(r.id),
      at: date(r.at).toISOString(),
      incidentId: String(r.incident_id),
      action: r.action as CustodyEntry['action'],
      itemKind: r.item_kind as CustodyEntry['itemKind'],
      itemId: String(r.item_id),
      sha256: (r.sha256 as string | null) ?? null,
      userId: (r.user_id as string | null) ?? null,
      userName: (r.username as string | null) ?? null,
      address: (r.address as string | null) ?? null,
      requestId: (r.request_id as string | null) ?? null,
    }));
  }
}
