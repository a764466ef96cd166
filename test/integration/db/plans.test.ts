/**
 * Query plans of the camera list's hot queries, after ANALYZE on a few thousand rows (issue 13):
 * each uses the index meant for it, never a sequential scan of cameras. The SQL is the
 * repository's own (listQuery), EXPLAINed on the selected backend.
 */
import { expect } from 'chai';
import { refreshStatistics, startStatisticsLoop } from '@server/db/statistics';
import { Loops } from '@common/loops';
import { systemClock } from '@common/clock';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { findCameraJson, listCamerasJson, listJsonQuery } from '@server/cameras/repository';
import { listQuery } from '@server/cameras/repository';
import { queryRows } from '@server/db/database';
import { QUIET_CAMERAS, StatusSource } from '@server/ledger/status-source';
import type { CameraFilter } from '@server/cameras/schemas';
import { encodeCursor, decodeCursor } from '@server/cameras/cursor';
import { openTestDatabase, TEST_BACKEND } from '@test/helpers/database';

const ROWS = 6000;
const CENTRE = { lat: 34.09, lon: 119.35 };

describe(`camera list query plans after ANALYZE (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let t: Awaited<ReturnType<typeof openTestDatabase>>;

  before(async () => {
    t = await openTestDatabase();
    // A county-like spread: ~20 km square, mostly road cameras, most of them live.
    await t.database.query(
      `INSERT INTO cameras (name, kind, lat, lon, status, enrollment_state, created_at)
       SELECT 'cam ' || g,
              CASE WHEN g % 10 < 6 THEN 'road' WHEN g % 10 < 9 THEN 'household' ELSE 'shopfront' END,
              $2::float8 - 0.09 + (g % 97) * 0.00186, $3::float8 - 0.11 + ((g * 7919) % 101) * 0.00218,
              CASE WHEN g % 50 = 0 THEN 'unknown' WHEN g % 7 = 0 THEN 'offline' ELSE 'live' END,
              'approved', now() - (($1 - g) || ' seconds')::interval
       FROM generate_series(1, $1) g`,
      [ROWS, CENTRE.lat, CENTRE.lon],
    );
    await refreshStatistics(t.database);
  });
  after(async () => {
    await t?.close();
  });

  async function plan(f: Partial<CameraFilter>, cursor?: string): Promise<string> {
    const after = cursor ? decodeCursor(cursor, f.radius !== undefined ? 'd' : 'c') : undefined;
    const q = listQuery(t.database.db, f as CameraFilter, {}, 51, after).toSQL();
    const rows = await t.database.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.sql}`, q.params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  it('the planner knows the fleet: its estimate of one kind is close to the real count (statistics exist)', async () => {
    const [row] = await t.database.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM cameras WHERE kind = 'household'`);
    const estimate = Number(/rows=(\d+)/.exec(row!['QUERY PLAN'])?.[1]);
    expect(estimate, row!['QUERY PLAN']).to.be.within((ROWS * 0.3) / 2, ROWS * 0.3 * 2);
  });

  it('the loop db.statistics runs where no autovacuum does (PGlite always; PostgreSQL only with autovacuum off)', async () => {
    await t.database.query(`INSERT INTO cameras (name, kind, lat, lon) SELECT 'late ' || g, 'shopfront', 34, 119 FROM generate_series(1, 3000) g`);
    const errors: unknown[] = [];
    const loops = new Loops({ clock: systemClock, onError: (_l, e) => errors.push(e) }).start();
    const loop = await startStatisticsLoop(t.database, loops, 60_000, 0);
    const [av] = await t.database.query<{ on: string }>(`SELECT current_setting('autovacuum') AS on`);
    if (TEST_BACKEND === 'pglite' || av?.on === 'off') {
      expect(loop?.name).to.equal('db.statistics');
      const end = Date.now() + 20_000;
      while (!loops.stats()[0]?.runs && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(errors).to.deep.equal([]);
      const [row] = await t.database.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM cameras WHERE kind = 'shopfront'`);
      expect(Number(/rows=(\d+)/.exec(row!['QUERY PLAN'])?.[1]), 'the loop refreshed statistics').to.be.greaterThan(2000);
    } else {
      expect(loop, 'autovacuum keeps statistics on this server').to.equal(null);
    }
    await loops.stop();
  });

  it('the gap checks\' quiet cameras: one probe of the segment index per camera, no sequential scan of segments', async () => {
    // Ten one-minute segments for every camera, the newest ending a minute ago.
    await t.database.query(
      `INSERT INTO recording_segments (camera_id, started_at, ended_at, duration_ms, bytes, sha256, prev_sha256, chain_seq, state, object_key, cache_key, cache_node, worker_id, fencing_token, retention_days)
       SELECT c.id, now() - ((k + 2) || ' minutes')::interval, now() - ((k + 1) || ' minutes')::interval, 60000, 1000, repeat('a', 64), repeat('a', 64), k,
              'cached', 'rec/' || c.id::text || '/' || k, c.id::text || '/' || k, 'n1', 'w1', 1, 30
       FROM cameras c, generate_series(0, 9) k`,
    );
    await refreshStatistics(t.database);
    const now = Date.now();
    const rows = await t.database.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${QUIET_CAMERAS}`, [new Date(now - 60_000).toISOString(), new Date(now - 90_000).toISOString(), '-infinity', '00000000-0000-0000-0000-000000000000', 5000]);
    const p = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(p, p).to.match(/Index Scan Backward using recording_segments_camera_start_key/);
    expect(p, p).not.to.match(/Seq Scan on recording_segments/);
  });

  it('the quiet cameras are read in pages in created order: a page of 97 finds exactly what one page does, across cameras created at one instant', async () => {
    // 300 cameras of one statement share one created_at: pages must go on by id among them.
    await t.database.query(
      `INSERT INTO cameras (name, kind, lat, lon, enrollment_state, created_at)
       SELECT 'tie ' || g, 'road', $1::float8, $2::float8, 'approved', now() - interval '1 hour' FROM generate_series(1, 300) g`,
      [CENTRE.lat, CENTRE.lon],
    );
    const now = Date.now();
    const source = new StatusSource(t.database);
    // Segments end a minute ago: cameras not live are quiet against a 30 s cutoff, live ones not against 90 s.
    const args = [new Date(now - 30_000), new Date(now - 90_000)] as const;
    const whole = await source.quietRecordingCameras(...args, 1_000_000);
    const paged = await source.quietRecordingCameras(...args, 97);
    expect(whole.length).to.be.greaterThan(97 * 3);
    expect(new Set(whole.map((q) => q.id)).size).to.equal(whole.length);
    const ties = new Set((await t.database.query<{ id: string }>(`SELECT id FROM cameras WHERE name LIKE 'tie %'`)).map((r) => r.id));
    expect(whole.filter((q) => ties.has(q.id)).length, 'every camera of the one instant').to.equal(300);
    expect(paged).to.deep.equal(whole);
  });

  it('the quiet cameras\' pass ends at the cameras created after the cutoffs: right after an import it reads none of them', async () => {
    const [first] = await t.database.query<{ at: string }>(`SELECT min(created_at)::text AS at FROM cameras`);
    const before = new Date(new Date(first!.at).getTime() - 60_000).toISOString();
    const rows = await t.database.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${QUIET_CAMERAS}`, [before, before, '-infinity', '00000000-0000-0000-0000-000000000000', 1000]);
    const p = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(p, p).to.match(/Index Scan using cameras_created_idx on cameras c/);
    expect(p, p).not.to.match(/Rows Removed by Filter: [1-9]/);
  });

  const cases: Array<{ what: string; filter: Partial<CameraFilter>; cursor?: string; index: RegExp }> = [
    { what: 'first page', filter: {}, index: /cameras_created_idx/ },
    { what: 'deep cursor', filter: {}, cursor: encodeCursor({ k: 'c', t: new Date(Date.now() - (ROWS / 2) * 1000).toISOString().replace('Z', '000Z'), id: '00000000-0000-4000-8000-000000000000' }), index: /cameras_created_idx/ },
    { what: 'kind + status', filter: { kind: 'household', status: 'unknown' }, index: /cameras_kind_status_created_idx/ },
    { what: 'kind alone', filter: { kind: 'shopfront' }, index: /cameras_(kind_status_)?created_idx|cameras_kind_idx/ },
    { what: 'radius 500 m', filter: { lat: CENTRE.lat, lon: CENTRE.lon, radius: 500 }, index: /cameras_point_idx/ },
    { what: 'small bbox', filter: { bbox: { minLat: 34.08, maxLat: 34.1, minLon: 119.34, maxLon: 119.36 } }, index: /cameras_lat_lon_idx/ },
    // A sixth of the county: in list order until the page is full, not all of it read and sorted (through cameras_point_idx, whose box the planner cannot size).
    { what: 'large bbox', filter: { bbox: { minLat: 34.054, maxLat: 34.126, minLon: 119.306, maxLon: 119.394 } }, index: /cameras_created_idx/ },
  ];
  for (const c of cases) {
    it(`${c.what}: ${String(c.index)}, no sequential scan`, async () => {
      const p = await plan(c.filter, c.cursor);
      expect(p, p).to.match(c.index);
      expect(p, p).not.to.match(/Seq Scan on cameras/);
    });
  }

  it("the JSON list's pages in order and by distance: prepared once, one generic plan on their index; a kind filter is planned per request", async () => {
    const near = (i: number) => ({ lat: CENTRE.lat + (i % 5) * 0.001, lon: CENTRE.lon, radius: 500 }) as CameraFilter;
    const all = {} as CameraFilter;
    for (let i = 0; i < 12; i++) {
      await listCamerasJson(t.database.db, all, {}, 51);
      await listCamerasJson(t.database.db, near(i), {}, 51);
      await listCamerasJson(t.database.db, { kind: i % 2 ? 'household' : 'shopfront' } as CameraFilter, {}, 51);
    }
    // The pool's connections each prepare their own: this one runs the queries itself, in one transaction.
    await t.database.db.transaction(async (tx) => {
      for (let i = 0; i < 12; i++) await listCamerasJson(tx, i % 2 ? all : near(i), {}, 51);
      const statements = await queryRows<{ name: string; statement: string; generic_plans: number; custom_plans: number }>(
        tx,
        sql`SELECT name, statement, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE statement LIKE '%api_json%' AND statement LIKE '%order by%'`,
      );
      const radius = statements.filter((s) => s.statement.includes('asin('));
      const ordered = statements.filter((s) => !s.statement.includes('asin('));
      expect(radius, JSON.stringify(statements)).to.have.length(1);
      expect(ordered, JSON.stringify(statements)).to.have.length(1);
      for (const s of statements) {
        expect(s.name).to.match(/^skyeye_/);
        expect(s.statement).not.to.match(/"kind"/);
        expect(s.custom_plans, s.statement).to.be.at.most(5);
        expect(s.generic_plans, s.statement).to.be.at.least(1);
      }
      // The generic plans EXPLAINed, as the statements keep them: on the list's indexes.
      const dialect = new PgDialect();
      for (const [s, f, index] of [[radius[0]!, near(3), /cameras_point_idx/], [ordered[0]!, all, /cameras_created_idx/]] as const) {
        const { params } = dialect.sqlToQuery(listJsonQuery(tx, f, {}, 51));
        const plan = (await queryRows<{ 'QUERY PLAN': string }>(tx, sql.raw(`EXPLAIN EXECUTE "${s.name}"${params.length ? `(${params.join(', ')})` : ''}`)))
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        expect(plan, plan).to.match(index);
        expect(plan, plan).not.to.match(/Seq Scan on cameras/);
      }
    });
  });

  it('a camera by id as JSON: one prepared statement, planned once', async () => {
    const ids = await t.database.query<{ id: string }>('SELECT id FROM cameras ORDER BY id LIMIT 8');
    await t.database.db.transaction(async (tx) => {
      for (const { id } of ids) expect(await findCameraJson(tx, id)).to.have.property('json').that.includes(id);
      expect(await findCameraJson(tx, '00000000-0000-4000-8000-000000000000')).to.equal(undefined);
    });
    // Outside the transaction too (PGlite's thread prepares only there; PostgreSQL on any connection).
    for (const { id } of ids) await findCameraJson(t.database.db, id);
    const rows = await t.database.db.transaction(async (tx) => {
      for (const { id } of ids) await findCameraJson(tx, id);
      return queryRows<{ generic_plans: number; custom_plans: number }>(
        tx,
        sql`SELECT generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE statement LIKE '%api_json%' AND statement LIKE '%"id" = $1%'`,
      );
    });
    expect(rows, JSON.stringify(rows)).to.have.length(1);
    expect(rows[0]!.generic_plans).to.be.at.least(1);
  });
});
