/** The only SQL on camera_sharing and footage_requests (0073_footage_requests.sql). */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@server/db/database';
import type { SharingMode } from '@common/incidents';

export interface CameraOwnership {
  id: string;
  name: string;
  kind: string;
  owner_user_id: string | null;
  mode: SharingMode | null;
}

export interface RequestRow {
  id: string;
  incident_id: string;
  incident_number: string;
  incident_title: string;
  camera_id: string;
  camera_name: string;
  owner_user_id: string | null;
  from_at: Date | string;
  to_at: Date | string;
  reason: string;
  status: string;
  requested_by: string | null;
  requested_by_name: string | null;
  requested_at: Date | string;
  decided_at: Date | string | null;
  decision_note: string | null;
}

const SELECT = sql`SELECT r.*, i.number AS incident_number, i.title AS incident_title, c.name AS camera_name, c.owner_user_id,
  coalesce(nullif(u.display_name, ''), u.username) AS requested_by_name
  FROM footage_requests r JOIN incidents i ON i.id = r.incident_id JOIN cameras c ON c.id = r.camera_id LEFT JOIN users u ON u.id = r.requested_by`;

export async function camera(db: Db, cameraId: string): Promise<CameraOwnership | undefined> {
  const [row] = await queryRows<CameraOwnership>(
    db,
    sql`SELECT c.id, c.name, c.kind, c.owner_user_id, s.mode FROM cameras c LEFT JOIN camera_sharing s ON s.camera_id = c.id WHERE c.id = ${cameraId}::uuid`,
  );
  return row;
}

export async function setMode(db: Db, cameraId: string, mode: SharingMode, by: string): Promise<void> {
  await queryRows(
    db,
    sql`INSERT INTO camera_sharing (camera_id, mode, updated_by) VALUES (${cameraId}::uuid, ${mode}, ${by}::uuid)
        ON CONFLICT (camera_id) DO UPDATE SET mode = EXCLUDED.mode, updated_by = EXCLUDED.updated_by, updated_at = now() RETURNING camera_id`,
  );
}

export async function insertRequest(db: Db, r: { incidentId: string; cameraId: string; from: Date; to: Date; reason: string; by: string }): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO footage_requests (incident_id, camera_id, from_at, to_at, reason, requested_by)
        VALUES (${r.incidentId}::uuid, ${r.cameraId}::uuid, ${r.from.toISOString()}::timestamptz, ${r.to.toISOString()}::timestamptz, ${r.reason}, ${r.by}::uuid) RETURNING id`,
  );
  return row!.id;
}

export async function findRequest(db: Db, id: string): Promise<RequestRow | undefined> {
  const [row] = await queryRows<RequestRow>(db, sql`${SELECT} WHERE r.id = ${id}::uuid`);
  return row;
}

export async function byIncident(db: Db, incidentId: string): Promise<RequestRow[]> {
  return queryRows<RequestRow>(db, sql`${SELECT} WHERE r.incident_id = ${incidentId}::uuid ORDER BY r.requested_at DESC, r.id`);
}

/** Requests on the cameras `ownerUserId` owns (all owners' when null), newest first. */
export async function byOwner(db: Db, ownerUserId: string | null, status?: string): Promise<RequestRow[]> {
  const owner = ownerUserId ? sql`c.owner_user_id = ${ownerUserId}::uuid` : sql`TRUE`;
  const st = status ? sql` AND r.status = ${status}` : sql``;
  return queryRows<RequestRow>(db, sql`${SELECT} WHERE ${owner}${st} ORDER BY r.requested_at DESC, r.id LIMIT 500`);
}

/** Decides a pending request; false when it was no longer pending (decided meanwhile). */
export async function decide(db: Db, id: string, status: 'approved' | 'declined', by: string, note: string | null): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`UPDATE footage_requests SET status = ${status}, decided_by = ${by}::uuid, decided_at = now(), decision_note = ${note}
        WHERE id = ${id}::uuid AND status = 'pending' RETURNING id`,
  );
  return rows.length > 0;
}

/** Whether an approved request of this incident covers all of [from, to) of the camera. */
export async function released(db: Db, incidentId: string, cameraId: string, from: Date, to: Date): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`SELECT 1 FROM footage_requests WHERE incident_id = ${incidentId}::uuid AND camera_id = ${cameraId}::uuid AND status = 'approved'
        AND from_at <= ${from.toISOString()}::timestamptz AND to_at >= ${to.toISOString()}::timestamptz LIMIT 1`,
  );
  return rows.length > 0;
}

/** Kind and chosen sharing mode of each camera (for the incident's camera list). */
export async function modes(db: Db, cameraIds: string[]): Promise<Array<{ id: string; kind: string; mode: SharingMode | null }>> {
  if (!cameraIds.length) return [];
  return queryRows(db, sql`SELECT c.id, c.kind, s.mode FROM cameras c LEFT JOIN camera_sharing s ON s.camera_id = c.id WHERE c.id = ANY(${sql.param(cameraIds)}::uuid[])`);
}

/** The end of the approved range of this incident that holds `from` (the latest, if several), or null. */
export async function releasedUntil(db: Db, incidentId: string, cameraId: string, from: Date): Promise<Date | null> {
  const [row] = await queryRows<{ to_at: Date | string }>(
    db,
    sql`SELECT max(to_at) AS to_at FROM footage_requests WHERE incident_id = ${incidentId}::uuid AND camera_id = ${cameraId}::uuid AND status = 'approved'
        AND from_at <= ${from.toISOString()}::timestamptz AND to_at > ${from.toISOString()}::timestamptz`,
  );
  return row?.to_at ? new Date(row.to_at) : null;
}
