/**
 * Saved walls through the real API on the chosen database (issue 12): ownership, sharing with a
 * station (read-only for others, never for merchants), cameras checked against the writer's
 * rights and hidden from readers who may not see them, bad input as problem+json naming the
 * field, names unique per user under parallel requests, optimistic versions.
 */
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { fileMerchantCamera, startWorld, type Client, type World } from '@test/helpers/api';

describe(`saved walls API (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let w: World;
  let cams: string[];
  let pending: string;
  let merchantCam: string;
  let station: string;

  const camera = async (c: Client, name: string, extra: Record<string, unknown> = {}) => {
    const r = await c.json('POST', '/api/v1/cameras', { name, kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: `rtsp://127.0.0.1:8554/${encodeURIComponent(name)}`, ...extra });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body.id as string;
  };
  const wall = (over: Record<string, unknown> = {}) => ({ name: `Wall ${Math.random().toString(36).slice(2, 8)}`, layout: 4, mode: 'll', cameras: [cams[0], null, cams[1]], ...over });
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  before(async () => {
    w = await startWorld();
    station = w.org.stations[0]!.id;
    cams = [await camera(w.as.operator, 'Wall A'), await camera(w.as.operator, 'Wall B'), await camera(w.as.operator, 'Wall C')];
    pending = await camera(w.as.operator, 'Wall pending', { enrollmentState: 'pending' });
    const filed = await fileMerchantCamera(w, 'merchant', { name: 'Shop door', kind: 'shopfront', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:8554/shop' });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    merchantCam = filed.body.id as string;
  });
  after(async () => {
    await w?.srv.close();
  });

  it('saves a wall for its owner only', async () => {
    const r = await w.as.operator.json('POST', '/api/v1/walls', wall({ name: 'Night shift' }));
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.res.headers.get('location')).to.equal(`/api/v1/walls/${r.body.id}`);
    expect(r.body).to.deep.include({ name: 'Night shift', layout: 4, mode: 'll', shared: false, stationId: null, mine: true, version: 1 });
    expect(r.body.cameras).to.deep.equal([cams[0], null, cams[1]]);
    const mine = await w.as.operator.json('GET', '/api/v1/walls');
    expect(mine.body.items.map((x: { id: string }) => x.id)).to.include(r.body.id);
    // Not shared: nobody else sees it, not even an administrator.
    for (const other of [w.as.investigator, w.as.admin, w.as.merchant]) {
      expect((await other.json('GET', `/api/v1/walls/${r.body.id}`)).status).to.equal(404);
      expect((await other.json('GET', '/api/v1/walls')).body.items.map((x: { id: string }) => x.id)).to.not.include(r.body.id);
      expect((await other.json('PUT', `/api/v1/walls/${r.body.id}`, { ...wall(), version: 1 })).status).to.equal(404);
      expect((await other.json('DELETE', `/api/v1/walls/${r.body.id}`)).status).to.equal(404);
    }
  });

  it('shares a wall with a station: staff read it, only the owner changes it, merchants never see it', async () => {
    const r = await w.as.operator.json('POST', '/api/v1/walls', wall({ name: 'Station 1 square', shared: true, stationId: station }));
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const id = r.body.id as string;
    const seen = await w.as.investigator.json('GET', '/api/v1/walls');
    const entry = seen.body.items.find((x: { id: string }) => x.id === id);
    expect(entry).to.deep.include({ mine: false, shared: true, stationId: station });
    expect(entry.owner.id).to.equal(w.as.operator.userId);
    expect((await w.as.investigator.json('GET', `/api/v1/walls/${id}`)).status).to.equal(200);
    const put = await w.as.investigator.json('PUT', `/api/v1/walls/${id}`, { ...wall(), version: 1 });
    expect(put.status).to.equal(403);
    expect(put.res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect((await w.as.investigator.json('DELETE', `/api/v1/walls/${id}`)).status).to.equal(403);
    expect((await w.as.merchant.json('GET', `/api/v1/walls/${id}`)).status).to.equal(404);
    expect((await w.as.merchant.json('GET', '/api/v1/walls')).body.items).to.deep.equal([]);
    // The owner changes it (optimistic version), an administrator may remove it.
    const upd = await w.as.operator.json('PUT', `/api/v1/walls/${id}`, { ...wall({ name: 'Station 1 square' }), layout: 9, shared: false, version: 1 });
    expect(upd.status, JSON.stringify(upd.body)).to.equal(200);
    expect(upd.body).to.deep.include({ layout: 9, shared: false, version: 2 });
    expect((await w.as.investigator.json('GET', `/api/v1/walls/${id}`)).status, 'unshared again').to.equal(404);
    const stale = await w.as.operator.json('PUT', `/api/v1/walls/${id}`, { ...wall(), shared: true, stationId: station, version: 1 });
    expect(stale.status).to.equal(409);
    const again = await w.as.operator.json('PUT', `/api/v1/walls/${id}`, { ...wall({ name: 'Station 1 square' }), shared: true, stationId: station, version: 2 });
    expect(again.status).to.equal(200);
    expect((await w.as.admin.json('DELETE', `/api/v1/walls/${id}`)).status).to.equal(204);
    expect((await w.as.operator.json('GET', `/api/v1/walls/${id}`)).status).to.equal(404);
    // Who may read it changed four times: each is in the audit log, by whom; the layout change is not.
    const audit = (await w.as.admin.json('GET', `/api/v1/audit?targetId=${id}`)).body.items as Array<{ action: string; actorName: string; details: { fromStationId: string | null; toStationId: string | null } }>;
    const trail = audit.map((a) => `${a.action} by ${a.actorName} ${a.details.fromStationId === station ? 'S' : '-'}>${a.details.toStationId === station ? 'S' : '-'}`).reverse();
    expect(trail).to.deep.equal(['wall.share by operator ->S', 'wall.unshare by operator S>-', 'wall.share by operator ->S', 'wall.delete by admin S>-']);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...wall(), extra: 1 }, 'extra'],
      [wall({ name: '' }), 'name'],
      [wall({ name: 'x'.repeat(81) }), 'name'],
      [wall({ name: 'bad\u0000name' }), 'name'],
      [wall({ layout: 7 }), 'layout'],
      [wall({ mode: 'rtsp' }), 'mode'],
      [wall({ cameras: ['not-a-uuid'] }), 'cameras.0'],
      [wall({ cameras: Array(26).fill(null), layout: 25 }), 'cameras'],
      [wall({ cameras: [cams[0], cams[1], cams[2]], layout: 1 }), 'cameras'],
      [wall({ cameras: [cams[0], cams[0]] }), 'cameras.1'],
      [wall({ cameras: [null, pending] }), 'cameras.1'],
      [wall({ cameras: ['00000000-0000-4000-8000-000000000000'] }), 'cameras.0'],
      [wall({ shared: true }), 'stationId'],
      [wall({ shared: true, stationId: '00000000-0000-4000-8000-000000000000' }), 'stationId'],
    ];
    for (const [body, field] of cases) {
      const r = await w.as.operator.json('POST', '/api/v1/walls', body);
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).to.equal(400);
      expect(r.res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(fieldsOf(r.body), JSON.stringify(r.body)).to.include(field);
    }
    expect((await w.as.operator.json('PUT', '/api/v1/walls/not-a-uuid', { ...wall(), version: 1 })).status).to.equal(404);
    const noVersion = await w.as.operator.json('POST', '/api/v1/walls', wall());
    const put = await w.as.operator.json('PUT', `/api/v1/walls/${noVersion.body.id}`, wall());
    expect(put.status).to.equal(400);
    expect(fieldsOf(put.body)).to.include('version');
  });

  it("keeps merchants to their own cameras and walls; they cannot share", async () => {
    // Another's camera is not theirs to put on a wall; their own must be approved first.
    const other = await w.as.merchant.json('POST', '/api/v1/walls', wall({ cameras: [cams[0]] }));
    expect(other.status).to.equal(400);
    expect(fieldsOf(other.body)).to.deep.equal(['cameras.0']);
    const notYet = await w.as.merchant.json('POST', '/api/v1/walls', wall({ cameras: [merchantCam] }));
    expect(fieldsOf(notYet.body)).to.deep.equal(['cameras.0']);
    expect((await w.as.admin.json('POST', `/api/v1/cameras/${merchantCam}/enrollment`, { state: 'approved' })).status).to.equal(200);
    const mine = await w.as.merchant.json('POST', '/api/v1/walls', wall({ name: 'My shop', cameras: [merchantCam] }));
    expect(mine.status, JSON.stringify(mine.body)).to.equal(201);
    expect((await w.as.merchant.json('POST', '/api/v1/walls', wall({ cameras: [merchantCam], shared: true, stationId: station }))).status).to.equal(403);
  });

  it('shows a reader null for a camera they may no longer see', async () => {
    const gone = await camera(w.as.operator, 'Wall soon deleted');
    const r = await w.as.operator.json('POST', '/api/v1/walls', wall({ cameras: [gone, cams[2]] }));
    expect(r.status).to.equal(201);
    expect((await w.as.admin.json('DELETE', `/api/v1/cameras/${gone}`)).status).to.be.oneOf([200, 204]);
    expect((await w.as.operator.json('GET', `/api/v1/walls/${r.body.id}`)).body.cameras).to.deep.equal([null, cams[2]]);
  });

  it('keeps names unique per user under parallel requests (case-insensitive); others may reuse a name', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => w.as.operator.json('POST', '/api/v1/walls', wall({ name: i % 2 ? 'Parallel' : 'PARALLEL' }))));
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    expect(results.filter((r) => r.status === 409)).to.have.length(5);
    expect((await w.as.investigator.json('POST', '/api/v1/walls', wall({ name: 'Parallel' }))).status).to.equal(201);
  });

  it('needs a sign-in', async () => {
    expect((await fetch(`${w.srv.url}/api/v1/walls`)).status).to.equal(401);
  });
});
