/**
 * Hostile input against the registry and user administration: control characters are refused at
 * validation naming the field (never a 500), failed queries never log their parameters, CSV
 * exports neutralise formulas, camera URLs are stored normalised (rtsps:// refused), and a new
 * camera's status is one of the documented set.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { CAMERA_STATUSES } from '@common/domain';
import { TEST_BACKEND } from '@test/helpers/database';
import { cameraInput, fileMerchantCamera, startWorld, type World } from './helpers';

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => [...new Set((body.errors ?? []).map((e) => e.field))];

describe(`registry and users under hostile input (${TEST_BACKEND})`, function () {
  this.timeout(90_000);
  let w: World;
  before(async () => {
    w = await startWorld();
  });
  after(async () => {
    await w?.srv.close();
  });

  it('NUL and other control characters in names, addresses, tags, search and user names: 400 problem+json naming the field', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['name', cameraInput({ name: 'Gate\u0000 1' }), 'name'],
      ['address', cameraInput({ location: { lat: 34.09, lon: 119.35, address: 'No. 1\u0000 Road' } }), 'location.address'],
      ['tag', cameraInput({ tags: ['ok', 'bad\u001b[31m'] }), 'tags.1'],
      ['owner', cameraInput({ owner: { name: 'Li\r\nSet-Cookie: x' } }), 'owner.name'],
      ['camera user', cameraInput({ credentials: { username: 'ad\u0000min', password: 'x' } }), 'credentials.username'],
    ];
    for (const [what, body, field] of cases) {
      const r = await w.as.operator.json('POST', '/api/v1/cameras', body);
      expect(r.status, what).to.equal(400);
      expect(r.res.headers.get('content-type'), what).to.match(/application\/problem\+json/);
      expect(fieldsOf(r.body), what).to.deep.equal([field]);
    }
    const created = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput());
    const patched = await w.as.operator.json('PATCH', `/api/v1/cameras/${created.body.id}`, { name: 'x\u0000y', version: created.body.version });
    expect([patched.status, fieldsOf(patched.body)]).to.deep.equal([400, ['name']]);
    for (const [param, field] of [['q', 'q'], ['tag', 'tag']]) {
      const r = await w.as.investigator.json('GET', `/api/v1/cameras?${param}=a%00b`);
      expect([r.status, fieldsOf(r.body)], param).to.deep.equal([400, [field]]);
    }
    const user = await w.as.admin.json('POST', '/api/v1/users', { username: 'nul\u0000user', password: 'Nul-user-pass-1', role: 'operator' });
    expect([user.status, fieldsOf(user.body)]).to.deep.equal([400, ['username']]);
    const display = await w.as.admin.json('POST', '/api/v1/users', { username: 'esc-user', password: 'Esc-user-pass-1', role: 'operator', displayName: 'Esc\u0007' });
    expect([display.status, fieldsOf(display.body)]).to.deep.equal([400, ['displayName']]);
    const signIn = await fetch(`${w.srv.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'ad\u0000min', password: 'x' }) });
    expect(signIn.status).to.equal(400);
    expect(fieldsOf((await signIn.json()) as { errors: Array<{ field: string }> })).to.deep.equal(['username']);
    expect(w.srv.logs()).to.not.match(/"level":50/);
  });

  it('a failed query is logged without its parameters: a new user\'s password hash never reaches the log', async () => {
    // Make the INSERT fail inside the database (a check the application does not know about).
    await w.srv.ctx.database.query(`ALTER TABLE users ADD CONSTRAINT test_no_boom CHECK (display_name <> 'boom')`);
    try {
      const r = await w.as.admin.json('POST', '/api/v1/users', { username: 'boomer', password: 'Boomer-pass-word-1', role: 'operator', displayName: 'boom' });
      expect(r.status).to.equal(500);
    } finally {
      await w.srv.ctx.database.query('ALTER TABLE users DROP CONSTRAINT test_no_boom');
    }
    const logs = w.srv.logs();
    expect(logs).to.match(/unhandled error/);
    if (process.env.SHOW_LOG) console.log(logs.split('\n').filter((l) => l.includes('unhandled error')).join('\n'));
    expect(logs).to.not.include('scrypt$');
    expect(logs).to.not.include('Failing row');
    expect(logs).to.not.include('Boomer-pass-word-1');
  });

  it('CSV export neutralises formulas (= + - @ tab CR) and reads back unchanged on import', async () => {
    const tag = 'formula';
    const names = ['=cmd|\' /C calc\'!A0', '+1+1', '-2+3', '@SUM(A1)', 'plain'];
    for (const name of names) {
      expect((await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ name, tags: [tag, '=HYPERLINK("http://x")'], location: { lat: -33.9, lon: 18.4, address: '-1' } }))).status).to.equal(201);
    }
    const text = await (await w.as.investigator.call('GET', `/api/v1/cameras/export.csv?tag=${tag}`)).text();
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.name).sort()).to.deep.equal(["'+1+1", "'-2+3", "'=cmd|' /C calc'!A0", "'@SUM(A1)", 'plain']);
    for (const r of rows) {
      expect(r.tags).to.equal(`${tag}|=HYPERLINK("http://x")`); // a joined cell: starts with the tag, not a formula
      expect([r.lat, r.lon, r.address]).to.deep.equal(['-33.9', '18.4', '-1']); // plain numbers stay numbers
      for (const cell of Object.values(r)) expect(cell, 'no cell starts a formula').to.not.match(/^[=+\-@\t\r](?![\d.]+$)/);
    }
    const back = await w.as.admin.json('POST', '/api/v1/cameras/import', text, { 'Content-Type': 'text/csv' });
    expect(back.body).to.include({ created: 5, failed: 0 });
    const again = (await w.as.admin.json('GET', `/api/v1/cameras?tag=${tag}&limit=20`)).body.items as Array<{ name: string }>;
    expect(again.map((c) => c.name).sort()).to.deep.equal([...names, ...names].sort());
  });

  it('camera URLs: rtsps:// refused with a clear reason, CR/LF and spaces refused, stored normalised', async () => {
    const tls = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ rtspUrl: 'rtsps://127.0.0.1:322/live' }));
    expect(tls.status).to.equal(400);
    expect(tls.body.errors).to.deep.equal([{ field: 'rtspUrl', message: tls.body.errors[0].message }]);
    expect(tls.body.errors[0].message).to.match(/rtsps:\/\/.*not supported/);
    const sub = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ rtspSubUrl: 'RTSPS://127.0.0.1/sub' }));
    expect([sub.status, fieldsOf(sub.body)]).to.deep.equal([400, ['rtspSubUrl']]);
    for (const bad of ['rtsp://127.0.0.1/live\r\nCSeq: 9', 'rtsp://127.0.0.1/li ve', 'rtsp://127.0.0.1/\tlive']) {
      const r = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ rtspUrl: bad }));
      expect([r.status, fieldsOf(r.body)], JSON.stringify(bad)).to.deep.equal([400, ['rtspUrl']]);
    }
    const onvif = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ onvifUrl: 'http://127.0.0.1/onvif\n' + 'x' }));
    expect([onvif.status, fieldsOf(onvif.body)]).to.deep.equal([400, ['onvifUrl']]);
    const ok = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ rtspUrl: '  RTSP://127.0.0.9:554/a/../live%20main  ', onvifUrl: 'HTTP://127.0.0.9:80/onvif/./device_service' }));
    expect(ok.status).to.equal(201);
    expect(ok.body).to.include({ rtspUrl: 'rtsp://127.0.0.9:554/live%20main', onvifUrl: 'http://127.0.0.9/onvif/device_service' });
    const csv = 'name,kind,lat,lon,rtspUrl\nTLS cam,road,34.09,119.35,rtsps://127.0.0.1/live\n';
    const imported = await w.as.admin.json('POST', '/api/v1/cameras/import', csv, { 'Content-Type': 'text/csv' });
    expect(imported.status).to.equal(422);
    expect(imported.body.errors[0]).to.include({ row: 1, field: 'rtspUrl' });
  });

  it('a new camera\'s status is one of the statuses the README documents, and the README documents exactly the set the API uses', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const documented = [...(/Status \(([^)]*)\)/.exec(readme)?.[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(documented).to.have.members([...CAMERA_STATUSES]);
    const r = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput());
    expect(r.status).to.equal(201);
    expect(documented).to.include(r.body.status);
    const pending = await fileMerchantCamera(w, 'merchant', cameraInput());
    expect(documented).to.include(pending.body.status);
  });
});
