/**
 * The administrators' APIs behind the console's admin pages: GET /api/v1/ops/health (checks,
 * live workers with the cameras they hold, backlogs, disk), the user list with each user's
 * station, problem+json for bad users, and 403 for everyone but administrators. Also the map
 * settings every signed-in user reads (no tile server by default; a configured one joins the CSP).
 */
import { expect } from 'chai';
import { client, login, startWorld, type World } from '@test/helpers/api';
import { startTestServer, testConfig, TEST_ADMIN_PASSWORD, type TestServer } from '@test/helpers/server';
import { TEST_BACKEND } from '@test/helpers/database';
import { placeCamera } from '@test/integration/incidents/helpers';

describe(`admin APIs: health, users with stations, map settings (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let w: World;
  let cam = '';
  before(async () => {
    w = await startWorld();
    cam = await placeCamera(w, '健康页测试点位', 100);
    const leases = w.srv.services.repos.leases;
    await leases.heartbeat('worker-health-test', null);
    const got = await leases.acquire('worker-health-test', 10, 60_000);
    expect(got.map((l) => l.cameraId)).to.include(cam);
  });
  after(async () => {
    await w?.srv.close();
  });

  it('GET /ops/health names each live worker with the cameras it holds, the checks, backlogs and disk', async () => {
    const r = await w.as.admin.json('GET', '/api/v1/ops/health');
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).to.deep.equal([
      ['database', true],
      ['storage', true],
    ]);
    const worker = r.body.workers.find((x: { workerId: string }) => x.workerId === 'worker-health-test');
    expect(worker, JSON.stringify(r.body.workers)).to.not.equal(undefined);
    expect(worker.cameras).to.deep.equal([{ id: cam, name: '健康页测试点位', status: 'unknown' }]);
    expect(r.body.uploadBacklog).to.deep.equal({ segments: 0, bytes: 0, oldest: null });
    expect(r.body.alarmWebhookBacklog).to.equal(0);
    expect(r.body.disk.totalBytes).to.be.greaterThan(0);
    expect(r.body.disk.freeBytes).to.be.at.most(r.body.disk.totalBytes);
    expect(r.body.cameras.some((c: { status: string; n: number }) => c.status === 'unknown' && c.n >= 1)).to.equal(true);
    expect(r.body.errors).to.deep.equal([]);
  });

  it('only administrators: 403 problem+json for every other role, 401 without a session', async () => {
    for (const role of ['operator', 'investigator', 'merchant'] as const) {
      for (const path of ['/api/v1/ops/health', '/api/v1/users', '/api/v1/audit', '/api/v1/audit/verify']) {
        const r = await w.as[role].call('GET', path);
        expect(r.status, `${role} ${path}`).to.equal(403);
        expect(r.headers.get('content-type')).to.match(/application\/problem\+json/);
      }
    }
    expect((await fetch(`${w.srv.url}/api/v1/ops/health`)).status).to.equal(401);
  });

  it('the user list carries each user\'s station', async () => {
    const station = w.org.stations[0]!.id;
    const put = await w.as.admin.json('PUT', `/api/v1/users/${w.as.operator.userId}/station`, { stationId: station });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const list = await w.as.admin.json('GET', '/api/v1/users');
    const byName = new Map((list.body.items as Array<{ username: string; stationId: string | null }>).map((u) => [u.username, u.stationId]));
    expect(byName.get('operator')).to.equal(station);
    expect(byName.get('investigator')).to.equal(null);
    const one = await w.as.admin.json('GET', `/api/v1/users/${w.as.operator.userId}`);
    expect(one.body.stationId).to.equal(station);
  });

  it('a bad new user is 400 problem+json naming the field', async () => {
    const r = await w.as.admin.json('POST', '/api/v1/users', { username: 'x', password: 'short', role: 'operator' });
    expect(r.status).to.equal(400);
    expect(r.res.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(r.body.errors.map((e: { field: string }) => e.field)).to.include('username');
    const p = await w.as.admin.json('POST', '/api/v1/users', { username: 'new-person', password: 'short', role: 'operator' });
    expect(p.status).to.equal(400);
    expect(p.body.errors.map((e: { field: string }) => e.field)).to.deep.equal(['password']);
  });

  it('GET /map/settings: no tile server by default, for any signed-in user', async () => {
    const r = await w.as.merchant.json('GET', '/api/v1/map/settings');
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ tileUrl: null, tileAttribution: '', tileCoords: 'wgs84' });
  });
});

describe(`a county tile server: map settings and the CSP (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ ingest: { enabled: false }, map: { tileUrl: 'https://tiles.county.example:8443/{z}/{x}/{y}.png', tileAttribution: '县局地图', tileCoords: 'gcj02' } });
  });
  after(async () => {
    await srv?.close();
  });

  it('hands the console the tile URL and lets its origin (only) into img-src', async () => {
    const admin = client(srv, await login(srv, 'admin', TEST_ADMIN_PASSWORD), '');
    const r = await admin.json('GET', '/api/v1/map/settings');
    expect(r.body).to.deep.equal({ tileUrl: 'https://tiles.county.example:8443/{z}/{x}/{y}.png', tileAttribution: '县局地图', tileCoords: 'gcj02' });
    const csp = r.res.headers.get('content-security-policy') ?? '';
    const img = csp.split(';').find((d) => d.trim().startsWith('img-src'))!;
    expect(img.trim().split(/\s+/)).to.deep.equal(['img-src', "'self'", 'data:', 'blob:', 'https://tiles.county.example:8443']);
    expect(csp).to.match(/script-src 'self'(;|$)/);
  });

  it('refuses a tile URL that is no http(s) template', () => {
    expect(() => testConfig('/tmp/x', undefined, { map: { tileUrl: 'javascript:alert(1)' } })).to.throw(/map\.tileUrl/);
  });
});
