import { expect } from 'chai';
import { gcj02ToWgs84, wgs84ToGcj02 } from '@common/gcj02';
import { TEST_BACKEND } from '@test/helpers/database';
import { cameraInput, DEMO, offset, startWorld, type World } from './helpers';

describe(`camera registry: geo queries (${TEST_BACKEND})`, () => {
  let w: World;
  const placed: Array<{ id: string; metres: number }> = [];
  before(async () => {
    w = await startWorld();
    // Known offsets (metres, bearing) around the demo town centre.
    const spots: Array<[number, number, number]> = [
      [50, 0, 50], // 50 m north
      [0, 120, 120], // 120 m east
      [-300, 0, 300],
      [400, -300, 500],
      [0, -900, 900],
      [1500, 0, 1500],
      [0, 3000, 3000],
    ];
    for (const [north, east, metres] of spots) {
      const p = offset(DEMO.lat, DEMO.lon, north, east);
      const { body } = await w.as.admin.json('POST', '/api/v1/cameras', cameraInput({ location: { lat: p.lat, lon: p.lon }, tags: ['geo'] }));
      placed.push({ id: body.id, metres });
    }
  });
  after(async () => {
    await w?.srv.close();
  });

  it('radius query returns exactly the cameras within R, nearest first, with distanceMeters', async () => {
    const r = await w.as.investigator.json('GET', `/api/v1/cameras?lat=${DEMO.lat}&lon=${DEMO.lon}&radius=1000&tag=geo`);
    expect(r.status).to.equal(200);
    const items = r.body.items as Array<{ id: string; distanceMeters: number }>;
    const expected = placed.filter((p) => p.metres <= 1000);
    expect(items.map((i) => i.id)).to.deep.equal(expected.map((p) => p.id));
    for (const [i, item] of items.entries()) expect(item.distanceMeters).to.be.closeTo(expected[i]!.metres, 1);
  });

  it('radius pages keep nearest-first order across cursors', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await w.as.admin.json(
        'GET',
        `/api/v1/cameras?lat=${DEMO.lat}&lon=${DEMO.lon}&radius=5000&tag=geo&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids).to.deep.equal(placed.map((p) => p.id));
  });

  it('list without a radius has no distanceMeters; lat/lon without radius is a 400', async () => {
    const r = await w.as.admin.json('GET', '/api/v1/cameras?tag=geo');
    expect(r.body.items[0]).not.to.have.property('distanceMeters');
    const bad = await w.as.admin.json('GET', `/api/v1/cameras?lat=${DEMO.lat}&lon=${DEMO.lon}`);
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('radius');
  });

  it('bbox filter', async () => {
    const sw = offset(DEMO.lat, DEMO.lon, -350, -350);
    const ne = offset(DEMO.lat, DEMO.lon, 350, 350);
    const r = await w.as.admin.json('GET', `/api/v1/cameras?tag=geo&bbox=${sw.lon},${sw.lat},${ne.lon},${ne.lat}`);
    expect(r.body.items.map((i: { id: string }) => i.id)).to.have.members(placed.filter((p) => p.metres <= 300).map((p) => p.id));
  });

  it('gcj02 input is stored as WGS-84', async () => {
    const g = wgs84ToGcj02(DEMO.lat, DEMO.lon);
    const { status, body } = await w.as.admin.json('POST', '/api/v1/cameras', cameraInput({ location: { lat: g.lat, lon: g.lon, coordSystem: 'gcj02' } }));
    expect(status).to.equal(201);
    expect(body.location.coordSystem).to.equal('wgs84');
    expect(body.location.lat).to.be.closeTo(DEMO.lat, 1e-8);
    expect(body.location.lon).to.be.closeTo(DEMO.lon, 1e-8);
    const back = gcj02ToWgs84(g.lat, g.lon);
    expect(back.lat).to.be.closeTo(DEMO.lat, 1e-9);
  });
});
