/**
 * Where a camera may be dialled and who may decide it (issue 9 item 8): every address inside
 * network.allowedRanges for every role and every way in; a merchant's new address goes back to
 * approval; merchants' retention is bounded; merchants never see network detail in causes.
 */
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { cameraInput, fileMerchantCamera, startWorld, type World } from './helpers';

const HEADER = 'name,kind,lat,lon,address,coordSystem,rtspUrl,rtspSubUrl,onvifUrl,username,password,tags,stationCode,policeRoomCode,patrolZoneCode,gridCode,ownerName,ownerPhone';
const fields = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

describe(`camera registry: addresses, retention and causes by role (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  before(async () => {
    // 127.0.0.0/8 only (the default), and a merchant retention cap of 30 days (the default).
    w = await startWorld();
  });
  after(async () => {
    await w?.srv.close();
  });

  /** A merchant's camera, approved by an operator. */
  async function approvedMerchantCamera(): Promise<{ id: string; version: number }> {
    const c = await fileMerchantCamera(w, 'merchant', cameraInput());
    expect(c.status).to.equal(201);
    const a = await w.as.operator.json('POST', `/api/v1/cameras/${c.body.id}/enrollment`, { state: 'approved' });
    expect(a.status).to.equal(200);
    return { id: a.body.id, version: a.body.version };
  }

  it('refuses addresses outside the allowed ranges (and host names) for every role, on create and update', async () => {
    const outside: Array<[Record<string, unknown>, string]> = [
      [{ rtspUrl: 'rtsp://10.1.2.3:554/stream' }, 'rtspUrl'],
      [{ rtspSubUrl: 'rtsp://192.168.1.64/sub' }, 'rtspSubUrl'],
      [{ onvifUrl: 'http://10.0.0.1/onvif/device_service' }, 'onvifUrl'],
      [{ rtspUrl: 'rtsp://camera.example.com/stream' }, 'rtspUrl'],
      [{ rtspUrl: 'rtsp://[::1]:554/stream' }, 'rtspUrl'],
    ];
    for (const who of ['admin', 'operator'] as const) {
      for (const [extra, field] of outside) {
        const r = await w.as[who].json('POST', '/api/v1/cameras', cameraInput(extra));
        expect(r.status, `${who} creates ${JSON.stringify(extra)}`).to.equal(400);
        expect(r.res.headers.get('content-type')).to.match(/application\/problem\+json/);
        expect(fields(r.body), `${who} ${JSON.stringify(extra)}`).to.include(field);
      }
    }
    // Merchants file through enrollment only (POST /cameras is 403 for them); the same rule holds there.
    for (const [extra, field] of outside) {
      expect((await w.as.merchant.call('POST', '/api/v1/cameras', cameraInput(extra))).status).to.equal(403);
      const r = await fileMerchantCamera(w, 'merchant', cameraInput(extra));
      expect(r.status, `merchant files ${JSON.stringify(extra)}`).to.equal(400);
      expect(fields(r.body), `merchant ${JSON.stringify(extra)}`).to.include(field);
    }
    const staffCam = (await w.as.operator.json('POST', '/api/v1/cameras', cameraInput())).body;
    const r = await w.as.admin.json('PATCH', `/api/v1/cameras/${staffCam.id}`, { rtspUrl: 'rtsp://10.1.2.3/x', version: staffCam.version });
    expect(r.status).to.equal(400);
    expect(fields(r.body)).to.deep.equal(['rtspUrl']);
    const mine = await approvedMerchantCamera();
    const m = await w.as.merchant.json('PATCH', `/api/v1/cameras/${mine.id}`, { onvifUrl: 'http://10.1.2.3/onvif', version: mine.version });
    expect(m.status).to.equal(400);
    expect(fields(m.body)).to.deep.equal(['onvifUrl']);
    const still = await w.as.operator.json('GET', `/api/v1/cameras/${mine.id}`);
    expect(still.body.onvifUrl).to.equal(null);
    expect(still.body.version).to.equal(mine.version);
  });

  it('refuses outside addresses row by row on import (CSV and JSON)', async () => {
    const csv = [HEADER, 'Inside,road,34.09,119.35,,,rtsp://127.0.0.1/a,,,,,,,,,,,', 'Outside,road,34.09,119.35,,,rtsp://10.1.2.3/b,,http://10.1.2.3/onvif,,,,,,,,,'].join('\n');
    const r = await w.as.operator.json('POST', '/api/v1/cameras/import?partial=true', csv, { 'Content-Type': 'text/csv' });
    expect(r.status).to.equal(200);
    expect(r.body.created).to.equal(1);
    expect(r.body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`)).to.deep.equal(['2:rtspUrl', '2:onvifUrl']);
    const j = await w.as.admin.json('POST', '/api/v1/cameras/import', [cameraInput(), cameraInput({ rtspSubUrl: 'rtsp://172.16.0.9/sub' })]);
    expect(j.status).to.equal(422);
    expect(j.body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`)).to.deep.equal(['2:rtspSubUrl']);
  });

  it("a merchant's change of address sends an approved camera back to pending; staff changes do not", async () => {
    const mine = await approvedMerchantCamera();
    const same = await w.as.merchant.json('PATCH', `/api/v1/cameras/${mine.id}`, { name: 'Renamed', version: mine.version });
    expect(same.status).to.equal(200);
    expect(same.body.enrollmentState, 'a rename keeps the approval').to.equal('approved');
    const moved = await w.as.merchant.json('PATCH', `/api/v1/cameras/${mine.id}`, { rtspUrl: 'rtsp://127.0.0.2:8554/other', version: same.body.version });
    expect(moved.status).to.equal(200);
    expect(moved.body.enrollmentState).to.equal('pending');
    expect(moved.body.enrollmentReason).to.be.a('string');
    const again = await approvedMerchantCamera();
    const sub = await w.as.merchant.json('PATCH', `/api/v1/cameras/${again.id}`, { onvifUrl: 'http://127.0.0.3:8000/onvif/device_service', version: again.version });
    expect(sub.body.enrollmentState, 'ONVIF address too').to.equal('pending');
    const staff = await w.as.operator.json('PATCH', `/api/v1/cameras/${moved.body.id}`, { version: moved.body.version, enrollmentState: 'approved', rtspUrl: 'rtsp://127.0.0.4/x' });
    expect(staff.status).to.equal(200);
    expect(staff.body.enrollmentState).to.equal('approved');
    const audit = await w.as.admin.json('GET', `/api/v1/audit?targetId=${mine.id}`);
    expect(JSON.stringify(audit.body)).to.include('pending');
  });

  it("bounds merchants' retention (cameras.merchantMaxRetentionDays); staff keep the full range", async () => {
    const big = cameraInput({ recording: { mode: 'continuous', retentionDays: 3650 } });
    const c = await fileMerchantCamera(w, 'merchant', big);
    expect(c.status).to.equal(400);
    expect(fields(c.body)).to.deep.equal(['recording.retentionDays']);
    const mine = await approvedMerchantCamera();
    const p = await w.as.merchant.json('PATCH', `/api/v1/cameras/${mine.id}`, { recording: { mode: 'continuous', retentionDays: 3650 }, version: mine.version });
    expect(p.status).to.equal(400);
    expect(fields(p.body)).to.deep.equal(['recording.retentionDays']);
    const ok = await w.as.merchant.json('PATCH', `/api/v1/cameras/${mine.id}`, { recording: { mode: 'continuous', retentionDays: 30 }, version: mine.version });
    expect(ok.status).to.equal(200);
    const staff = await w.as.operator.json('PATCH', `/api/v1/cameras/${mine.id}`, { recording: { mode: 'continuous', retentionDays: 3650 }, version: ok.body.version });
    expect(staff.status).to.equal(200);
    expect(staff.body.recording.retentionDays).to.equal(3650);
  });

  it('merchants see a generic cause, never the address or port; staff see the recorded cause', async () => {
    const mine = await approvedMerchantCamera();
    const raw = 'Connection to tcp://10.9.8.7:554 refused (ECONNREFUSED)';
    expect(await w.srv.services.cameras.updateStatus(mine.id, 'unreachable', raw)).to.equal(true);
    const staff = await w.as.operator.json('GET', `/api/v1/cameras/${mine.id}`);
    expect(staff.body.statusCause).to.equal(raw);
    const seen = [
      (await w.as.merchant.json('GET', `/api/v1/cameras/${mine.id}`)).body.statusCause,
      (await w.as.merchant.json('GET', '/api/v1/cameras')).body.items.find((c: { id: string }) => c.id === mine.id).statusCause,
      ...(await w.as.merchant.json('GET', `/api/v1/cameras/${mine.id}/status-history`)).body.items.map((i: { cause: string | null }) => i.cause),
    ];
    for (const cause of seen) {
      expect(cause).to.be.a('string').and.not.equal(raw);
      expect(cause).not.to.match(/\d+\.\d+\.\d+\.\d+|:\d{2,5}|tcp|ECONN/i);
    }
    const history = await w.as.operator.json('GET', `/api/v1/cameras/${mine.id}/status-history`);
    expect(history.body.items[0].cause).to.equal(raw);
  });
});
