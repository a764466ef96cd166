/**
 * The cameras table read a page at a time: the list (in created order or by distance, filters,
 * cursors), its pages as the API's JSON written by the database, and the CSV export's rows. Read
 * only; repository.ts (which re-exports this module) writes the table and reads a camera by id.
 */
import { and, asc, eq, getTableColumns, ilike, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import { isEmbedded, queryPrepared, queryRows, type Db } from '@server/db/database';
import { cameras } from '@server/db/schema/index';
import { EARTH_RADIUS_M, radiusBBox } from '@server/geo/distance';
import type { CameraFilter } from './schemas';
import type { Cursor } from './cursor';

export type CameraRow = typeof cameras.$inferSelect;
export type ListedRow = CameraRow & { sortTs: string; distance: number | null };

/** Restricts every read and write to one owner's cameras (merchants). */
export interface Scope {
  ownerUserId?: string;
}

const scoped = (scope: Scope): SQL | undefined => (scope.ownerUserId ? eq(cameras.ownerUserId, scope.ownerUserId) : undefined);

/**
 * How a page's SQL takes a value from the request: as a parameter (the default), or as a named
 * placeholder filled on each run of a page built once (stablePage).
 */
type Bind = <V>(name: string, value: V) => V | Placeholder<string, unknown>;
const asParam: Bind = (_name, value) => value;
type Num = number | Placeholder<string, unknown>;

/** Haversine distance in metres from a point to the row's (lat, lon), as SQL. */
export function distanceSql(lat: Num, lon: Num): SQL<number> {
  return sql<number>`(2 * ${EARTH_RADIUS_M}::float8 * asin(least(1::float8, sqrt(
    power(sin(radians(${cameras.lat} - ${lat}::float8) / 2), 2) +
    cos(radians(${lat}::float8)) * cos(radians(${cameras.lat})) * power(sin(radians(${cameras.lon} - ${lon}::float8) / 2), 2)))))`;
}

/**
 * SQL (text): a camera's created_at as UTC text to the microsecond, what cursors in created order
 * carry (a Date would drop the microseconds that order an import's rows). `table` the alias, if any.
 */
export function createdAtTextSql(table?: string): string {
  return `to_char(${table ? `${table}.` : ''}created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const SORT_TS = sql<string>`${sql.raw(createdAtTextSql('cameras'))}`;

/**
 * The camera lies in the box (edges included), on cameras_point_idx: an SP-GiST index of (lon, lat) as a
 * point (migration 0113_camera_point_index.sql). For the small box around a radius only: the planner
 * has no statistics for it and guesses a thousandth of the table, so a large map box on it was read
 * whole and sorted (bbox 16.5 % of 100,000 cameras: 357 → 79 req/s on PostgreSQL, 184 → 15 on PGlite).
 */
const inBox = (minLat: Num, maxLat: Num, minLon: Num, maxLon: Num): SQL =>
  sql`point(${cameras.lon}, ${cameras.lat}) <@ box(point(${minLon}::float8, ${minLat}::float8), point(${maxLon}::float8, ${maxLat}::float8))`;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The filter's and scope's conditions; for a radius only its box (listParts adds the circle). */
function filterConditions(f: CameraFilter, scope: Scope, bind: Bind = asParam): SQL[] {
  const c: Array<SQL | undefined> = [scoped(scope)];
  if (f.kind) c.push(eq(cameras.kind, f.kind));
  if (f.status) c.push(eq(cameras.status, f.status));
  if (f.enrollment) c.push(eq(cameras.enrollmentState, f.enrollment));
  if (f.stationId) c.push(eq(cameras.stationId, f.stationId));
  if (f.zoneId) c.push(eq(cameras.patrolZoneId, f.zoneId));
  if (f.gridId) c.push(eq(cameras.gridId, f.gridId));
  if (f.tag) c.push(sql`${cameras.tags} @> ARRAY[${f.tag}]::text[]`);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    c.push(or(ilike(cameras.name, like), ilike(cameras.address, like), sql`array_to_string(${cameras.tags}, ' ') ILIKE ${like}`));
  }
  if (f.bbox) {
    // On cameras_lat_lon_idx, whose statistics tell the planner how much of the fleet the box holds
    // (a box of 16 % of the county is best read in list order, not through cameras_point_idx).
    c.push(sql`${cameras.lat} BETWEEN ${f.bbox.minLat} AND ${f.bbox.maxLat}`, sql`${cameras.lon} BETWEEN ${f.bbox.minLon} AND ${f.bbox.maxLon}`);
  }
  if (f.lat !== undefined && f.lon !== undefined && f.radius !== undefined) {
    // The box around the circle (on cameras_point_idx); listParts adds the exact great-circle test.
    const b = radiusBBox(f.lat, f.lon, f.radius);
    c.push(inBox(bind('minLat', b.minLat), bind('maxLat', b.maxLat), bind('minLon', b.minLon), bind('maxLon', b.maxLon)));
  }
  return c.filter((x): x is SQL => x !== undefined);
}

/** A radius search: the list is ordered by distance from the point. */
const byDistance = (f: CameraFilter) => f.lat !== undefined && f.lon !== undefined && f.radius !== undefined;

/**
 * The list's WHERE (filter, scope, created cursor), ORDER BY and extra columns, shared by listQuery
 * and pageSql. A radius search's exact circle and distance cursor come apart as `near`, conditions
 * on a distance the caller names: pageSql tests the distance its inner query computed once per
 * camera, where PostgreSQL would evaluate the haversine again for the filter (PGlite, 100,000
 * cameras: 0.79 → 0.66 ms a radius page).
 */
function listParts(f: CameraFilter, scope: Scope, after?: Cursor, bind: Bind = asParam) {
  const conds = filterConditions(f, scope, bind);
  const radius = byDistance(f);
  const dist = radius ? distanceSql(bind('lat', f.lat!), bind('lon', f.lon!)) : sql<null>`NULL::float8`;
  // Bound here, not in `near`, so that every run of listParts collects every value (stablePage).
  const within = radius ? bind('radius', f.radius!) : undefined;
  const afterD = after?.k === 'd' ? ([bind('afterD', after.d), bind('afterId', after.id)] as const) : undefined;
  const near = (d: SQL, id: SQL): SQL[] => [
    sql`${d} <= ${within}::float8`,
    ...(afterD ? [sql`(${d}, ${id}) > (${afterD[0]}::float8, ${afterD[1]}::uuid)`] : []),
  ];
  if (after?.k === 'c') conds.push(sql`(${cameras.createdAt}, ${cameras.id}) > (${bind('afterT', after.t)}::timestamptz, ${bind('afterId', after.id)}::uuid)`);
  return {
    where: conds.length ? and(...conds) : undefined,
    near: radius ? near : undefined,
    dist,
    order: radius ? [asc(dist), asc(cameras.id)] : [asc(cameras.createdAt), asc(cameras.id)],
    extra: { sortTs: SORT_TS.as('sort_ts'), distance: sql<number | null>`${dist}`.as('distance') },
  };
}

/** The list query (not run): listCameras runs it; the plan test EXPLAINs its SQL. */
export function listQuery(db: Db, f: CameraFilter, scope: Scope, limit: number, after?: Cursor) {
  const p = listParts(f, scope, after);
  const where = p.near ? and(p.where, ...p.near(p.dist, sql`${cameras.id}`)) : p.where;
  return db.select({ camera: cameras, ...p.extra }).from(cameras).where(where).orderBy(...p.order).limit(limit);
}

/**
 * The same page selecting only `columns` (and the cursor's sort_ts and distance), as SQL. The limit
 * is written into the text, not bound: planned for a bound limit, PostgreSQL assumes a tenth of the
 * table and would plan every run of a prepared page again (queryPrepared). A radius page is the
 * cameras in the circle's box with their distance, computed once (`offset 0` keeps PostgreSQL from
 * merging the inner query into the outer one), then the circle, the cursor and the order on it.
 */
function pageSql(db: Db, columns: SelectedFields, f: CameraFilter, scope: Scope, limit: number, after?: Cursor, bind: Bind = asParam): SQL {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`page limit ${limit} is not a positive integer`);
  const p = listParts(f, scope, after, bind);
  const rows = db.select({ ...columns, ...p.extra }).from(cameras).where(p.where);
  if (!p.near) return sql`${rows.orderBy(...p.order).getSQL()} limit ${sql.raw(String(limit))}`;
  return sql`select * from (${rows.getSQL()} offset 0) p where ${and(...p.near(sql`p.distance`, sql`p.id`))} order by p.distance, p.id limit ${sql.raw(String(limit))}`;
}

/**
 * The cameras table's columns with their decoders, looked up once. drizzle's own row mapping asks
 * every field of every row what kind of thing it is (its `is()` was 10 % of a list request's time
 * on PostgreSQL); the list's fields are known, so its rows are decoded here in one plain loop.
 */
const CAMERA_COLUMNS = Object.entries(getTableColumns(cameras)).map(([key, column]) => ({ key, name: column.name, column }));

/** A row of the cameras table as the driver returns it (by column name, timestamps as text), as drizzle would map it. */
function cameraRowFrom(raw: Record<string, unknown>): CameraRow {
  const out: Record<string, unknown> = {};
  for (const { key, name, column } of CAMERA_COLUMNS) {
    const v = raw[name];
    out[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
  }
  return out as CameraRow;
}

const listed = (raw: Record<string, unknown>) =>
  Object.assign(cameraRowFrom(raw), { sortTs: raw.sort_ts as string, distance: raw.distance === null ? null : Number(raw.distance) });

export async function listCameras(db: Db, f: CameraFilter, scope: Scope, limit: number, after?: Cursor): Promise<ListedRow[]> {
  const rows = await queryRows<Record<string, unknown>>(db, listQuery(db, f, scope, limit, after).getSQL());
  return rows.map((r) => listed(r));
}

/**
 * A camera as the API shows it to staff and investigators (mapper.ts toCamera, without
 * distanceMeters), as JSON text: the column the database keeps up to date on every write
 * (migration 0112_camera_api_json.sql). The list's answer is these texts joined: no row decoding,
 * mapping or JSON.stringify in node, no decoding of 33 fields a row in PGlite's thread, and no JSON
 * built per read in the database. Not in the drizzle table (nothing else reads or writes it).
 * test/integration/cameras/list-json.test.ts holds every field equal to toCamera's.
 */
export const API_JSON = sql<string>`"cameras"."api_json"`;

/** A page of the list as JSON texts (API_JSON), with what the cursor needs. */
export interface ListedJson {
  id: string;
  json: string;
  sortTs: string;
  distance: number | null;
}

/**
 * A filter whose page has one best plan whatever its values: none but lat, lon and radius (the
 * list's pages in order, and the nearest cameras to a point). Such pages are prepared statements
 * (queryPrepared). The others are planned per request: how many cameras a kind, status, box or text
 * matches decides their plan.
 */
export const planStable = (f: CameraFilter) => Object.entries(f).every(([k, v]) => v === undefined || k === 'lat' || k === 'lon' || k === 'radius');

const JSON_COLUMNS = { id: cameras.id, json: API_JSON.as('json') };

/**
 * On PGlite, a JSON page as one text: a line per camera, in the page's order, of its id, sort_ts,
 * distance (empty when none) and JSON, separated by spaces (none of the first three holds one, and
 * JSON written by the database holds no line break). One field instead of four a camera: PGlite
 * decodes each field of a result in its thread and copies it to the main one, and the page of 51
 * took 0.72 ms as rows against 0.57 as one text (100,000 cameras, the query alone). Not on a
 * PostgreSQL server, whose backend spent more on building the text than node saved on reading it.
 */
function asOneText(page: SQL, f: CameraFilter): SQL {
  const order = byDistance(f) ? sql.raw('p.distance, p.id') : sql.raw('p.sort_ts collate "C", p.id');
  return sql`select string_agg(p.id::text || ' ' || p.sort_ts || ' ' || coalesce(p.distance::text, '') || ' ' || p.json, E'\n' order by ${order}) as page from (${page}) p`;
}

/**
 * Whether a page of `limit` rows comes as one text (asOneText): on PGlite, and only for pages of
 * the list's size. A map's box of 500 a page cost the process more as one text than as rows
 * (100,000 cameras, two alternating pairs of `npm run bench -- --control --control-db pglite
 * --control-routes bbox,list`: 20–25 against 14–21 ms of CPU an answer), so bigger pages stay rows.
 */
const ONE_TEXT_MAX_ROWS = 101;
const asText = (db: Db, limit: number): boolean => limit <= ONE_TEXT_MAX_ROWS && isEmbedded(db);

/** A JSON page's SQL: rows, or (`oneText`, from asText) one text. */
function jsonPageSql(db: Db, oneText: boolean, f: CameraFilter, scope: Scope, limit: number, after?: Cursor, bind?: Bind): SQL {
  const page = pageSql(db, JSON_COLUMNS, f, scope, limit, after, bind);
  return oneText ? asOneText(page, f) : page;
}

/** listCamerasJson's query (not run; the plan test runs it as a prepared statement). */
export const listJsonQuery = (db: Db, f: CameraFilter, scope: Scope, limit: number, after?: Cursor) => jsonPageSql(db, asText(db, limit), f, scope, limit, after);

/**
 * A planStable JSON page built once per shape (in order or by distance, which cursor, the limit)
 * with placeholders, and the values this request fills them with: building the query with drizzle
 * was ~16 % of a list answer's CPU. The values are what listParts binds (it runs every time; only
 * the select around it and its text are built once).
 */
const shapes = new Map<string, SQL>();
function stablePage(db: Db, oneText: boolean, f: CameraFilter, limit: number, after?: Cursor): { query: SQL; values: Record<string, unknown> } {
  const key = `${oneText ? 'text' : 'rows'}:${byDistance(f) ? 'distance' : 'created'}:${after?.k ?? 'first'}:${limit}`;
  const values: Record<string, unknown> = {};
  const bind: Bind = (name, value) => ((values[name] = value), sql.placeholder(name));
  let query = shapes.get(key);
  if (!query) shapes.set(key, (query = jsonPageSql(db, oneText, f, {}, limit, after, bind)));
  else listParts(f, {}, after, bind);
  return { query, values };
}

/** listCameras' page, each camera as the API's JSON (API_JSON). */
export async function listCamerasJson(db: Db, f: CameraFilter, scope: Scope, limit: number, after?: Cursor): Promise<ListedJson[]> {
  const oneText = asText(db, limit);
  const stable = planStable(f) && !scope.ownerUserId ? stablePage(db, oneText, f, limit, after) : null;
  const run = <R>() => (stable ? queryPrepared<R>(db, stable.query, stable.values) : queryRows<R>(db, jsonPageSql(db, oneText, f, scope, limit, after)));
  if (oneText) return fromOneText((await run<{ page: string | null }>())[0]?.page ?? null);
  const rows = await run<{ id: string; json: string; sort_ts: string; distance: number | string | null }>();
  return rows.map((r) => ({ id: r.id, json: r.json, sortTs: r.sort_ts, distance: r.distance === null ? null : Number(r.distance) }));
}

/** The cameras of a page written as one text (asOneText). */
function fromOneText(text: string | null): ListedJson[] {
  if (!text) return [];
  return text.split('\n').map((line) => {
    const a = line.indexOf(' ');
    const b = line.indexOf(' ', a + 1);
    const c = line.indexOf(' ', b + 1);
    return { id: line.slice(0, a), sortTs: line.slice(a + 1, b), distance: c === b + 1 ? null : Number(line.slice(b + 1, c)), json: line.slice(c + 1) };
  });
}

/** What the CSV export reads of a camera (its id for the cursor): listExportRows selects only these. */
export const EXPORT_FIELDS = ['id', 'name', 'kind', 'lat', 'lon', 'address', 'rtspUrl', 'rtspSubUrl', 'onvifUrl', 'tags', 'stationId', 'policeRoomId', 'patrolZoneId', 'gridId', 'ownerName', 'ownerPhone'] as const;
export type ExportRow = Pick<CameraRow, (typeof EXPORT_FIELDS)[number]> & { sortTs: string; distance: number | null };
const EXPORT_COLUMNS = CAMERA_COLUMNS.filter((c) => (EXPORT_FIELDS as readonly string[]).includes(c.key));
const EXPORT_SELECT = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c.key, c.column]));

/** The export row's fields in the order the database writes them (EXPORT_JSON). */
const EXPORT_KEYS = [...EXPORT_COLUMNS.map((c) => c.key), 'sortTs', 'distance'];
/** An export row as a JSON array (half the database's work of an object with keys), from the page `p`. */
const EXPORT_JSON = sql.raw(`json_build_array(${[...EXPORT_COLUMNS.map((c) => `p.${c.name}`), 'p.sort_ts', 'p.distance'].join(', ')})`);

/**
 * A page of the list with only the export's columns, written by the database as one JSON text and
 * read with one JSON.parse. On PGlite every field of a result is decoded in JavaScript in its
 * thread and copied to the main one: a page of 1,000 cameras took ~15 ms as 16 columns a row,
 * ~12 ms as one JSON object a row, ~6 ms as one JSON array a row (~40 ms with all 33 columns).
 */
export async function listExportRows(db: Db, f: CameraFilter, scope: Scope, limit: number, after?: Cursor): Promise<ExportRow[]> {
  const page = pageSql(db, EXPORT_SELECT, f, scope, limit, after);
  const order = byDistance(f) ? sql.raw('p.distance, p.id') : sql.raw('p.sort_ts, p.id');
  const [row] = await queryRows<{ page: string | null }>(db, sql`SELECT json_agg(${EXPORT_JSON} ORDER BY ${order})::text AS page FROM (${page}) p`);
  const values = row?.page ? (JSON.parse(row.page) as unknown[][]) : [];
  return values.map((v) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < EXPORT_KEYS.length; i++) out[EXPORT_KEYS[i]!] = v[i];
    return out as ExportRow;
  });
}
