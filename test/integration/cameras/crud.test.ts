import http from 'node:http';
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { cameraInput, startWorld, type World } from './helpers';

/** A GET through node:http, headers exactly as given. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; etag: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, body }));
      })
      .on('error', reject);
  });
}

describe(`camera registry: CRUD, validation, concurrency (${TEST_BACKEND})`, () => {
  let w: World;
  before(async () => {
    w = await startWorld();
  });
  after(async () => {
    await w?.srv.close();
  });

  it('GET /org lists the seeded organisation', async () => {
    const { status, body } = await w.as.investigator.json('GET', '/api/v1/org');
    expect(status).to.equal(200);
    expect(body.stations.map((s: { code: string }) => s.code)).to.have.members(['xinan', 'qiaoxi']);
    expect(body.stations.find((s: { code: string }) => s.code === 'xinan').name).to.equal('新安派出所');
    expect(body.policeRooms).to.have.length(4);
    expect(body.patrolAreas).to.have.length(4);
    expect(body.patrolZones).to.have.length(16);
    expect(body.grids.length).to.be.at.least(4);
    expect(body.patrolZones[0]).to.have.keys(['id', 'code', 'name', 'nameEn', 'areaId']);
  });

  it('creates, reads, lists, patches and deletes a camera; audit entries written', async () => {
    const station = w.org.stations[0]!;
    const input = cameraInput({
      kind: 'shopfront',
      stationId: station.id,
      patrolZoneId: w.org.patrolZones[3]!.id,
      tags: ['square', 'entrance'],
      owner: { name: 'Wang', phone: '13800000000' },
      recording: { mode: 'off', retentionDays: 7 },
      transport: 'udp',
    });
    const created = await w.as.operator.json('POST', '/api/v1/cameras', input);
    expect(created.status).to.equal(201);
    const cam = created.body;
    expect(created.res.headers.get('location')).to.equal(`/api/v1/cameras/${cam.id}`);
    expect(cam).to.deep.include({ kind: 'shopfront', stationId: station.id, transport: 'udp', enrollmentState: 'approved', status: 'unknown', version: 1, credentials: null, gridId: null });
    expect(cam.location).to.deep.equal({ lat: 34.09, lon: 119.35, address: input.location && (input.location as { address: string }).address, coordSystem: 'wgs84' });
    expect(cam.owner).to.deep.equal({ name: 'Wang', phone: '13800000000', userId: null });
    expect(cam.recording).to.deep.equal({ mode: 'off', retentionDays: 7 });

    const got = await w.as.investigator.json('GET', `/api/v1/cameras/${cam.id}`);
    expect(got.status).to.equal(200);
    expect(got.body).to.deep.equal(cam);
    expect(got.res.headers.get('etag')).to.equal('"1"');

    const list = await w.as.investigator.json('GET', `/api/v1/cameras?tag=square&stationId=${station.id}`);
    expect(list.body.items.map((c: { id: string }) => c.id)).to.include(cam.id);

    const patched = await w.as.operator.json('PATCH', `/api/v1/cameras/${cam.id}`, { name: 'Renamed', version: 1, gridId: w.org.grids[0]!.id });
    expect(patched.status).to.equal(200);
    expect(patched.body).to.deep.include({ name: 'Renamed', version: 2, gridId: w.org.grids[0]!.id, kind: 'shopfront' });
    expect(patched.body.location.address).to.equal(cam.location.address);

    const viaIfMatch = await w.as.operator.json('PATCH', `/api/v1/cameras/${cam.id}`, { tags: ['x'] }, { 'If-Match': '"2"' });
    expect(viaIfMatch.status).to.equal(200);
    expect(viaIfMatch.body).to.deep.include({ version: 3, tags: ['x'] });

    const noVersion = await w.as.operator.json('PATCH', `/api/v1/cameras/${cam.id}`, { name: 'y' });
    expect(noVersion.status).to.equal(400);
    expect(noVersion.body.errors[0].field).to.equal('version');

    const del = await w.as.operator.call('DELETE', `/api/v1/cameras/${cam.id}`);
    expect(del.status).to.equal(204);
    expect((await w.as.operator.call('GET', `/api/v1/cameras/${cam.id}`)).status).to.equal(404);

    const audit = await w.srv.ctx.database.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [cam.id]);
    expect(audit.map((a) => a.action)).to.deep.equal(['camera.create', 'camera.update', 'camera.update', 'camera.delete']);
  });

  it('publishes bus events after commit', async () => {
    const seen: string[] = [];
    const offs = (['camera:created', 'camera:updated', 'camera:deleted'] as const).map((e) => w.srv.ctx.bus.subscribe(e, (p) => seen.push(`${e}:${p.id}`)));
    const { body: cam } = await w.as.admin.json('POST', '/api/v1/cameras', cameraInput());
    await w.as.admin.json('PATCH', `/api/v1/cameras/${cam.id}`, { version: 1, name: 'b' });
    await w.as.admin.call('DELETE', `/api/v1/cameras/${cam.id}`);
    offs.forEach((o) => o());
    expect(seen).to.deep.equal([`camera:created:${cam.id}`, `camera:updated:${cam.id}`, `camera:deleted:${cam.id}`]);
  });

  it('rejects invalid input with 400 problem+json naming the fields', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [cameraInput({ location: { lat: 95, lon: 119 } }), 'location.lat'],
      [cameraInput({ kind: 'drone' }), 'kind'],
      [cameraInput({ rtspUrl: 'http://127.0.0.1/stream' }), 'rtspUrl'],
      [cameraInput({ onvifUrl: 'ftp://x/y' }), 'onvifUrl'],
      [cameraInput({ colour: 'red' }), 'colour'],
      [cameraInput({ location: { lat: 34, lon: 119, altitude: 3 } }), 'location'],
      [cameraInput({ stationId: '00000000-0000-4000-8000-000000000000' }), 'stationId'],
      [cameraInput({ gridId: 'not-a-uuid' }), 'gridId'],
    ];
    for (const [body, field] of cases) {
      const r = await w.as.operator.json('POST', '/api/v1/cameras', body);
      expect(r.status, field).to.equal(400);
      expect(r.res.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(r.body.errors.map((e: { field: string }) => e.field), JSON.stringify(r.body.errors)).to.include(field);
    }
    const unknown = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ colour: 'red' }));
    expect(unknown.body.errors[0].message).to.include('colour');
    const badQuery = await w.as.operator.json('GET', '/api/v1/cameras?limit=501');
    expect(badQuery.status).to.equal(400);
    expect(badQuery.body.errors[0].field).to.equal('limit');
    expect((await w.as.operator.json('GET', '/api/v1/cameras?cursor=garbage')).body.errors[0].field).to.equal('cursor');
    expect((await w.as.operator.json('GET', '/api/v1/cameras?bbox=1,2,3')).body.errors[0].field).to.equal('bbox');
  });

  it('answers in the Accept-Language: zh-CN title, detail and field messages, the same field names', async () => {
    const body = cameraInput({ location: { lat: 95, lon: 119 }, kind: 'drone', colour: 'red' });
    const en = await w.as.operator.json('POST', '/api/v1/cameras', body);
    const zh = await w.as.operator.json('POST', '/api/v1/cameras', body, { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect([en.status, zh.status]).to.deep.equal([400, 400]);
    expect(en.res.headers.get('content-language')).to.equal('en');
    expect(en.body.title).to.equal('Validation failed');
    expect(zh.res.headers.get('content-language')).to.equal('zh-CN');
    expect(zh.body).to.include({ title: '校验失败', type: en.body.type, status: 400, instance: en.body.instance });
    expect(zh.body.detail).to.match(/[\u4e00-\u9fff]/);
    type E = { field: string; message: string };
    expect(zh.body.errors.map((e: E) => e.field)).to.deep.equal(en.body.errors.map((e: E) => e.field));
    expect(zh.body.errors.map((e: E) => e.field)).to.include.members(['location.lat', 'kind', 'colour']);
    for (const e of zh.body.errors as E[]) expect(e.message, e.field).to.match(/[\u4e00-\u9fff]/);
  });

  it('paginates with an opaque cursor and filters by kind, enrollment and q', async () => {
    const tag = `page-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await w.as.admin.json('POST', '/api/v1/cameras', cameraInput({ tags: [tag], kind: i % 2 ? 'household' : 'road' }))).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await w.as.admin.json(
        'GET',
        `/api/v1/cameras?tag=${tag}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.body.items.length).to.be.at.most(3);
      seen.push(...r.body.items.map((c) => c.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(ids);
    const households = (await w.as.admin.json('GET', `/api/v1/cameras?tag=${tag}&kind=household`)).body.items;
    expect(households).to.have.length(3);
    expect((await w.as.admin.json('GET', `/api/v1/cameras?tag=${tag}&enrollment=pending`)).body.items).to.have.length(0);
    const named = (await w.as.admin.json('POST', '/api/v1/cameras', cameraInput({ name: 'Xinhua Road 100% Gate', tags: [tag] }))).body;
    const q = (await w.as.admin.json('GET', `/api/v1/cameras?q=${encodeURIComponent('xinhua road 100%')}`)).body.items;
    expect(q.map((c: { id: string }) => c.id)).to.deep.equal([named.id]);
    expect((await w.as.admin.json('GET', `/api/v1/cameras?q=${encodeURIComponent(tag.toUpperCase())}`)).body.items).to.have.length(8);
  });

  it('concurrent PATCHes with the same version: one 200, one 409 with the current version', async () => {
    const { body: cam } = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput());
    const [a, b] = await Promise.all([
      w.as.operator.json('PATCH', `/api/v1/cameras/${cam.id}`, { name: 'A', version: 1 }),
      w.as.admin.json('PATCH', `/api/v1/cameras/${cam.id}`, { name: 'B', version: 1 }),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.res.headers.get('content-type')).to.match(/problem\+json/);
    expect(loser.body.currentVersion).to.equal(2);
    const stale = await w.as.operator.json('PATCH', `/api/v1/cameras/${cam.id}`, { name: 'C', version: 1 });
    expect(stale.status).to.equal(409);
    const gone = await w.as.operator.json('PATCH', '/api/v1/cameras/00000000-0000-4000-8000-000000000000', { name: 'C', version: 1 });
    expect(gone.status).to.equal(404);
  });

  it('enrollment changes by staff, with audit', async () => {
    const { body: cam } = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ enrollmentState: 'pending' }));
    expect(cam.enrollmentState).to.equal('pending');
    const r = await w.as.operator.json('POST', `/api/v1/cameras/${cam.id}/enrollment`, { state: 'suspended', reason: 'tilted' });
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.include({ enrollmentState: 'suspended', enrollmentReason: 'tilted', version: 2 });
    const [a] = await w.srv.ctx.database.query<{ details: { from: string; to: string } }>(`SELECT details FROM audit_log WHERE target_id = $1 AND action = 'camera.enrollment'`, [cam.id]);
    expect(a!.details).to.include({ from: 'pending', to: 'suspended' });
  });

  it('status updates from workers: history, bus event, GET status-history; ingest specs', async () => {
    const { body: cam } = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ credentials: { username: 'u', password: 'ingest-pw' } }));
    const before = await w.as.investigator.json('GET', `/api/v1/cameras/${cam.id}`);
    expect(before.res.headers.get('cache-control')).to.equal('no-store');
    const events: string[] = [];
    const off = w.srv.ctx.bus.subscribe('camera:status', (p) => events.push(`${p.cameraId}:${p.status}`));
    const svc = w.srv.services.cameras;
    expect(await svc.updateStatus(cam.id, 'starting', null, 'w1')).to.equal(true);
    expect(await svc.updateStatus(cam.id, 'live', null, 'w1')).to.equal(true);
    expect(await svc.updateStatus(cam.id, 'live', null, 'w1')).to.equal(false);
    expect(await svc.updateStatus(cam.id, 'auth_failed', '401 from camera', 'w1')).to.equal(true);
    off();
    expect(events).to.deep.equal([`${cam.id}:starting`, `${cam.id}:live`, `${cam.id}:auth_failed`]);
    const got = (await w.as.investigator.json('GET', `/api/v1/cameras/${cam.id}`)).body;
    expect(got).to.include({ status: 'auth_failed', statusCause: '401 from camera' });
    expect(got.statusChangedAt).to.be.a('string');
    // A status change is not an edit (same version) but changes the representation: a client
    // revalidating its copy gets the new status, never 304 with the stale one.
    // (node:http, not fetch: fetch adds Cache-Control: no-cache to conditional requests.)
    const revalidated = await rawGet(`${w.srv.url}/api/v1/cameras/${cam.id}`, { Authorization: `Bearer ${w.as.investigator.token}`, 'If-None-Match': before.res.headers.get('etag')! });
    expect(revalidated.status).to.equal(200);
    expect(JSON.parse(revalidated.body)).to.include({ status: 'auth_failed', version: before.body.version });
    const etag = revalidated.etag!;
    expect(etag).to.not.equal(before.res.headers.get('etag'));
    expect((await rawGet(`${w.srv.url}/api/v1/cameras/${cam.id}`, { Authorization: `Bearer ${w.as.investigator.token}`, 'If-None-Match': etag })).status).to.equal(304);
    // If-Match compares the version part of that tag.
    const renamed = await w.as.operator.json('PATCH', `/api/v1/cameras/${cam.id}`, { name: 'Status-proof' }, { 'If-Match': etag });
    expect(renamed.status).to.equal(200);
    const h1 = await w.as.investigator.json('GET', `/api/v1/cameras/${cam.id}/status-history?limit=2`);
    expect(h1.body.items.map((i: { status: string }) => i.status)).to.deep.equal(['auth_failed', 'live']);
    expect(h1.body.items[0]).to.include({ cause: '401 from camera', workerId: 'w1' });
    const h2 = await w.as.investigator.json('GET', `/api/v1/cameras/${cam.id}/status-history?limit=2&cursor=${h1.body.nextCursor}`);
    expect(h2.body.items.map((i: { status: string }) => i.status)).to.deep.equal(['starting']);
    expect(h2.body.nextCursor).to.equal(null);
    const [spec] = await svc.getIngestSpecs([cam.id]);
    expect(spec!.credentials).to.deep.equal({ username: 'u', password: 'ingest-pw' });
    expect(spec!.liveVideo).to.equal('copy');
  });

  it('live video transcoding is a per-camera setting (H.265 cameras -> H.264 for browsers)', async () => {
    const { status, body: cam } = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ liveVideo: 'h264' }));
    expect(status).to.equal(201);
    expect(cam.liveVideo).to.equal('h264');
    expect((await w.srv.services.cameras.getIngestSpecs([cam.id]))[0]!.liveVideo).to.equal('h264');
    const patched = await w.as.operator.json('PATCH', `/api/v1/cameras/${cam.id}`, { liveVideo: 'copy', version: cam.version });
    expect(patched.body.liveVideo).to.equal('copy');
    const bad = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ liveVideo: 'vp9' }));
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('liveVideo');
  });

  it('OpenAPI document names the camera schemas and paths', async () => {
    const doc = (await (await fetch(`${w.srv.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    for (const s of ['Camera', 'CameraInput', 'CameraPatch', 'CameraList', 'ImportReport', 'Org']) expect(doc.components.schemas).to.have.property(s);
    for (const p of ['/api/v1/cameras', '/api/v1/cameras/{id}', '/api/v1/cameras/import', '/api/v1/cameras/export.csv', '/api/v1/cameras/{id}/enrollment', '/api/v1/cameras/{id}/status-history', '/api/v1/org']) {
      expect(doc.paths).to.have.property(p);
    }
  });
});
