/**
 * The only module that writes the cameras and camera_status_history tables, and reads a camera by
 * id; the list's pages and the export's rows are list-queries.ts, re-exported here. Every function
 * takes the drizzle handle (the database or a transaction) so services decide the transaction
 * boundaries.
 */
import { and, asc, desc, eq, getTableColumns, inArray, lt, sql } from 'drizzle-orm';
import { queryPrepared, type Db } from '@server/db/database';
import { cameraStatusHistory, cameras, grids, patrolZones, policeRooms, stations } from '@server/db/schema/index';
import { API_JSON, type CameraRow, type Scope } from './list-queries';

export * from './list-queries';
export type NewCameraRow = typeof cameras.$inferInsert;

/**
 * A camera by id, the hottest read (every camera page, tile and check): built once per handle as
 * a prepared statement, so neither drizzle's query building nor PostgreSQL's parse and plan run
 * per request (drizzle's PGlite driver drops the name, so there it runs as a plain query; on PGlite
 * only queryPrepared's statements are named).
 */
const anyById = (db: Db) => db.select().from(cameras).where(eq(cameras.id, sql.placeholder('id'))).prepare('skyeye_camera_by_id');
const ownedById = (db: Db) => db.select().from(cameras).where(and(eq(cameras.id, sql.placeholder('id')), eq(cameras.ownerUserId, sql.placeholder('owner')))).prepare('skyeye_camera_by_id_owned');
const prepared = { any: new WeakMap<Db, ReturnType<typeof anyById>>(), owned: new WeakMap<Db, ReturnType<typeof ownedById>>() };

/** The handle's prepared query, built on first use (a transaction builds only the one it runs). */
function cached<T>(map: WeakMap<Db, T>, db: Db, build: (db: Db) => T): T {
  let q = map.get(db);
  if (!q) map.set(db, (q = build(db)));
  return q;
}

export async function findCamera(db: Db, id: string, scope: Scope = {}): Promise<CameraRow | undefined> {
  const [row] = scope.ownerUserId ? await cached(prepared.owned, db, ownedById).execute({ id, owner: scope.ownerUserId }) : await cached(prepared.any, db, anyById).execute({ id });
  return row;
}

/** A camera as the API's JSON (API_JSON), with what its ETag is made of. */
export interface CameraJson {
  json: string;
  version: number;
  statusChangedAt: string | null;
}

/** statusChangedAt as Date.prototype.toISOString writes it (UTC, milliseconds), as in API_JSON. */
const STATUS_CHANGED_ISO = sql<string | null>`to_char(${cameras.statusChangedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const JSON_BY_ID = sql`select ${API_JSON} as json, ${cameras.version} as version, ${STATUS_CHANGED_ISO} as status_changed_at from ${cameras} where ${cameras.id} = ${sql.placeholder('id')}`;

/**
 * A camera by id written as the API's JSON by the database, for staff (merchants see it through
 * toCamera and forViewer): nothing of its 33 columns is decoded or serialised in node, nor on
 * PGlite decoded in its thread. A prepared statement (queryPrepared), on PGlite too.
 */
export async function findCameraJson(db: Db, id: string): Promise<CameraJson | undefined> {
  const [row] = await queryPrepared<{ json: string; version: number; status_changed_at: string | null }>(db, JSON_BY_ID, { id });
  return row && { json: row.json, version: row.version, statusChangedAt: row.status_changed_at };
}

/** Inserts rows (single cameras; a bulk import goes through insertCamerasBulk). */
export async function insertCameras(db: Db, rows: NewCameraRow[]): Promise<CameraRow[]> {
  if (!rows.length) return [];
  return db.insert(cameras).values(rows).returning();
}

/**
 * Bulk insert for imports: a batch travels as one JSON parameter that the database unpacks
 * (jsonb_to_recordset), instead of a VALUES list of rows × columns parameters that drizzle builds
 * value by value (half of node's time in a 100k import, and the PGlite thread had to decode every
 * parameter). Row i gets created_at now() + (ordinalFrom + i) µs, so the list (created_at, id)
 * keeps the file's order instead of a random UUID order among rows sharing one now(). Rows must
 * all set the same columns (newRow does); returns the new ids in row order.
 */
export async function insertCamerasBulk(db: Db, rows: NewCameraRow[], ordinalFrom: number): Promise<string[]> {
  if (!rows.length) return [];
  const columns = getTableColumns(cameras);
  const setColumns = (r: NewCameraRow) => (Object.keys(r) as Array<keyof NewCameraRow>).filter((k) => r[k] !== undefined && k !== 'createdAt' && k in columns);
  const keys = setColumns(rows[0]!);
  const shape = keys.join();
  if (rows.some((r) => setColumns(r).join() !== shape)) throw new Error('insertCamerasBulk: every row must set the same columns');
  const records = rows.map((r, i) => {
    const rec: Record<string, unknown> = { ord: ordinalFrom + i };
    for (const k of keys) rec[columns[k].name] = r[k] instanceof Date ? r[k].toISOString() : r[k];
    return rec;
  });
  const names = sql.raw(keys.map((k) => `"${columns[k].name}"`).join(', '));
  const defs = sql.raw(['ord bigint', ...keys.map((k) => `"${columns[k].name}" ${columns[k].getSQLType()}`)].join(', '));
  const res = await db.execute(sql`
    WITH ins AS (
      INSERT INTO cameras (${names}, created_at)
      SELECT ${names}, now() + r.ord * interval '1 microsecond'
        FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(${defs})
      RETURNING id, created_at)
    SELECT id FROM ins ORDER BY created_at`);
  return (res as unknown as { rows: Array<{ id: string }> }).rows.map((r) => r.id);
}

/** Optimistic update: only when the row still has `version`; bumps version and updated_at. */
export async function updateCamera(db: Db, id: string, version: number, set: Partial<NewCameraRow>): Promise<CameraRow | undefined> {
  const [row] = await db
    .update(cameras)
    .set({ ...set, updatedAt: sql`now()`, version: sql`${cameras.version} + 1` })
    .where(and(eq(cameras.id, id), eq(cameras.version, version)))
    .returning();
  return row;
}

export async function deleteCamera(db: Db, id: string): Promise<CameraRow | undefined> {
  const [row] = await db.delete(cameras).where(eq(cameras.id, id)).returning();
  return row;
}

/** Takes the camera's row lock for the rest of the transaction; false when there is no such camera. */
export async function lockCamera(db: Db, id: string): Promise<boolean> {
  const rows = await db.select({ id: cameras.id }).from(cameras).where(eq(cameras.id, id)).for('update');
  return rows.length > 0;
}

/**
 * SQL (text) for a key that changes with every status history row a camera gets: setStatus writes
 * one only with a change of status, cause and time. `table` is the cameras table's alias, if any.
 * The periodic checks (open gaps, outage alarms) keep per-camera answers until it changes.
 */
export function statusKeySql(table?: string): string {
  const c = table ? `${table}.` : '';
  return `${c}status || '|' || coalesce(${c}status_cause, '') || '|' || coalesce(${c}status_changed_at::text, '')`;
}

export async function setStatus(db: Db, id: string, status: string, cause: string | null): Promise<{ ownerUserId: string | null; at: Date } | undefined> {
  const [row] = await db
    .update(cameras)
    .set({ status, statusCause: cause, statusChangedAt: sql`now()` })
    .where(and(eq(cameras.id, id), sql`(${cameras.status} IS DISTINCT FROM ${status} OR ${cameras.statusCause} IS DISTINCT FROM ${cause})`))
    .returning({ ownerUserId: cameras.ownerUserId, at: cameras.statusChangedAt });
  return row ? { ownerUserId: row.ownerUserId, at: row.at ?? new Date() } : undefined;
}

export async function insertStatusHistory(db: Db, cameraId: string, status: string, cause: string | null, workerId: string | null, at: Date, detail: string | null = null): Promise<void> {
  await db.insert(cameraStatusHistory).values({ cameraId, status, cause, detail, workerId, at });
}

export async function statusHistory(db: Db, cameraId: string, limit: number, beforeId?: number) {
  return db
    .select()
    .from(cameraStatusHistory)
    .where(beforeId ? and(eq(cameraStatusHistory.cameraId, cameraId), lt(cameraStatusHistory.id, beforeId)) : eq(cameraStatusHistory.cameraId, cameraId))
    .orderBy(desc(cameraStatusHistory.id))
    .limit(limit);
}

export async function approvedCameras(db: Db, ids?: string[]): Promise<CameraRow[]> {
  const c = [eq(cameras.enrollmentState, 'approved')];
  if (ids) c.push(inArray(cameras.id, ids));
  return db.select().from(cameras).where(and(...c)).orderBy(asc(cameras.id));
}

export const ORG_REFS = {
  stationId: stations,
  policeRoomId: policeRooms,
  patrolZoneId: patrolZones,
  gridId: grids,
} as const;
export type OrgRefField = keyof typeof ORG_REFS;

/** Which of the given org ids do not exist. */
export async function missingOrgRefs(db: Db, refs: Partial<Record<OrgRefField, string | null | undefined>>): Promise<OrgRefField[]> {
  const missing: OrgRefField[] = [];
  for (const field of Object.keys(ORG_REFS) as OrgRefField[]) {
    const value = refs[field];
    if (!value) continue;
    const table = ORG_REFS[field];
    const [hit] = await db.select({ id: table.id }).from(table).where(eq(table.id, value)).limit(1);
    if (!hit) missing.push(field);
  }
  return missing;
}


/** Current status and cause of the given cameras. */
export async function statusesOf(db: Db, ids: string[]): Promise<Array<{ id: string; status: string; cause: string | null }>> {
  if (!ids.length) return [];
  return db.select({ id: cameras.id, status: cameras.status, cause: cameras.statusCause }).from(cameras).where(inArray(cameras.id, ids));
}

/** Refreshes the planner's statistics of the cameras table (after a bulk import). */
export async function analyzeCameras(db: Db): Promise<void> {
  await db.execute(sql`ANALYZE cameras`);
}

/** Cameras by live status and enrollment state, whole fleet (for /metrics). */
export async function statusCounts(db: Db): Promise<Array<{ status: string; enrollment: string; n: number }>> {
  const rows = await db
    .select({ status: cameras.status, enrollment: cameras.enrollmentState, n: sql<number | string>`count(*)` })
    .from(cameras)
    .groupBy(cameras.status, cameras.enrollmentState);
  return rows.map((r) => ({ status: r.status, enrollment: r.enrollment, n: Number(r.n) }));
}

/** Cameras whose sealed credentials name a key other than `primaryKid` (skipping `skipIds`), by id. */
export async function credentialsNotUnder(db: Db, primaryKid: string, skipIds: string[], limit: number): Promise<Array<{ id: string; sealed: string }>> {
  const rows = await db
    .select({ id: cameras.id, sealed: cameras.credentialsSecret })
    .from(cameras)
    .where(
      and(
        sql`${cameras.credentialsSecret} IS NOT NULL`,
        sql`(${cameras.credentialsSecret}::jsonb ->> 'kid') IS DISTINCT FROM ${primaryKid}`,
        skipIds.length ? sql`NOT (${cameras.id} = ANY(${sql.param(skipIds)}::uuid[]))` : undefined,
      ),
    )
    .orderBy(asc(cameras.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, sealed: r.sealed! }));
}

/** Replaces a camera's sealed credentials only if they are still `expected` (a concurrent change wins). */
export async function replaceSealedCredentials(db: Db, id: string, sealed: string, expected: string): Promise<boolean> {
  const rows = await db
    .update(cameras)
    .set({ credentialsSecret: sealed })
    .where(and(eq(cameras.id, id), eq(cameras.credentialsSecret, expected)))
    .returning({ id: cameras.id });
  return rows.length > 0;
}
