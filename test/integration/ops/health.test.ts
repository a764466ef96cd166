import { expect } from 'chai';
import { startTestServer, type TestServer } from '@test/helpers/server';
import { TEST_BACKEND } from '@test/helpers/database';

describe(`ops endpoints (${TEST_BACKEND})`, () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
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

  it('GET /metrics is Prometheus text', async () => {
    const res = await fetch(`${srv.url}/metrics`);
    expect(res.headers.get('content-type')).to.match(/text\/plain/);
    expect(await res.text()).to.match(/skyeye_http_request_duration_seconds_bucket/);
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
