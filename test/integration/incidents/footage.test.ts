/**
 * Footage requests for household and shopfront cameras: an on_request camera's range stays
 * unreachable until its owner approves, and then only exactly that range opens, only for that
 * incident; live_only never opens; shared and road cameras need no request. The owner is notified
 * (bus -> socket.io), sees the request without the incident, and nobody else may answer it.
 */
import { expect } from 'chai';
import type { FootageAccess, FootageRequest } from '@common/incidents';
import { fileMerchantCamera, startWorld, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { createIncident, north, placeCamera, setStation } from './helpers';

describe(`footage requests (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  let incident: string;
  let otherIncident: string;
  let shop: string;
  let road: string;
  const notified: Array<{ ownerUserId: string; request: FootageRequest }> = [];
  const answered: Array<{ requestedBy: string; request: FootageRequest }> = [];
  const t0 = Date.parse('2026-11-29T02:00:00Z');
  const iso = (t: number) => new Date(t).toISOString();

  before(async () => {
    w = await startWorld();
    w.srv.ctx.bus.subscribe('footage:request', (p) => notified.push(p));
    w.srv.ctx.bus.subscribe('footage:decided', (p) => answered.push(p));
    const [s1] = w.org.stations.map((s) => s.id) as [string];
    await setStation(w, w.as.investigator.userId, s1);
    incident = await createIncident(w.as.investigator);
    otherIncident = await createIncident(w.as.investigator, { title: 'another' });
    // The merchant enrolls their shop camera (pending), staff approve it.
    const cam = await fileMerchantCamera(w, 'merchant', { name: '水果店门口', kind: 'shopfront', location: north(60), rtspUrl: 'rtsp://127.0.0.99:554/s' });
    expect(cam.status, JSON.stringify(cam.body)).to.equal(201);
    shop = cam.body.id;
    road = await placeCamera(w, 'road', 40);
  });
  after(async () => {
    await w?.srv.close();
  });

  const access = async (inc: string, cameraId: string, from: number, to: number) => {
    const r = await w.as.investigator.json<FootageAccess>('GET', `/api/v1/incidents/${inc}/footage-access?cameraId=${cameraId}&from=${iso(from)}&to=${iso(to)}`);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return r.body;
  };
  const ask = (from: number, to: number, inc = incident) => w.as.investigator.json<FootageRequest>('POST', `/api/v1/incidents/${inc}/footage-requests`, { cameraId: shop, from: iso(from), to: iso(to), reason: '电动车被盗' });

  it('a household or shopfront camera defaults to on_request; a road camera is shared', async () => {
    expect((await w.as.merchant.json('GET', `/api/v1/cameras/${shop}/sharing`)).body).to.deep.equal({ mode: 'on_request' });
    const cams = await w.as.investigator.json<{ items: Array<{ cameraId: string; sharing: string }> }>('GET', `/api/v1/incidents/${incident}/cameras`);
    expect(cams.body.items.map((c) => [c.cameraId, c.sharing])).to.deep.equal([
      [road, 'shared'],
      [shop, 'on_request'],
    ]);
    expect((await access(incident, road, t0, t0 + 60_000)).allowed).to.equal(true);
    const denied = await access(incident, shop, t0, t0 + 60_000);
    expect(denied).to.deep.include({ allowed: false, mode: 'on_request' });
    // Other owners and investigators do not set it; road cameras cannot change.
    expect((await w.as.merchant2.json('PUT', `/api/v1/cameras/${shop}/sharing`, { mode: 'shared' })).status).to.equal(404);
    expect((await w.as.investigator.json('PUT', `/api/v1/cameras/${shop}/sharing`, { mode: 'shared' })).status).to.equal(403);
    const bad = await w.as.admin.json('PUT', `/api/v1/cameras/${road}/sharing`, { mode: 'live_only' });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('mode');
  });

  it('the range stays unreachable until the owner approves; then exactly that range opens, for that incident only', async () => {
    const from = t0;
    const to = t0 + 5 * 60_000;
    const r = await ask(from, to);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body.status).to.equal('pending');
    expect(notified.map((n) => n.ownerUserId)).to.deep.equal([w.as.merchant.userId]);
    expect(notified[0]!.request.incident).to.equal(null);
    expect((await access(incident, shop, from, to)).allowed).to.equal(false);
    // The owner's inbox: the request, never the incident; another merchant sees nothing and cannot answer.
    const inbox = await w.as.merchant.json<{ items: FootageRequest[] }>('GET', '/api/v1/footage-requests?status=pending');
    expect(inbox.body.items.map((i) => [i.id, i.incident, i.from, i.to])).to.deep.equal([[r.body.id, null, iso(from), iso(to)]]);
    expect(JSON.stringify(inbox.body)).to.not.contain('incidentId');
    expect((await w.as.merchant2.json('GET', '/api/v1/footage-requests')).body.items).to.deep.equal([]);
    expect((await w.as.merchant2.json('POST', `/api/v1/footage-requests/${r.body.id}/decision`, { decision: 'approve' })).status).to.equal(404);
    expect((await w.as.investigator.json('POST', `/api/v1/footage-requests/${r.body.id}/decision`, { decision: 'approve' })).status).to.equal(403);
    expect((await w.as.admin.json('POST', `/api/v1/footage-requests/${r.body.id}/decision`, { decision: 'approve' })).status).to.equal(403);

    const ok = await w.as.merchant.json<FootageRequest>('POST', `/api/v1/footage-requests/${r.body.id}/decision`, { decision: 'approve', note: '同意' });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body).to.deep.include({ status: 'approved', incident: null });
    expect(answered.map((a) => a.requestedBy)).to.deep.equal([w.as.investigator.userId]);
    expect((await w.as.merchant.json('POST', `/api/v1/footage-requests/${r.body.id}/decision`, { decision: 'decline' })).status).to.equal(409);

    expect((await access(incident, shop, from, to)).allowed).to.equal(true);
    expect((await access(incident, shop, from + 60_000, to - 60_000)).allowed).to.equal(true);
    expect((await access(incident, shop, from - 1_000, to)).allowed).to.equal(false);
    expect((await access(incident, shop, from, to + 1_000)).allowed).to.equal(false);
    expect((await access(otherIncident, shop, from, to)).allowed).to.equal(false);
  });

  it('the owner\'s choice holds on every path that reads footage: clip requests, evidence ranges, playback', async () => {
    const from = t0;
    const to = t0 + 60_000; // inside the range approved for `incident` above, never for `otherIncident`
    const clip = (inc: string) => w.as.investigator.json('POST', `/api/v1/incidents/${inc}/clips`, { cameraId: shop, from: iso(from), to: iso(to) });
    const refused = await clip(otherIncident);
    expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
    expect(refused.body.errors[0]).to.deep.include({ field: 'cameraId' });
    expect(refused.body.errors[0].message).to.match(/approval/);
    expect((await clip(incident)).status, 'the approved range').to.equal(202);
    const range = (inc: string) => w.as.investigator.json('POST', `/api/v1/incidents/${inc}/evidence`, { kind: 'range', cameraId: shop, from: iso(from), to: iso(to) });
    const notReleased = await range(otherIncident);
    expect(notReleased.status, JSON.stringify(notReleased.body)).to.equal(422);
    expect(notReleased.body.errors[0].message).to.match(/approval/);
    // Released, so only the missing recording is left to say.
    expect((await range(incident)).body.errors[0].message).to.not.match(/approval/);
    const replay = (as: 'investigator' | 'merchant' | 'admin', cam: string) => w.as[as].json('GET', `/api/v1/cameras/${cam}/playback?from=${iso(from)}&to=${iso(to)}`);
    const denied = await replay('investigator', shop);
    expect(denied.status, 'police replay outside an incident').to.equal(403);
    expect(denied.body.detail).to.match(/incident/);
    expect((await replay('admin', shop)).status).to.equal(403);
    expect((await replay('merchant', shop)).status, 'the owner replays their own camera (nothing recorded here)').to.equal(404);
    expect((await replay('investigator', road)).status, 'road cameras replay freely (nothing recorded here)').to.equal(404);
    // Inside an incident: what it was released, nothing more, and only for those who may see it.
    const replayIn = (inc: string, f: number, t: number, as: 'investigator' | 'merchant' = 'investigator') =>
      w.as[as].json('GET', `/api/v1/cameras/${shop}/playback?from=${iso(f)}&to=${iso(t)}&incident=${inc}`);
    expect((await replayIn(incident, from, to)).status, 'released to this incident (nothing recorded here)').to.equal(404);
    expect((await replayIn(incident, from, t0 + 3_600_000)).status, 'from inside the approval: opens up to its end').to.equal(404);
    const before = await replayIn(incident, from - 1_000, to);
    expect(before.status, 'from before the approved range').to.equal(403);
    expect(before.body.detail).to.match(/approval/);
    expect((await replayIn(otherIncident, from, to)).status, 'another incident').to.equal(403);
    expect((await replayIn(incident, from, to, 'merchant')).status, 'merchants never see incidents').to.equal(404);
    const bad = await replayIn('not-an-id', from, to);
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('incident');
  });

  it('a declined request opens nothing; every step is in the incident history and the audit log', async () => {
    const from = t0 + 3_600_000;
    const r = await ask(from, from + 60_000);
    const no = await w.as.merchant.json<FootageRequest>('POST', `/api/v1/footage-requests/${r.body.id}/decision`, { decision: 'decline' });
    expect(no.body.status).to.equal('declined');
    expect((await access(incident, shop, from, from + 60_000)).allowed).to.equal(false);
    const h = await w.as.investigator.json('GET', `/api/v1/incidents/${incident}/history`);
    expect((h.body.items as Array<{ action: string }>).map((i) => i.action)).to.deep.equal(['create', 'footage.request', 'footage.approved', 'footage.request', 'footage.declined']);
    const [row] = await w.srv.ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'footage.%'`);
    expect(Number(row!.n)).to.equal(4);
    const list = await w.as.investigator.json<{ items: FootageRequest[] }>('GET', `/api/v1/incidents/${incident}/footage-requests`);
    expect(list.body.items.map((i) => i.status).sort()).to.deep.equal(['approved', 'declined']);
  });

  it('live_only never opens and cannot be requested; shared needs no request; bad input names the field', async () => {
    expect((await w.as.merchant.json('PUT', `/api/v1/cameras/${shop}/sharing`, { mode: 'live_only' })).status).to.equal(200);
    expect((await access(incident, shop, t0, t0 + 60_000)).allowed).to.equal(false);
    expect((await ask(t0, t0 + 60_000)).status).to.equal(409);
    expect((await w.as.merchant.json('PUT', `/api/v1/cameras/${shop}/sharing`, { mode: 'shared' })).status).to.equal(200);
    expect((await access(incident, shop, t0 - 86_400_000, t0)).allowed).to.equal(true);
    expect((await ask(t0, t0 + 60_000)).status).to.equal(409);
    const bad = await ask(t0, t0 - 1);
    expect(bad.status).to.equal(400);
    expect((bad.body as unknown as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).to.include('to');
    // Merchants never reach incidents, here either.
    expect((await w.as.merchant.json('POST', `/api/v1/incidents/${incident}/footage-requests`, { cameraId: shop, from: iso(t0), to: iso(t0 + 1) })).status).to.equal(404);
    expect((await w.as.merchant.json('GET', `/api/v1/incidents/${incident}/footage-access?cameraId=${shop}&from=${iso(t0)}&to=${iso(t0 + 1)}`)).status).to.equal(404);
  });
});
