/**
 * evidence_items (0081_evidence_items.sql), the one owner of its SQL. Rows are never changed:
 * `insert` adds a first version or a correction; reads answer the newest version of each item.
 */
import type { Db, Database } from '@server/db/database';
import { UUID } from '@common/uuid';
import { date, dateOrNull, txQuery } from '@server/recordings/sql';
import type { Gap, RangeSegment } from './ranges';

export interface EvidenceItem {
  id: string;
  rootId: string;
  version: number;
  supersedes: string | null;
  /** Set when a newer version exists (reads of history only). */
  supersededBy: string | null;
  incidentId: string;
  kind: 'clip' | 'range';
  clipId: string | null;
  cameraId: string;
  from: Date;
  to: Date;
  sha256: string;
  bytes: number | null;
  partial: boolean;
  gaps: Gap[];
  segments: RangeSegment[];
  note: string;
  reason: string | null;
  holdId: string | null;
  holdExpiresAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

export type NewEvidenceItem = Omit<EvidenceItem, 'supersededBy' | 'createdAt'>;

const COLUMNS = `e.id, e.root_id, e.version, e.supersedes, n.id AS superseded_by, e.incident_id, e.kind, e.clip_id, e.camera_id, e.from_at, e.to_at,
  e.sha256, e.bytes, e.partial, e.gaps, e.segments, e.note, e.reason, e.hold_id, e.hold_expires_at, e.created_by, e.created_at`;
const FROM = `evidence_items e LEFT JOIN evidence_items n ON n.supersedes = e.id`;

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function toItem(r: Record<string, unknown>): EvidenceItem {
  return {
    id: String(r.id),
    rootId: String(r.root_id),
    version: Number(r.version),
    supersedes: (r.supersedes as string | null) ?? null,
    supersededBy: (r.superseded_by as string | null) ?? null,
    incidentId: String(r.incident_id),
    kind: r.kind as EvidenceItem['kind'],
    clipId: (r.clip_id as string | null) ?? null,
    cameraId: String(r.camera_id),
    from: date(r.from_at),
    to: date(r.to_at),
    sha256: String(r.sha256),
    bytes: r.bytes === null || r.bytes === undefined ? null : Number(r.bytes),
    partial: Boolean(r.partial),
    gaps: json<Gap[]>(r.gaps),
    segments: json<RangeSegment[]>(r.segments),
    note: String(r.note),
    reason: (r.reason as string | null) ?? null,
    holdId: (r.hold_id as string | null) ?? null,
    holdExpiresAt: dateOrNull(r.hold_expires_at),
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: date(r.created_at),
  };
}

export class EvidenceItemsRepository {
  constructor(private readonly database: Database) {}

  async insert(tx: Db, i: NewEvidenceItem): Promise<void> {
    await txQuery(tx)(
      `INSERT INTO evidence_items (id, root_id, version, supersedes, incident_id, kind, clip_id, camera_id, from_at, to_at, sha256, bytes, partial, gaps, segments,
         note, reason, hold_id, hold_expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16, $17, $18, $19, $20)`,
      [
        i.id, i.rootId, i.version, i.supersedes, i.incidentId, i.kind, i.clipId, i.cameraId, i.from.toISOString(), i.to.toISOString(), i.sha256, i.bytes, i.partial,
        JSON.stringify(i.gaps), JSON.stringify(i.segments), i.note, i.reason, i.holdId, i.holdExpiresAt?.toISOString() ?? null, i.createdBy,
      ],
    );
  }

  async get(id: string): Promise<EvidenceItem | null> {
    if (!UUID.test(id)) return null;
    const [row] = await this.database.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE e.id = $1`, [id]);
    return row ? toItem(row) : null;
  }

  /** An incident's items: the newest version of each (or every version with `history`), oldest first. */
  async listByIncident(incidentId: string, history = false): Promise<EvidenceItem[]> {
    const rows = await this.database.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE e.incident_id = $1 ${history ? '' : 'AND n.id IS NULL'} ORDER BY e.created_at, e.version LIMIT 10000`,
      [incidentId],
    );
    return rows.map(toItem);
  }

  /** Every version of one item, first to newest. */
  async versions(rootId: string): Promise<EvidenceItem[]> {
    if (!UUID.test(rootId)) return [];
    return (await this.database.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE e.root_id = $1 ORDER BY e.version`, [rootId])).map(toItem);
  }
}
