/**
 * A still of a pending camera for the approval dialog: a real JPEG from the simulator through the
 * in-process auth proxy and ffmpeg, staff only, audited, bounded; the password never reaches the
 * log or the response.
 */
import { expect } from 'chai';
import { startFleet, type Fleet } from '@sim/index';
import { TEST_BACKEND } from '@test/helpers/database';
import { cameraInput, startWorld, type World } from './helpers';

describe(`camera registry: preview of a pending camera (${TEST_BACKEND}, simulator, ffmpeg)`, function () {
  this.timeout(90_000);
  let w: World;
  let fleet: Fleet;
  let pending: string;
  before(async function () {
    this.timeout(180_000);
    fleet = await startFleet({ cameras: 1, baseOctet: 150 + (process.pid % 40), startOnvif: false, startDiscovery: false, withSub: false });
    w = await startWorld();
    const cam = fleet.cameras[0]!;
    const r = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ rtspUrl: cam.rtspMainUrl, credentials: { username: cam.username, password: cam.password }, enrollmentState: 'pending' }));
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    pending = r.body.id;
  });
  after(async () => {
    await w?.srv.close();
    await fleet?.stop();
  });

  it('gives staff a JPEG of a pending camera, audited; others get 403, an unknown camera 404', async () => {
    const res = await w.as.operator.call('GET', `/api/v1/cameras/${pending}/preview.jpg`);
    expect(res.status, await res.clone().text()).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/jpeg');
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const jpeg = Buffer.from(await res.arrayBuffer());
    expect([...jpeg.subarray(0, 3)], 'JPEG SOI marker').to.deep.equal([0xff, 0xd8, 0xff]);
    expect(jpeg.length).to.be.above(2_000);
    const audit = (await w.as.admin.json('GET', `/api/v1/audit?targetId=${pending}`)).body.items as Array<{ action: string; actorName: string }>;
    expect(audit.some((a) => a.action === 'camera.preview' && a.actorName === 'operator')).to.equal(true);
    for (const role of ['investigator', 'merchant'] as const) {
      expect((await w.as[role].call('GET', `/api/v1/cameras/${pending}/preview.jpg`)).status, role).to.equal(403);
    }
    expect((await w.as.admin.call('GET', '/api/v1/cameras/00000000-0000-4000-8000-000000000000/preview.jpg')).status).to.equal(404);
    expect(w.srv.logs()).to.not.include(fleet.cameras[0]!.password);
  });

  it('a camera that gives no picture is a 502 that says what to check; wrong credentials likewise', async () => {
    const dead = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ rtspUrl: 'rtsp://127.0.0.1:9/none', enrollmentState: 'pending' }));
    const r = await w.as.operator.json('GET', `/api/v1/cameras/${dead.body.id}/preview.jpg`);
    expect(r.status).to.equal(502);
    expect(r.body.detail).to.match(/address and credentials/);
    const cam = fleet.cameras[0]!;
    const wrong = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ rtspUrl: cam.rtspMainUrl, credentials: { username: cam.username, password: 'not-it' }, enrollmentState: 'pending' }));
    expect((await w.as.operator.call('GET', `/api/v1/cameras/${wrong.body.id}/preview.jpg`)).status).to.equal(502);
  });

  it('at most four grabs at once: the rest are refused at once (429)', async () => {
    const statuses = await Promise.all(Array.from({ length: 7 }, () => w.as.admin.call('GET', `/api/v1/cameras/${pending}/preview.jpg`).then((r) => r.status)));
    // Seven at once against a limit of four: some are refused at once, the others answer with a picture.
    expect(statuses.every((s) => s === 200 || s === 429), statuses.join(',')).to.equal(true);
    expect(statuses.filter((s) => s === 429).length, statuses.join(',')).to.be.at.least(1);
    expect(statuses.filter((s) => s === 200).length, statuses.join(',')).to.be.within(1, 6);
  });
});
