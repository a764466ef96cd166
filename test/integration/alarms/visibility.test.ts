/**
 * Alarms without ingest (statuses written the way a worker writes them): an outage that began
 * before this process started is raised with its true since/raisedAt, once, and a restart raises
 * nothing more; merchants see only their own cameras' alarms (without note or name) and cannot
 * acknowledge; investigators see all but cannot acknowledge; operators can. An outage across many
 * cameras is raised and resolved in bulk and announced as one summary; parallel raisers of one
 * outage insert one alarm (real concurrency on PostgreSQL).
 */
import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import { TEST_BACKEND } from '@test/helpers/database';
import { createSite, type Running, type Site, waitFor } from '../ingest/helpers';
import type { Alarm } from '@common/alarms';

/** An alarm as the API answers it. */
type ApiAlarm = Alarm;

const OVERRIDES = { ingest: { enabled: false }, alarms: { after: '1s' }, archive: { gapAlert: '2s' } };

describe(`alarms: restart and visibility (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let site: Site;
  let app: Running;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let shopCam = '';
  let roadCam = '';
  let offlineAt = '';
  let recorderCam = '';

  const as = async <T = any>(who: string, method: string, path: string, body?: unknown) => {
    const r = await fetch(`${app.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const list = async (who: string, state: 'open' | 'all' = 'all') => (await as<{ items: ApiAlarm[] }>(who, 'GET', `/api/v1/alarms?state=${state}`)).body.items;

  before(async function () {
    this.timeout(60_000);
    site = await createSite();
    app = await site.start(OVERRIDES);
    tokens.admin = app.token;
    for (const [name, role] of [['operator', 'operator'], ['investigator', 'investigator'], ['merchant', 'merchant'], ['merchant2', 'merchant']] as const) {
      const password = `${name}-Pass-word-1`;
      const created = await app.api('POST', '/api/v1/users', { username: name, password, role, displayName: name });
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([200, 201]);
      ids[name] = created.body.id as string;
      const res = await fetch(`${app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: name, password }) });
      tokens[name] = ((await res.json()) as { token: string }).token;
    }
    const cam = async (name: string, kind: string) => {
      const r = await app.api('POST', '/api/v1/cameras', { name, kind, location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:9/none', enrollmentState: 'approved' });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      return r.body.id as string;
    };
    shopCam = await cam('Shop door', 'shopfront');
    roadCam = await cam('Crossroads', 'road');
    const db = app.ctx.database;
    await db.query('UPDATE cameras SET owner_user_id = $1 WHERE id = $2', [ids.merchant, shopCam]);
    // Down for 10 minutes already, as a worker writes it (status + history row).
    for (const id of [shopCam, roadCam]) {
      await db.query(`INSERT INTO camera_status_history (camera_id, status, cause, at) VALUES ($1, 'live', NULL, now() - interval '20 minutes')`, [id]);
      await db.query(`INSERT INTO camera_status_history (camera_id, status, cause, at) VALUES ($1, 'reconnecting', 'connection closed', now() - interval '10 minutes')`, [id]);
      await db.query(`INSERT INTO camera_status_history (camera_id, status, cause, at) VALUES ($1, 'starting', NULL, now() - interval '9 minutes')`, [id]);
      await db.query(`INSERT INTO camera_status_history (camera_id, status, cause, at) VALUES ($1, 'unreachable', 'connection refused', now() - interval '8 minutes')`, [id]);
      await db.query(`UPDATE cameras SET status = 'starting', status_changed_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    }
    // Live for 10 minutes, yet nothing recorded: a recording gap no camera alarm covers.
    recorderCam = await cam('Recorder room', 'road');
    await db.query(`INSERT INTO camera_status_history (camera_id, status, cause, at) VALUES ($1, 'live', NULL, now() - interval '10 minutes')`, [recorderCam]);
    await db.query(`UPDATE cameras SET status = 'live', status_changed_at = now() - interval '10 minutes', created_at = now() - interval '11 minutes' WHERE id = $1`, [recorderCam]);
    // A worker holds it (so the unattended watch leaves its live status alone).
    await db.query(`INSERT INTO camera_leases (camera_id, worker_id, token, expires_at) VALUES ($1, 'test-worker', 1, now() + interval '1 hour')`, [recorderCam]);
    const [row] = await db.query<{ at: Date | string }>(`SELECT at FROM camera_status_history WHERE camera_id = $1 AND status = 'reconnecting'`, [roadCam]);
    offlineAt = new Date(row!.at).toISOString();
  });

  after(async function () {
    this.timeout(30_000);
    await app?.stop();
    await site?.drop();
  });

  it('an outage older than this process is raised with its true since and raisedAt, once, and not again after a restart', async () => {
    const alarms = await waitFor(async () => {
      const l = (await list('admin')).filter((a) => (a.cameraId === shopCam || a.cameraId === roadCam) && a.kind !== 'recording_gap');
      return l.length === 2 ? l : null;
    }, 20_000, 'alarms for both cameras');
    for (const a of alarms) {
      // the latest failure in the outage: unreachable, or offline once the unattended watch (no ingest here) wrote it
      expect(a.kind).to.be.oneOf(['unreachable', 'offline']);
      if (a.cameraId === roadCam) expect(a.since).to.equal(offlineAt);
      expect(Date.parse(a.raisedAt) - Date.parse(a.since)).to.equal(1_000);
    }
    await app.stop();
    app = await site.start(OVERRIDES);
    const runs = () => app.loops.stats().find((l) => l.name === 'alarms.evaluate')!.runs;
    await waitFor(() => runs() >= 4, 20_000, 'evaluator passes after the restart (past its start-up grace)');
    const after = (await list('admin')).filter((a) => (a.cameraId === shopCam || a.cameraId === roadCam) && a.kind !== 'recording_gap');
    expect(after.map((a) => a.id).sort()).to.deep.equal(alarms.map((a) => a.id).sort());
  });

  it('a recording gap from the continuity ledger is an alarm too (raised at since + archive.gapAlert)', async () => {
    const gap = await waitFor(async () => (await list('admin')).find((a) => a.cameraId === recorderCam && a.kind === 'recording_gap'), 20_000, 'a recording_gap alarm');
    expect((await list('admin')).filter((a) => a.cameraId === recorderCam), 'no camera alarm for a live camera').to.have.length(1);
    expect(Date.parse(gap.raisedAt) - Date.parse(gap.since)).to.equal(2_000);
    const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).to.include.members(['/api/v1/alarms', '/api/v1/alarms/{id}/ack']);
  });

  it('merchants see their own cameras only and cannot acknowledge; investigators see all and cannot; operators can, with a note', async () => {
    const shop = (await list('admin')).find((a) => a.cameraId === shopCam && a.kind !== 'recording_gap')!;
    const road = (await list('admin')).find((a) => a.cameraId === roadCam && a.kind !== 'recording_gap')!;
    const shopAll = (await list('admin')).filter((a) => a.cameraId === shopCam).map((a) => a.id);
    expect((await list('merchant')).map((a) => a.id).sort()).to.deep.equal(shopAll.sort());
    expect(await list('merchant2')).to.deep.equal([]);
    expect((await list('investigator')).map((a) => a.id)).to.include.members([shop.id, road.id]);
    expect((await as('merchant', 'POST', `/api/v1/alarms/${shop.id}/ack`, { note: 'mine' })).status).to.equal(403);
    expect((await as('merchant', 'POST', `/api/v1/alarms/${road.id}/ack`, {})).status).to.equal(404);
    expect((await as('investigator', 'POST', `/api/v1/alarms/${road.id}/ack`, {})).status).to.equal(403);
    const acked = await as<ApiAlarm>('operator', 'POST', `/api/v1/alarms/${shop.id}/ack`, { note: 'owner called, power cut' });
    expect(acked.status).to.equal(200);
    expect(acked.body.acknowledgedBy).to.equal('operator');
    const merchantView = (await list('merchant')).find((a) => a.id === shop.id)!;
    expect(merchantView.acknowledgedAt).to.be.a('string');
    expect(merchantView.note).to.equal(null);
    expect(merchantView.acknowledgedBy).to.equal(null);
    expect((await list('merchant', 'open')).map((a) => a.id)).to.not.include(shop.id);
    expect((await list('admin', 'open')).map((a) => a.id)).to.include(road.id).and.not.include(shop.id);
    expect((await as('merchant', 'GET', '/api/v1/alarms?state=closed')).status).to.equal(400);
  });

  it('a camera that is back resolves its alarm, which stays open until acknowledged', async () => {
    const db = app.ctx.database;
    await db.query(`INSERT INTO camera_status_history (camera_id, status, cause) VALUES ($1, 'live', NULL)`, [roadCam]);
    await db.query(`UPDATE cameras SET status = 'live', status_changed_at = now() WHERE id = $1`, [roadCam]);
    const road = await waitFor(async () => (await list('admin', 'open')).find((a) => a.cameraId === roadCam && a.kind !== 'recording_gap' && a.resolvedAt), 15_000, 'the alarm resolved');
    expect(road.acknowledgedAt).to.equal(null);
  });

  it('an outage across many cameras: raised and resolved in bulk, one alarms:changed per change to staff, each merchant only its own count', async () => {
    const N = 25;
    const OWNED = 5;
    const events: Record<string, Array<{ event: string; payload: any }>> = { admin: [], merchant: [] };
    const sockets = Object.keys(events).map((who) => {
      const s = connect(app.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, auth: { token: tokens[who] } });
      s.onAny((event: string, payload: unknown) => events[who]!.push({ event, payload }));
      return s;
    });
    const db = app.ctx.database;
    let cams: string[] = [];
    try {
      await waitFor(() => sockets.every((s) => s.connected), 5_000, 'sockets connected');
      // The other cameras' alarms and gaps first (this test run alone: they come in the first passes,
      // the gaps once the unattended watch has marked the starting cameras offline).
      const runs = (name: string) => app.loops.stats().find((l) => l.name === name)!.runs;
      await waitFor(() => runs('alarms.evaluate') >= 4, 20_000, 'evaluator passes past the start-up grace');
      await waitFor(async () => (await db.query(`SELECT id FROM cameras WHERE id = ANY($1::uuid[]) AND status = 'offline'`, [[shopCam, roadCam]])).length === 2, 20_000, 'the other cameras offline');
      const gapRuns = runs('ledger.gap-alert');
      await waitFor(() => runs('ledger.gap-alert') >= gapRuns + 2, 20_000, 'two gap checks since');
      const rows = Array.from({ length: N }, (_, i) => ({ name: `Outage ${i}`, kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:9/none' }));
      const imported = await app.api('POST', '/api/v1/cameras/import', rows);
      expect(imported.body, JSON.stringify(imported.body)).to.include({ created: N, failed: 0 });
      cams = (await db.query<{ id: string }>(`SELECT id FROM cameras WHERE name LIKE 'Outage %' ORDER BY name`)).map((r) => r.id);
      await db.query(`UPDATE cameras SET owner_user_id = $2 WHERE id = ANY($1::uuid[])`, [cams.slice(0, OWNED), ids.merchant]);
      // All down at once (one statement each, as a county-wide network failure reaches the database),
      // since their creation, as their worker saw it: their recording gaps are the outage's
      // (camera_offline, no alarm of their own).
      await db.query(`INSERT INTO camera_status_history (camera_id, status, cause, at, worker_id) SELECT id, 'offline', 'no route to host', now() - interval '6 minutes', 'worker-1' FROM cameras WHERE id = ANY($1::uuid[])`, [cams]);
      // Approved and recording in the same statement: no check sees them in between.
      await db.query(
        `UPDATE cameras SET enrollment_state = 'approved', recording_mode = 'continuous', status = 'offline', status_changed_at = now() - interval '6 minutes', created_at = now() - interval '6 minutes' WHERE id = ANY($1::uuid[])`,
        [cams],
      );
      const changed = (who: string, change: string) => events[who]!.filter((e) => e.event === 'alarms:changed' && e.payload.change === change).map((e) => e.payload.count as number);
      await waitFor(() => changed('admin', 'raised').length > 0 && changed('merchant', 'raised').length > 0, 20_000, 'alarms:changed (raised)');
      const open = (await list('admin', 'open')).filter((a) => cams.includes(a.cameraId));
      expect(open, 'one alarm per camera').to.have.length(N);
      expect(changed('admin', 'raised'), 'one summary for all').to.deep.equal([N]);
      expect(changed('merchant', 'raised'), "the merchant's own only").to.deep.equal([OWNED]);
      const perAlarm = (who: string) => events[who]!.filter((e) => e.event.startsWith('alarm:') && cams.includes(e.payload.cameraId));
      expect(perAlarm('admin'), 'no event per alarm').to.deep.equal([]);
      expect(perAlarm('merchant')).to.deep.equal([]);
      // Their recording gaps (nothing recorded for 6 minutes) opened in one check: one summary too.
      const gaps = (who: string) => events[who]!.filter((e) => e.event === 'recording:gaps' && e.payload.state === 'open').map((e) => e.payload.count as number);
      await waitFor(() => gaps('admin').length > 0 && gaps('merchant').length > 0, 20_000, 'recording:gaps (open)');
      expect(gaps('admin')).to.deep.equal([N]);
      expect(gaps('merchant')).to.deep.equal([OWNED]);
      expect(events.admin!.filter((e) => e.event === 'recording:gap' && cams.includes(e.payload.cameraId))).to.deep.equal([]);
      // Back at once: resolved in bulk, announced once.
      await db.query(`INSERT INTO camera_status_history (camera_id, status, cause) SELECT id, 'live', NULL FROM cameras WHERE id = ANY($1::uuid[])`, [cams]);
      await db.query(`UPDATE cameras SET status = 'live', status_changed_at = now() WHERE id = ANY($1::uuid[])`, [cams]);
      await waitFor(() => changed('admin', 'resolved').length > 0, 20_000, 'alarms:changed (resolved)');
      expect(changed('admin', 'resolved')).to.deep.equal([N]);
      const after = (await list('admin', 'open')).filter((a) => cams.includes(a.cameraId) && a.kind !== 'recording_gap');
      expect(after.filter((a) => a.resolvedAt), 'all resolved, still listed until acknowledged').to.have.length(N);
      expect(perAlarm('admin')).to.deep.equal([]);
    } finally {
      sockets.forEach((s) => s.disconnect());
      await db.query('DELETE FROM cameras WHERE id = ANY($1::uuid[])', [cams]);
    }
  });

  it('raise is atomic: parallel raisers of one outage insert one alarm; a resolved outage is never raised again', async () => {
    const r = await app.api('POST', '/api/v1/cameras', { name: 'Atomic', kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:9/none' });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const id = r.body.id as string;
    const since = new Date(Date.now() - 60_000);
    const outage = { cameraId: id, family: 'status' as const, kind: 'offline' as const, since, raisedAt: new Date(since.getTime() + 1_000), cause: null };
    const svc = app.services.alarms.service;
    const raised = (await Promise.all(Array.from({ length: 8 }, () => svc.raise(outage)))).filter(Boolean);
    expect(raised).to.have.length(1);
    await svc.resolve(raised[0]!.id); // (or the evaluator did: the camera is not down)
    expect(await svc.raise(outage)).to.equal(null);
    const rows = await app.ctx.database.query<{ n: string }>('SELECT count(*) AS n FROM alarms WHERE camera_id = $1 AND since = $2', [id, since.toISOString()]);
    expect(Number(rows[0]!.n)).to.equal(1);
  });

  it('the webhook outbox head is held by one process at a time, and the next event waits behind it', async () => {
    const repo = app.services.alarms.repo;
    const db = app.ctx.database.db;
    const shop = (await list('admin')).find((a) => a.cameraId === shopCam)!;
    await repo.enqueue(db, [
      { alarmId: shop.id, event: 'alarm.raised', payload: { n: 1 } },
      { alarmId: shop.id, event: 'alarm.acknowledged', payload: { n: 2 } },
    ]);
    const claims = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((h) => repo.claimHead(h, 60_000)));
    const won = claims.filter((c) => c !== null);
    expect(won, 'one holder').to.have.length(1);
    expect(won[0]!.event).to.equal('alarm.raised');
    const holder = ['p1', 'p2', 'p3', 'p4'][claims.findIndex((c) => c !== null)]!;
    await repo.failed(won[0]!.id, holder, 60_000, 'HTTP 503');
    expect(await repo.claimHead('p5', 60_000), 'the second event waits behind the failed first').to.equal(null);
    await app.ctx.database.query('UPDATE alarm_outbox SET next_attempt_at = now()');
    const again = await repo.claimHead('p5', 60_000);
    expect(again?.id).to.equal(won[0]!.id);
    expect(again?.attempts).to.equal(2);
    await repo.delivered(again!.id, 'p5');
    expect((await repo.claimHead('p6', 60_000))?.event).to.equal('alarm.acknowledged');
  });
});
