/**
 * The list's answer is the JSON the database keeps in each camera's row (migration
 * 0112_camera_api_json.sql; repository listCamerasJson, service listJson): it must be exactly what
 * toCamera and JSON.stringify make of the same rows, after any write, for every field and
 * every odd value a row can hold (nulls, owners with one field set, credentials, empty and quoted
 * tags, control characters and non-BMP text, coordinates of many digits, timestamps with
 * microseconds), in created order and by distance, with the same cursors. Both databases.
 */
import { expect } from 'chai';
import type { AuthUser } from '@server/auth/types';
import { PgDialect } from 'drizzle-orm/pg-core';
import { listJsonQuery } from '@server/cameras/repository';
import type { CameraFilter, ListQuery } from '@server/cameras/schemas';
import { cameraEtag } from '@server/cameras/routes';
import { TEST_BACKEND } from '@test/helpers/database';
import { isEmbedded } from '@server/db/database';
import { DEMO, startWorld, type World } from './helpers';
import { isDeepStrictEqual } from 'node:util';

const ODD = ['plain', 'quote " and \\ backslash', 'line\nbreak\ttab\u0001ctl', 'U+2028 \u2028 and 😀 新安派出所', "it's", ''];

describe(`camera registry: the list's JSON written by the database (${TEST_BACKEND})`, () => {
  let w: World;
  let admin: AuthUser;
  let investigator: AuthUser;
  before(async () => {
    w = await startWorld();
    const station = w.org.stations[0]!.id;
    const grid = w.org.grids[0]!.id;
    admin = { id: w.as.admin.userId, username: 'admin', role: 'admin', displayName: 'admin', via: 'bearer' };
    investigator = { id: w.as.investigator.userId, username: 'investigator', role: 'investigator', displayName: 'investigator', via: 'bearer' };
    // 36 cameras around the demo centre, each column cycling through its odd values.
    await w.srv.ctx.database.query(
      `INSERT INTO cameras (name, kind, lat, lon, address, station_id, grid_id, owner_user_id, owner_name, owner_phone, onvif_url, rtsp_url,
         rtsp_sub_url, transport, live_video, credentials_username, credentials_secret, allow_basic_auth, tags, enrollment_state, enrollment_reason,
         recording_mode, retention_days, status, status_cause, status_changed_at, created_at, updated_at, version)
       SELECT ($1::text[])[1 + g % 6] || g, (ARRAY['road', 'household', 'shopfront'])[1 + g % 3],
         $4::float8 + g * 0.000012345678901, $5::float8 - g * 0.0000098765432109,
         CASE WHEN g % 4 = 0 THEN NULL ELSE ($1::text[])[1 + (g + 1) % 6] END,
         CASE WHEN g % 2 = 0 THEN $2::uuid END, CASE WHEN g % 3 = 0 THEN $3::uuid END,
         CASE WHEN g % 5 = 1 THEN $6::uuid END, CASE WHEN g % 5 = 2 THEN 'Owner ' || ($1::text[])[1 + g % 6] END, CASE WHEN g % 5 = 3 THEN '+86 139 0000 ' || g END,
         CASE WHEN g % 2 = 1 THEN 'http://127.0.0.1:' || (8000 + g) || '/onvif/device_service' END, 'rtsp://127.0.0.1:554/' || g,
         CASE WHEN g % 3 = 1 THEN 'rtsp://127.0.0.1:554/sub' || g END, (ARRAY['tcp', 'udp'])[1 + g % 2], (ARRAY['copy', 'h264'])[1 + g % 2],
         CASE WHEN g % 4 = 1 THEN 'user' || g END, NULL, g % 7 = 0,
         CASE g % 4 WHEN 0 THEN ARRAY[]::text[] WHEN 1 THEN ARRAY['listjson'] ELSE ARRAY['listjson', ($1::text[])[1 + g % 6], 'x"y'] END,
         (ARRAY['pending', 'approved', 'rejected'])[1 + g % 3], CASE WHEN g % 3 = 2 THEN ($1::text[])[1 + (g + 2) % 6] END,
         (ARRAY['continuous', 'off'])[1 + g % 2], 1 + g, (ARRAY['live', 'offline', 'unknown'])[1 + g % 3], CASE WHEN g % 3 = 1 THEN 'connect ECONNREFUSED ' || ($1::text[])[1 + g % 6] END,
         CASE WHEN g % 2 = 0 THEN timestamptz '2026-11-30 10:00:00.999999+00' + g * interval '1.000123 second' END,
         timestamptz '2026-11-30 09:00:00+00' + g * interval '0.0009995 second', now() - g * interval '1.234567 second', g
       FROM generate_series(1, 36) g`,
      [ODD, station, grid, DEMO.lat, DEMO.lon, w.as.merchant.userId],
    );
  });
  after(async () => {
    await w?.srv.close();
  });

  /** GET /api/v1/cameras as `role` and the service's list() for the same user, both as parsed JSON. */
  async function both(role: 'admin' | 'investigator', query: Partial<ListQuery> & { limit: number }, url: string) {
    // The process's own background passes (e.g. the unattended check reporting a 'live' camera
    // that nobody ingests as offline) may write a camera between the two reads: read again then.
    for (let attempt = 1; ; attempt++) {
      const r = await w.as[role].json('GET', url);
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const expected = JSON.parse(JSON.stringify(await w.srv.services.cameras.list(role === 'admin' ? admin : investigator, query as ListQuery)));
      if (attempt === 3 || isDeepStrictEqual(r.body, expected)) return { got: r.body as { items: Array<Record<string, unknown>>; nextCursor: string | null }, expected };
    }
  }

  it('every field of every camera, in created order, across pages: the same as toCamera', async () => {
    let cursor: string | null = null;
    let seen = 0;
    do {
      const q: Partial<ListQuery> & { limit: number } = { limit: 7, tag: 'listjson', ...(cursor ? { cursor } : {}) };
      const { got, expected } = await both('admin', q, `/api/v1/cameras?tag=listjson&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(got).to.deep.equal(expected);
      seen += got.items.length;
      cursor = got.nextCursor;
    } while (cursor);
    expect(seen).to.equal(27); // g % 4 != 0
    // All of them, tags or not, as an investigator.
    const { got, expected } = await both('investigator', { limit: 500 }, '/api/v1/cameras?limit=500');
    expect(got.items.length).to.be.at.least(36);
    expect(got).to.deep.equal(expected);
  });

  it('a camera by id, written by the database for staff: the same as toCamera, with the same ETag; a merchant still gets the generic cause', async () => {
    const { items } = await w.srv.services.cameras.list(admin, { limit: 500, tag: 'listjson' } as ListQuery);
    const ids = [...items.map((c) => c.id), ...(await w.srv.services.cameras.list(admin, { limit: 500 } as ListQuery)).items.filter((c) => !c.tags.length).slice(0, 9).map((c) => c.id)];
    for (const id of ids) {
      const r = await w.as.admin.json('GET', `/api/v1/cameras/${id}`);
      expect(r.status).to.equal(200);
      const expected = JSON.parse(JSON.stringify(await w.srv.services.cameras.get(admin, id))) as Record<string, unknown>;
      expect(r.body).to.deep.equal(expected);
      expect(r.res.headers.get('etag')).to.equal(cameraEtag(expected as { version: number; statusChangedAt: string | null }));
      expect(r.res.headers.get('content-type')).to.match(/^application\/json/);
    }
    const missing = await w.as.admin.json('GET', '/api/v1/cameras/00000000-0000-4000-8000-000000000000');
    expect(missing.status).to.equal(404);
    // The merchant owns the cameras with g % 5 = 1; one of them has a recorded cause (g % 3 = 1: g = 1, 16, 31).
    const [own] = await w.srv.ctx.database.query<{ id: string; status_cause: string }>(
      "SELECT id, status_cause FROM cameras WHERE owner_user_id = $1 AND status_cause LIKE 'connect ECONNREFUSED%' LIMIT 1",
      [w.as.merchant.userId],
    );
    const m = await w.as.merchant.json('GET', `/api/v1/cameras/${own!.id}`);
    expect(m.status).to.equal(200);
    expect(m.body.statusCause).to.be.a('string').and.not.equal(own!.status_cause);
  });

  it('stays the same as toCamera after every kind of write: a PATCH, a status change, an UPDATE from psql', async () => {
    const { items } = await w.srv.services.cameras.list(admin, { limit: 3, tag: 'listjson' } as ListQuery);
    const [a, b, c] = items;
    const patched = await w.as.admin.json('PATCH', `/api/v1/cameras/${a!.id}`, { name: 'renamed "again"', tags: ['listjson', 'patched'], version: a!.version });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    await w.srv.ctx.database.query("UPDATE cameras SET status = 'offline', status_cause = 'camera_unreachable', status_changed_at = now(), version = version + 1 WHERE id = $1", [b!.id]);
    await w.srv.ctx.database.query(
      "UPDATE cameras SET owner_phone = '110', lat = lat + 0.001, credentials_username = NULL, recording_mode = 'off', updated_at = now() WHERE id = $1",
      [c!.id],
    );
    const { got, expected } = await both('admin', { limit: 500, tag: 'listjson' }, '/api/v1/cameras?tag=listjson&limit=500');
    expect(got).to.deep.equal(expected);
    const changed = got.items.filter((x) => [a, b, c].some((y) => y!.id === x.id));
    expect(changed.map((x) => [x.name, x.status])).to.deep.include.members([['renamed "again"', a!.status], [b!.name, 'offline']]);
    for (const id of [a!.id, b!.id, c!.id]) {
      const r = await w.as.admin.json('GET', `/api/v1/cameras/${id}`);
      expect(r.body).to.deep.equal(JSON.parse(JSON.stringify(await w.srv.services.cameras.get(admin, id))));
    }
  });

  it("on PGlite a list-sized page comes as one text, a map's 500 and PostgreSQL's pages as rows (the same answer either way, the tests above)", () => {
    const db = w.srv.ctx.database.db;
    expect(isEmbedded(db)).to.equal(TEST_BACKEND === 'pglite');
    const text = (limit: number) => new PgDialect().sqlToQuery(listJsonQuery(db, {} as CameraFilter, {}, limit)).sql.includes('string_agg');
    expect([text(51), text(101), text(501)]).to.deep.equal(TEST_BACKEND === 'pglite' ? [true, true, false] : [false, false, false]);
  });

  it('with no filter, page after page (a page shape built once, then filled with each cursor): the same as toCamera', async () => {
    let cursor: string | null = null;
    for (let page = 0; page < 4; page++) {
      const { got, expected } = await both('admin', { limit: 7, ...(cursor ? { cursor } : {}) }, `/api/v1/cameras?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(got.items).to.have.length(7);
      expect(got).to.deep.equal(expected);
      cursor = got.nextCursor;
    }
  });

  it('by distance, with distanceMeters and the distance cursor: the same as toCamera', async () => {
    const at = `lat=${DEMO.lat}&lon=${DEMO.lon}&radius=2000`;
    const { got, expected } = await both('admin', { limit: 10, lat: DEMO.lat, lon: DEMO.lon, radius: 2000 }, `/api/v1/cameras?${at}&limit=10`);
    expect(got.items).to.have.length(10);
    expect(got.items[0]).to.have.property('distanceMeters');
    expect(got).to.deep.equal(expected);
    const next = await both('admin', { limit: 10, lat: DEMO.lat, lon: DEMO.lon, radius: 2000, cursor: got.nextCursor! }, `/api/v1/cameras?${at}&limit=10&cursor=${got.nextCursor}`);
    expect(next.got).to.deep.equal(next.expected);
    const third = await both('admin', { limit: 10, lat: DEMO.lat, lon: DEMO.lon, radius: 2000, cursor: next.got.nextCursor! }, `/api/v1/cameras?${at}&limit=10&cursor=${next.got.nextCursor}`);
    expect(third.got).to.deep.equal(third.expected);
    // Another point and radius on the page shapes built above.
    const elsewhere = `lat=${DEMO.lat + 0.0003}&lon=${DEMO.lon - 0.0002}&radius=900`;
    const moved = await both('admin', { limit: 10, lat: DEMO.lat + 0.0003, lon: DEMO.lon - 0.0002, radius: 900 }, `/api/v1/cameras?${elsewhere}&limit=10`);
    expect(moved.got.items.length).to.be.greaterThan(0);
    expect(moved.got).to.deep.equal(moved.expected);
    const movedNext = await both('admin', { limit: 10, lat: DEMO.lat + 0.0003, lon: DEMO.lon - 0.0002, radius: 900, cursor: moved.got.nextCursor! }, `/api/v1/cameras?${elsewhere}&limit=10&cursor=${moved.got.nextCursor}`);
    expect(movedNext.got).to.deep.equal(movedNext.expected);
  });
});
