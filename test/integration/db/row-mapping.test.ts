/**
 * The camera list decodes its rows itself (issue 13: drizzle's per-field kind checks were 10 % of
 * a list request): every column must come out exactly as drizzle maps it, on either backend —
 * text arrays, timestamps, doubles, booleans, integers and nulls.
 */
import { expect } from 'chai';
import { inArray } from 'drizzle-orm';
import { cameras } from '@server/db/schema/index';
import { listCameras } from '@server/cameras/repository';
import { openTestDatabase, TEST_BACKEND } from '@test/helpers/database';

describe(`camera list rows decoded like drizzle's (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let t: Awaited<ReturnType<typeof openTestDatabase>>;

  before(async () => {
    t = await openTestDatabase();
    await t.database.query(
      `INSERT INTO cameras (name, kind, lat, lon, address, tags, consent_at, status_changed_at, allow_basic_auth, retention_days, status, rtsp_url, created_at)
       VALUES ('Everything set', 'shopfront', 34.0912345678, 119.3512345678, '新安镇 1 号', ARRAY['door', 'a,b', 'quote"d', ''], '2026-11-30T08:00:00.123456Z', '2026-11-30T09:00:00Z', true, 90, 'live', 'rtsp://127.0.0.1:8554/x', '2026-11-29T00:00:00.000001Z'),
              ('Mostly defaults', 'road', -1.5, 0, NULL, '{}', NULL, NULL, false, 30, 'unknown', NULL, '2026-11-29T00:00:01Z')`,
    );
  });
  after(async () => {
    await t?.close();
  });

  it('every column equals drizzle\'s own mapping of the same rows', async () => {
    const listed = await listCameras(t.database.db, {} as never, {}, 10);
    expect(listed.map((r) => r.name)).to.deep.equal(['Everything set', 'Mostly defaults']);
    const mapped = await t.database.db.select().from(cameras).where(inArray(cameras.id, listed.map((r) => r.id)));
    for (const row of listed) {
      const { sortTs, distance, ...camera } = row;
      expect(camera, row.name).to.deep.equal(mapped.find((m) => m.id === row.id));
      expect(distance).to.equal(null);
      expect(sortTs).to.match(/^2026-11-29T00:00:0\d\.\d{6}Z$/);
    }
    const full = listed[0]!;
    expect(full.tags).to.deep.equal(['door', 'a,b', 'quote"d', '']);
    expect(full.consentAt).to.be.instanceOf(Date);
    expect(full.consentAt!.toISOString()).to.equal('2026-11-30T08:00:00.123Z');
    expect(full.lat).to.equal(34.0912345678);
  });

  it('distance (a radius query) comes back as a number of metres', async () => {
    const near = await listCameras(t.database.db, { lat: 34.0912345678, lon: 119.3512345678, radius: 100 } as never, {}, 10);
    expect(near).to.have.length(1);
    expect(near[0]!.distance).to.be.a('number').and.be.below(0.01);
  });
});
