import { expect } from 'chai';
import { startTestServer, type TestServer } from '@test/helpers/server';
import { TEST_BACKEND } from '@test/helpers/database';

describe(`ops endpoints (${TEST_BACKEND})`, () => {
  let srv: TestServer;
  before(async () => {
    // No ingest: the cameras these tests insert keep the statuses they are given.
    srv = await startTestServer({ ingest: { enabled: false } });
  });
  after(async () => {
    await srv?.close();
  });

  it('GET /healthz says ok', async () => {
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok' });
  });

  it('GET /readyz checks the database and the storage', async () => {
    const res = await fetch(`${srv.url}/readyz`);
    const body = (await res.json()) as { status: string; checks: Array<{ name: string; ok: boolean }> };
    expect(res.status).to.equal(200);
    expect(body.checks.map((c) => [c.name, c.ok])).to.deep.equal([
      ['database', true],
      ['storage', true],
    ]);
  });

  it('GET /readyz turns 503 when storage is gone', async () => {
    await srv.ctx.store.close();
    const res = await fetch(`${srv.url}/readyz`);
    expect(res.status).to.equal(503);
    const body = (await res.json()) as { checks: Array<{ name: string; ok: boolean }> };
    expect(body.checks.find((c) => c.name === 'storage')?.ok).to.equal(false);
  });

  it('GET /metrics is Prometheus text on the ops listener (loopback), not on the API port', async () => {
    expect(new URL(srv.opsUrl).hostname).to.equal('127.0.0.1');
    expect(srv.opsUrl).to.not.equal(srv.url);
    const api = await fetch(`${srv.url}/metrics`);
    expect(await api.text()).to.not.match(/skyeye_http_request_duration_seconds/);
    const res = await fetch(`${srv.opsUrl}/metrics`);
    expect(res.headers.get('content-type')).to.match(/text\/plain/);
    const text = await res.text();
    expect(text).to.match(/skyeye_http_request_duration_seconds_bucket/);
    expect(text).to.match(/# TYPE skyeye_recording_cache_deleted_total counter/);
  });

  it('GET /metrics counts the fleet\'s cameras by status and enrollment, from the database', async () => {
    for (const [status, enrollment] of [['live', 'approved'], ['live', 'approved'], ['offline', 'approved'], ['unknown', 'pending']]) {
      await srv.ctx.database.query(`INSERT INTO cameras (name, kind, lat, lon, enrollment_state, status) VALUES ('m', 'road', 34.09, 119.35, $1, $2)`, [enrollment, status]);
    }
    const text = await (await fetch(`${srv.opsUrl}/metrics`)).text();
    expect(text).to.include('skyeye_cameras{status="live",enrollment="approved"} 2');
    expect(text).to.include('skyeye_cameras{status="offline",enrollment="approved"} 1');
    expect(text).to.include('skyeye_cameras{status="unknown",enrollment="pending"} 1');
  });

  it('unknown API route answers problem+json with the request id', async () => {
    const res = await fetch(`${srv.url}/api/v1/nope`, { headers: { 'X-Request-Id': 'req-abc-1' } });
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
    const body = (await res.json()) as { requestId: string; status: number };
    expect(body).to.include({ requestId: 'req-abc-1', status: 404 });
    expect(srv.logs()).to.include('req-abc-1');
  });

  it('GET /api/openapi.json is an OpenAPI 3 document', async () => {
    const res = await fetch(`${srv.url}/api/openapi.json`);
    const doc = (await res.json()) as { openapi: string };
    expect(doc.openapi).to.match(/^3\./);
  });
});
