/**
 * The only SQL on incidents, incident_counters, incident_assignees, incident_cameras,
 * incident_history and user_stations (0070_incidents.sql). Every function takes the drizzle handle
 * (the database or a transaction), so the service decides the transaction boundaries.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '@server/db/database';

export interface IncidentRow {
  id: string;
  number: string;
  station_id: string | null;
  station_name: string | null;
  category: string;
  title: string;
  description: string;
  status: string;
  from_at: Date | string;
  to_at: Date | string;
  lat: number;
  lon: number;
  address: string | null;
  radius_m: number;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
  created_by_username: string | null;
  created_by_display_name: string | null;
  /** created_at with microseconds (the list cursor). */
  sort_ts: string;
}

export interface PersonRow {
  id: string;
  username: string;
  display_name: string;
}

export interface NewIncident {
  number: string;
  stationId: string | null;
  category: string;
  title: string;
  description: string;
  from: Date;
  to: Date;
  lat: number;
  lon: number;
  address: string | null;
  radius: number;
  createdBy: string | null;
}

/** Columns a patch may set (service names -> SQL columns). */
export const PATCH_COLUMNS = {
  title: 'title',
  category: 'category',
  description: 'description',
  status: 'status',
  from: 'from_at',
  to: 'to_at',
  lat: 'lat',
  lon: 'lon',
  address: 'address',
  radius: 'radius_m',
  stationId: 'station_id',
} as const;
export type PatchField = keyof typeof PATCH_COLUMNS;

/** Who sees what: admins everything; others their station's incidents, those assigned to them, and (operators) those they created. */
export interface Visibility {
  all: boolean;
  userId: string;
  stationId: string | null;
  includeCreated: boolean;
}

export interface ListFilter {
  status?: string;
  category?: string;
  stationId?: string;
  assignedTo?: string;
  q?: string;
  /** Incidents whose window overlaps [from, to). */
  from?: Date;
  to?: Date;
}

const SELECT = sql`SELECT i.*, s.name AS station_name, cu.username AS created_by_username, cu.display_name AS created_by_display_name,
  to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_ts
  FROM incidents i LEFT JOIN stations s ON s.id = i.station_id LEFT JOIN users cu ON cu.id = i.created_by`;

export function visibleSql(v: Visibility): SQL {
  if (v.all) return sql`TRUE`;
  const parts: SQL[] = [sql`EXISTS (SELECT 1 FROM incident_assignees a WHERE a.incident_id = i.id AND a.user_id = ${v.userId}::uuid)`];
  if (v.stationId) parts.push(sql`i.station_id = ${v.stationId}::uuid`);
  if (v.includeCreated) parts.push(sql`i.created_by = ${v.userId}::uuid`);
  return sql`(${sql.join(parts, sql` OR `)})`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function findIncident(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<IncidentRow | undefined> {
  const lock = opts.forUpdate ? sql` FOR UPDATE OF i` : sql``;
  const [row] = await queryRows<IncidentRow>(db, sql`${SELECT} WHERE i.id = ${id}::uuid${lock}`);
  return row;
}

export async function isVisible(db: Db, id: string, v: Visibility): Promise<boolean> {
  const rows = await queryRows(db, sql`SELECT 1 FROM incidents i WHERE i.id = ${id}::uuid AND ${visibleSql(v)}`);
  return rows.length > 0;
}

/** Newest first; `after` is the (created_at, id) of the last item of the previous page. */
export async function listIncidents(db: Db, v: Visibility, f: ListFilter, limit: number, after?: { t: string; id: string }): Promise<IncidentRow[]> {
  const c: SQL[] = [visibleSql(v)];
  if (f.status) c.push(sql`i.status = ${f.status}`);
  if (f.category) c.push(sql`i.category = ${f.category}`);
  if (f.stationId) c.push(sql`i.station_id = ${f.stationId}::uuid`);
  if (f.assignedTo) c.push(sql`EXISTS (SELECT 1 FROM incident_assignees a WHERE a.incident_id = i.id AND a.user_id = ${f.assignedTo}::uuid)`);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    c.push(sql`(i.title ILIKE ${like} OR i.number ILIKE ${like} OR i.address ILIKE ${like} OR i.description ILIKE ${like})`);
  }
  if (f.from) c.push(sql`i.to_at > ${f.from.toISOString()}::timestamptz`);
  if (f.to) c.push(sql`i.from_at < ${f.to.toISOString()}::timestamptz`);
  if (after) c.push(sql`(i.created_at, i.id) < (${after.t}::timestamptz, ${after.id}::uuid)`);
  return queryRows<IncidentRow>(db, sql`${SELECT} WHERE ${sql.join(c, sql` AND `)} ORDER BY i.created_at DESC, i.id DESC LIMIT ${limit}`);
}

/** The next number of a scope and year, atomically (the counter row is locked until the caller's transaction ends). */
export async function nextNumber(db: Db, scope: string, year: number): Promise<number> {
  const [row] = await queryRows<{ last: number }>(
    db,
    sql`INSERT INTO incident_counters (scope, year, last) VALUES (${scope}, ${year}, 1)
        ON CONFLICT (scope, year) DO UPDATE SET last = incident_counters.last + 1 RETURNING last`,
  );
  return Number(row!.last);
}

export async function insertIncident(db: Db, n: NewIncident): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO incidents (number, station_id, category, title, description, from_at, to_at, lat, lon, address, radius_m, created_by)
        VALUES (${n.number}, ${n.stationId}::uuid, ${n.category}, ${n.title}, ${n.description}, ${n.from.toISOString()}::timestamptz,
                ${n.to.toISOString()}::timestamptz, ${n.lat}, ${n.lon}, ${n.address}, ${n.radius}, ${n.createdBy}::uuid)
        RETURNING id`,
  );
  return row!.id;
}

/** Sets the given columns and bumps the version (the caller holds the row lock). */
export async function updateIncident(db: Db, id: string, set: Partial<Record<PatchField, unknown>>): Promise<void> {
  const assignments = (Object.keys(set) as PatchField[]).map((k) => {
    const v = set[k];
    const value = v instanceof Date ? v.toISOString() : v;
    return sql`${sql.raw(PATCH_COLUMNS[k])} = ${value}`;
  });
  assignments.push(sql`updated_at = now()`, sql`version = version + 1`);
  await queryRows(db, sql`UPDATE incidents SET ${sql.join(assignments, sql`, `)} WHERE id = ${id}::uuid RETURNING id`);
}

export async function assignees(db: Db, incidentIds: string[]): Promise<Array<PersonRow & { incident_id: string }>> {
  if (!incidentIds.length) return [];
  return queryRows(
    db,
    sql`SELECT a.incident_id, u.id, u.username, u.display_name FROM incident_assignees a JOIN users u ON u.id = a.user_id
        WHERE a.incident_id = ANY(${sql.param(incidentIds)}::uuid[]) ORDER BY u.username`,
  );
}

export async function addAssignee(db: Db, incidentId: string, userId: string, by: string | null): Promise<void> {
  await queryRows(db, sql`INSERT INTO incident_assignees (incident_id, user_id, assigned_by) VALUES (${incidentId}::uuid, ${userId}::uuid, ${by}::uuid) ON CONFLICT DO NOTHING RETURNING user_id`);
}

export async function removeAssignee(db: Db, incidentId: string, userId: string): Promise<void> {
  await queryRows(db, sql`DELETE FROM incident_assignees WHERE incident_id = ${incidentId}::uuid AND user_id = ${userId}::uuid RETURNING user_id`);
}

export async function people(db: Db, ids: string[]): Promise<Array<PersonRow & { role: string; disabled: boolean }>> {
  if (!ids.length) return [];
  return queryRows(db, sql`SELECT id, username, display_name, role, disabled FROM users WHERE id = ANY(${sql.param(ids)}::uuid[])`);
}

/** Enabled investigators, with their station (for the assignment picker). */
export async function investigators(db: Db): Promise<Array<PersonRow & { station_id: string | null }>> {
  return queryRows(
    db,
    sql`SELECT u.id, u.username, u.display_name, us.station_id FROM users u LEFT JOIN user_stations us ON us.user_id = u.id
        WHERE u.role = 'investigator' AND NOT u.disabled ORDER BY u.username`,
  );
}

export async function manualCameras(db: Db, incidentId: string): Promise<string[]> {
  const rows = await queryRows<{ camera_id: string }>(db, sql`SELECT camera_id FROM incident_cameras WHERE incident_id = ${incidentId}::uuid ORDER BY added_at`);
  return rows.map((r) => r.camera_id);
}

/** True when the camera was not on the incident yet. */
export async function addCamera(db: Db, incidentId: string, cameraId: string, by: string | null): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`INSERT INTO incident_cameras (incident_id, camera_id, added_by) VALUES (${incidentId}::uuid, ${cameraId}::uuid, ${by}::uuid) ON CONFLICT DO NOTHING RETURNING camera_id`,
  );
  return rows.length > 0;
}

export async function removeCamera(db: Db, incidentId: string, cameraId: string): Promise<boolean> {
  const rows = await queryRows(db, sql`DELETE FROM incident_cameras WHERE incident_id = ${incidentId}::uuid AND camera_id = ${cameraId}::uuid RETURNING camera_id`);
  return rows.length > 0;
}

export interface HistoryRow {
  id: string | number;
  at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  changes: Record<string, unknown> | string;
}

export async function addHistory(db: Db, incidentId: string, actor: { id: string | null; name: string | null }, action: string, changes: Record<string, unknown>): Promise<void> {
  await queryRows(
    db,
    sql`INSERT INTO incident_history (incident_id, actor_id, actor_name, action, changes) VALUES (${incidentId}::uuid, ${actor.id}::uuid, ${actor.name}, ${action}, ${JSON.stringify(changes)}::jsonb) RETURNING id`,
  );
}

export async function history(db: Db, incidentId: string): Promise<HistoryRow[]> {
  return queryRows<HistoryRow>(db, sql`SELECT id, at, actor_id, actor_name, action, changes FROM incident_history WHERE incident_id = ${incidentId}::uuid ORDER BY id`);
}

export async function stationOf(db: Db, userId: string): Promise<string | null> {
  const [row] = await queryRows<{ station_id: string }>(db, sql`SELECT station_id FROM user_stations WHERE user_id = ${userId}::uuid`);
  return row?.station_id ?? null;
}

/** Every user's station (user id -> station id), for the administrators' user list. */
export async function allStations(db: Db): Promise<Map<string, string>> {
  const rows = await queryRows<{ user_id: string; station_id: string }>(db, sql`SELECT user_id, station_id FROM user_stations`);
  return new Map(rows.map((r) => [r.user_id, r.station_id]));
}

export async function setStation(db: Db, userId: string, stationId: string | null): Promise<void> {
  if (stationId === null) await queryRows(db, sql`DELETE FROM user_stations WHERE user_id = ${userId}::uuid RETURNING user_id`);
  else {
    await queryRows(
      db,
      sql`INSERT INTO user_stations (user_id, station_id) VALUES (${userId}::uuid, ${stationId}::uuid)
          ON CONFLICT (user_id) DO UPDATE SET station_id = EXCLUDED.station_id, updated_at = now() RETURNING user_id`,
    );
  }
}

export async function station(db: Db, id: string): Promise<{ id: string; name: string } | undefined> {
  const [row] = await queryRows<{ id: string; name: string }>(db, sql`SELECT id, name FROM stations WHERE id = ${id}::uuid`);
  return row;
}
