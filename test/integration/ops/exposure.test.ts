/**
 * What an anonymous or foreign client can make Sky Eye do before it signs in: body size limits
 * (small by default, the import limit only on the import route after sign-in), request ids,
 * socket.io Origin checks for cookie sessions, and live URLs that ignore a forged Host header.
 */
import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import { startWorld, login, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '@test/helpers/server';
import { requestFrom } from '@test/helpers/http-from';
import { cameraInput } from '../cameras/helpers';

const MB = 1024 * 1024;

/** Opens a socket.io connection; resolves 'connected' or the connect_error message. */
function handshake(url: string, headers: Record<string, string>, auth?: { token: string }): Promise<string> {
  const socket = connect(url, { path: '/socket.io', transports: ['websocket'], reconnection: false, extraHeaders: headers, ...(auth ? { auth } : {}) });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

async function sessionCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('skyeye_session='))!;
  return session.split(';')[0]!;
}

describe(`exposure before sign-in: body limits, request ids, origins, public URLs (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  let pub: TestServer;
  before(async () => {
    w = await startWorld();
    pub = await startTestServer({ ingest: { enabled: false }, http: { publicUrl: 'https://skyeye.example.gov/', allowedOrigins: ['https://wall.example.gov'] } });
  });
  after(async () => {
    await w?.srv.close();
    await pub?.close();
  });

  it('bodies over http.bodyLimit (1 MB) are refused with 413 on every route; the import limit applies only to import, after sign-in', async () => {
    const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * MB) });
    const anonymous = await fetch(`${w.srv.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(anonymous.status).to.equal(413);
    expect(anonymous.headers.get('content-type')).to.match(/application\/problem\+json/);
    const signedIn = await w.as.operator.call('POST', '/api/v1/cameras', { ...cameraInput(), name: 'x'.repeat(2 * MB) });
    expect(signedIn.status).to.equal(413);
    // The import route: anonymous and non-staff never get their large body read.
    const rows = Array.from({ length: 3000 }, (_, i) => cameraInput({ name: `Bulk ${i}`, location: { lat: 34.09, lon: 119.35, address: 'y'.repeat(400) } }));
    const body = JSON.stringify(rows);
    expect(body.length).to.be.greaterThan(1.2 * MB);
    const asJson = { 'Content-Type': 'application/json' };
    expect((await fetch(`${w.srv.url}/api/v1/cameras/import`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status).to.equal(401);
    expect((await w.as.investigator.call('POST', '/api/v1/cameras/import', body, asJson)).status).to.equal(403);
    const imported = await w.as.admin.json('POST', '/api/v1/cameras/import', body, asJson);
    expect(imported.status).to.equal(200);
    expect(imported.body).to.include({ created: 3000, failed: 0 });
  });

  it('X-Request-Id is kept only when well formed, else a new one is generated', async () => {
    const idOf = async (sent: string) => (await fetch(`${w.srv.url}/api/v1/nope`, { headers: { 'X-Request-Id': sent } })).headers.get('x-request-id');
    expect(await idOf('req-abc-12345')).to.equal('req-abc-12345');
    expect(await idOf('0b6f6c1e-3f7a-4c43-9d7e-6a1d2b3c4d5e')).to.equal('0b6f6c1e-3f7a-4c43-9d7e-6a1d2b3c4d5e');
    for (const bad of ['-', '..', 'x', '../../etc', '_'.repeat(20), 'a'.repeat(65), 'id with space', '<script>']) {
      const got = await idOf(bad);
      expect(got, bad).to.not.equal(bad);
      expect(got, bad).to.match(/^[0-9a-f-]{36}$/);
    }
  });

  it('socket.io: a cookie session from a foreign Origin is refused; same origin, no Origin and token clients connect', async () => {
    const cookie = await sessionCookie(w.srv.url);
    expect(await handshake(w.srv.url, { Cookie: cookie, Origin: 'http://evil.example' })).to.match(/origin/);
    expect(await handshake(w.srv.url, { Cookie: cookie, Origin: 'null' })).to.match(/origin/);
    expect(await handshake(w.srv.url, { Cookie: cookie, Origin: w.srv.url })).to.equal('connected');
    expect(await handshake(w.srv.url, { Cookie: cookie })).to.equal('connected');
    expect(await handshake(w.srv.url, { Origin: 'http://evil.example' }, { token: w.as.operator.token })).to.equal('connected');
  });

  it('socket.io with configured origins: only http.publicUrl and http.allowedOrigins may use the cookie', async () => {
    const cookie = await sessionCookie(pub.url);
    expect(await handshake(pub.url, { Cookie: cookie, Origin: 'https://skyeye.example.gov' })).to.equal('connected');
    expect(await handshake(pub.url, { Cookie: cookie, Origin: 'https://wall.example.gov' })).to.equal('connected');
    expect(await handshake(pub.url, { Cookie: cookie, Origin: pub.url })).to.match(/origin/);
    expect(await handshake(pub.url, { Cookie: cookie, Origin: 'https://skyeye.example.gov.evil.example' })).to.match(/origin/);
  });

  it('/live URLs come from http.publicUrl when set, never from a forged Host header', async () => {
    const token = await login(pub, 'admin', TEST_ADMIN_PASSWORD);
    const created = await fetch(`${pub.url}/api/v1/cameras`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(cameraInput()) });
    const { id } = (await created.json()) as { id: string };
    const live = await requestFrom('127.0.0.1', `${pub.url}/api/v1/cameras/${id}/live`, { headers: { Host: 'evil.example', Authorization: `Bearer ${token}` } });
    expect(live.status).to.equal(200);
    const urls = JSON.parse(live.body) as { hls: string; flv: string };
    expect(urls.hls.startsWith(`https://skyeye.example.gov/api/v1/`), urls.hls).to.equal(true);
    expect(urls.flv.startsWith(`https://skyeye.example.gov/api/v1/`), urls.flv).to.equal(true);
  });
});
