/**
 * "Cameras that may have seen it" against hand-placed cameras with known recordings: only cameras
 * within the radius (plus those added by hand, marked), nearest first, each with exactly the
 * recorded spans and gaps inside the window; a camera added by hand is listed wherever it is.
 */
import { expect } from 'chai';
import type { IncidentCameraList } from '@common/incidents';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { createIncident, placeCamera, record } from './helpers';

const MIN = 60_000;

describe(`incident cameras: radius and time selection (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  const cam: Record<string, string> = {};
  let incident: string;
  // The window: an hour that ended an hour ago, minute-aligned.
  const to = Math.floor(Date.now() / MIN) * MIN - 60 * MIN;
  const from = to - 60 * MIN;

  before(async () => {
    w = await startWorld();
    cam.near = await placeCamera(w, 'A 100 m', 100);
    cam.mid = await placeCamera(w, 'B 300 m', 300);
    cam.edge = await placeCamera(w, 'C 480 m', 480);
    cam.outside = await placeCamera(w, 'D 800 m', 800);
    cam.far = await placeCamera(w, 'E 2 km', 2_000);
    // A: recorded throughout (and beyond: only the window counts).
    await record(w, cam.near, from - 30 * MIN, to + 30 * MIN);
    // B: a 20-minute gap in the middle of the window.
    await record(w, cam.mid, from - 10 * MIN, from + 20 * MIN);
    await record(w, cam.mid, from + 40 * MIN, to + 10 * MIN);
    // C: recorded only before the window. D: recorded throughout but outside the radius.
    await record(w, cam.edge, from - 60 * MIN, from);
    await record(w, cam.outside, from, to);
    // E: recorded the last 15 minutes of the window; added by hand below.
    await record(w, cam.far, to - 15 * MIN, to);
    incident = await createIncident(w.as.admin, { radius: 500, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  });
  after(async () => {
    await w?.srv.close();
  });

  const list = async (): Promise<IncidentCameraList> => {
    const r = await w.as.admin.json<IncidentCameraList>('GET', `/api/v1/incidents/${incident}/cameras`);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return r.body;
  };
  const iso = (t: number) => new Date(t).toISOString();

  it('lists the cameras within the radius, nearest first, with their coverage and gaps inside the window', async () => {
    const body = await list();
    expect(body.from).to.equal(iso(from));
    expect(body.to).to.equal(iso(to));
    expect(body.items.map((i) => i.cameraId)).to.deep.equal([cam.near, cam.mid, cam.edge]);
    const [a, b, c] = body.items;
    expect(a!.distance).to.be.closeTo(100, 1);
    expect(b!.distance).to.be.closeTo(300, 1);
    expect(c!.distance).to.be.closeTo(480, 1);
    for (const i of body.items) expect(i).to.include({ inRadius: true, manual: false });

    expect(a!.timeline.spans).to.deep.equal([{ from: iso(from), to: iso(to) }]);
    expect(a!.timeline.gaps).to.deep.equal([]);
    expect(a!.coverage).to.equal(1);
    expect(a!.recordedSeconds).to.equal(3_600);

    expect(b!.timeline.spans).to.deep.equal([
      { from: iso(from), to: iso(from + 20 * MIN) },
      { from: iso(from + 40 * MIN), to: iso(to) },
    ]);
    expect(b!.timeline.gaps.map((g) => [g.from, g.to])).to.deep.equal([[iso(from + 20 * MIN), iso(from + 40 * MIN)]]);
    expect(b!.coverage).to.be.closeTo(2 / 3, 0.001);

    expect(c!.timeline.spans).to.deep.equal([]);
    expect(c!.timeline.gaps.map((g) => [g.from, g.to])).to.deep.equal([[iso(from), iso(to)]]);
    expect(c!.coverage).to.equal(0);
  });

  it('a camera added by hand is listed wherever it is, marked, in distance order', async () => {
    const add = await w.as.admin.json('POST', `/api/v1/incidents/${incident}/cameras`, { cameraId: cam.far });
    expect(add.status, JSON.stringify(add.body)).to.equal(201);
    expect((await w.as.admin.json('POST', `/api/v1/incidents/${incident}/cameras`, { cameraId: cam.far })).status).to.equal(200);
    // A camera inside the radius added by hand is marked too, listed once.
    expect((await w.as.admin.json('POST', `/api/v1/incidents/${incident}/cameras`, { cameraId: cam.mid })).status).to.equal(201);
    const body = await list();
    expect(body.items.map((i) => i.cameraId)).to.deep.equal([cam.near, cam.mid, cam.edge, cam.far]);
    const far = body.items[3]!;
    expect(far).to.include({ inRadius: false, manual: true });
    expect(far.distance).to.be.closeTo(2_000, 2);
    expect(far.timeline.spans).to.deep.equal([{ from: iso(to - 15 * MIN), to: iso(to) }]);
    expect(far.coverage).to.equal(0.25);
    expect(body.items[1]).to.include({ inRadius: true, manual: true });

    const bad = await w.as.admin.json('POST', `/api/v1/incidents/${incident}/cameras`, { cameraId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('cameraId');

    const del = await w.as.admin.call('DELETE', `/api/v1/incidents/${incident}/cameras/${cam.far}`);
    expect(del.status).to.equal(204);
    expect((await list()).items.map((i) => i.cameraId)).to.deep.equal([cam.near, cam.mid, cam.edge]);
    const history = await w.as.admin.json('GET', `/api/v1/incidents/${incident}/history`);
    expect(history.body.items.map((h: { action: string }) => h.action)).to.deep.equal(['create', 'camera.add', 'camera.add', 'camera.remove']);
  });

  it('moving the window or the radius changes the selection', async () => {
    const patched = await w.as.admin.json('PATCH', `/api/v1/incidents/${incident}`, { radius: 1_000, from: iso(from - 60 * MIN), to: iso(from) });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const body = await list();
    expect(body.items.map((i) => i.cameraId)).to.deep.equal([cam.near, cam.mid, cam.edge, cam.outside]);
    const edge = body.items[2]!;
    expect(edge.coverage).to.equal(1);
    const outside = body.items[3]!;
    expect(outside.coverage).to.equal(0);
    const mid = body.items[1]!;
    expect(mid.timeline.spans).to.deep.equal([{ from: iso(from - 10 * MIN), to: iso(from) }]);
  });
});
