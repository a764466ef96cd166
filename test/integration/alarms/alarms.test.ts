/**
 * Alarms against a real Sky Eye (role all) and a real simulated camera whose stream is stalled:
 * one alarm per outage after SKYEYE_ALARM_AFTER (3 s here), pushed on socket.io, resolved when the
 * camera returns and kept open until acknowledged (once, with a note, audited); a webhook receiver
 * on 127.0.0.1 gets every event signed, and in order after it was down. (Raise atomicity under
 * parallel callers: visibility.test.ts, which runs on both databases; this file runs on PGlite:
 * its database use is what visibility.test.ts and processes.test.ts cover on PostgreSQL.)
 */
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { startFleet, type Fleet } from '@sim/index';
import { TEST_BACKEND } from '@test/helpers/database';
import { baseOctet, createSite, expectNoIngestFfmpeg, registerSimCamera, type Running, type Site, waitFor, waitStatus } from '../ingest/helpers';
import { startReceiver, type Receiver } from './receiver';
import type { Alarm } from '@common/alarms';

const SECRET = 'webhook-secret-for-the-alarm-test-0123';
const AFTER_MS = 3_000;

/** An alarm as the API answers it. */
type ApiAlarm = Alarm;

describe(`alarms (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let site: Site;
  let app: Running;
  let fleet: Fleet;
  let receiver: Receiver;
  let socket: Socket;
  let id: string;
  const pushed: Array<{ event: string; payload: ApiAlarm }> = [];
  let first: ApiAlarm;

  const alarms = async (state: 'open' | 'all'): Promise<ApiAlarm[]> => {
    const r = await app.api<{ items: ApiAlarm[] }>('GET', `/api/v1/alarms?state=${state}`);
    expect(r.status).to.equal(200);
    return r.body.items.filter((a) => a.cameraId === id);
  };

  before(async function () {
    this.timeout(120_000);
    receiver = await startReceiver();
    site = await createSite();
    app = await site.start({ alarms: { after: `${AFTER_MS}ms`, webhookUrl: receiver.url, webhookSecret: SECRET, webhookRetryMax: '1s' }, ingest: { maxRestartDelay: '2s' } });
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(3), startOnvif: false, startDiscovery: false, withSub: false });
    id = await registerSimCamera(app, fleet.cameras[0]!, { name: 'Alarm camera', kind: 'shopfront' });
    await waitStatus(app, id, 'live', 60_000); // the shared test machine can be slow to start ffmpeg
    socket = connect(app.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, auth: { token: app.token } });
    socket.onAny((event: string, payload: ApiAlarm) => {
      if (event.startsWith('alarm:')) pushed.push({ event, payload });
    });
    await waitFor(() => socket.connected, 5_000, 'socket.io connected');
  });

  after(async function () {
    this.timeout(30_000);
    socket?.disconnect();
    await app?.stop();
    await expectNoIngestFfmpeg();
    await fleet?.stop();
    await site?.drop();
    await receiver?.close();
  });

  it('a stalled camera raises exactly one alarm after SKYEYE_ALARM_AFTER, pushed on socket.io and to the webhook', async () => {
    expect(await alarms('all'), 'no alarm while the camera started').to.have.length(0);
    const before = Date.now();
    fleet.cameras[0]!.setFault('stall');
    first = await waitFor(async () => (await alarms('open'))[0], 30_000, 'an open alarm for the stalled camera');
    expect(first.kind).to.be.oneOf(['stalled', 'offline']);
    expect(Date.parse(first.raisedAt) - Date.parse(first.since)).to.equal(AFTER_MS);
    expect(Date.parse(first.since)).to.be.within(before - 2_000, Date.now());
    // since is the first trouble status of the outage in the status history
    const hist = (await app.api('GET', `/api/v1/cameras/${id}/status-history?limit=50`)).body.items as Array<{ status: string; at: string }>;
    const at = hist.find((h) => Date.parse(h.at) === Date.parse(first.since));
    expect(at?.status, 'history row at since').to.be.oneOf(['stalled', 'reconnecting', 'offline', 'starting']);
    // more evaluator passes raise nothing more
    const runs = () => app.loops.stats().find((l) => l.name === 'alarms.evaluate')!.runs;
    const r0 = runs();
    await waitFor(() => runs() >= r0 + 3, 20_000, '3 more evaluator passes');
    expect(await alarms('all')).to.have.length(1);
    await waitFor(() => pushed.some((p) => p.event === 'alarm:raised' && p.payload.id === first.id), 5_000, 'alarm:raised on socket.io');
    expect(pushed.filter((p) => p.event === 'alarm:raised')).to.have.length(1);
    const hook = await waitFor(() => receiver.got.find((g) => g.json.type === 'alarm.raised' && g.json.alarm.id === first.id), 10_000, 'alarm.raised at the webhook');
    expect(hook.headers['x-skyeye-signature']).to.equal(`sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
  });

  it('the camera returning resolves it, and it stays open until acknowledged', async () => {
    fleet.cameras[0]!.clearFault();
    await waitStatus(app, id, 'live', 25_000);
    const resolved = await waitFor(async () => (await alarms('open')).find((a) => a.id === first.id && a.resolvedAt), 15_000, 'the alarm resolved');
    expect(resolved.acknowledgedAt).to.equal(null);
    await waitFor(() => pushed.some((p) => p.event === 'alarm:updated' && p.payload.id === first.id && p.payload.resolvedAt), 5_000, 'alarm:updated (resolved) on socket.io');
  });

  it('parallel acknowledgements: exactly one succeeds, with its note and one audit row; bad notes are named', async () => {
    const bad = await app.api('POST', `/api/v1/alarms/${first.id}/ack`, { note: 42 });
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.errors)).to.include('note');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => app.api('POST', `/api/v1/alarms/${first.id}/ack`, { note: `checked on site ${i}` })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok, 'one 200').to.have.length(1);
    expect(results.filter((r) => r.status === 409)).to.have.length(5);
    const acked = ok[0]!.body as ApiAlarm;
    expect(acked.note).to.match(/^checked on site \d$/);
    expect(acked.acknowledgedBy).to.equal('admin');
    expect(await alarms('open')).to.have.length(0);
    const all = await alarms('all');
    expect(all.map((a) => a.note)).to.deep.equal([acked.note]);
    const audit = (await app.api('GET', `/api/v1/audit?action=alarm.acknowledge&targetId=${first.id}`)).body.items as Array<{ actorName: string; details: { note: string } }>;
    expect(audit).to.have.length(1);
    expect(audit[0]!.actorName).to.equal('admin');
    expect(audit[0]!.details.note).to.equal(acked.note);
    await waitFor(() => pushed.some((p) => p.event === 'alarm:updated' && p.payload.id === first.id && p.payload.acknowledgedAt), 5_000, 'alarm:updated (acknowledged)');
    expect((await app.api('POST', '/api/v1/alarms/not-an-id/ack', {})).status).to.equal(404);
  });

  it('a webhook receiver that was down gets every event once it is back, in order, each signed; the secret is never logged', async () => {
    await receiver.down();
    const seen = new Set((await alarms('all')).map((a) => a.id));
    fleet.cameras[0]!.setFault('stall');
    const second = await waitFor(async () => (await alarms('open')).find((a) => !seen.has(a.id) && a.kind !== 'recording_gap'), 30_000, 'a second alarm');
    expect((await app.api('POST', `/api/v1/alarms/${second.id}/ack`, { note: 'seen while the receiver was down' })).status).to.equal(200);
    fleet.cameras[0]!.clearFault();
    const pending = () => app.ctx.database.query<{ id: string; attempts: number; last_error: string | null }>('SELECT id::text AS id, attempts, last_error FROM alarm_outbox WHERE delivered_at IS NULL ORDER BY id');
    await waitFor(async () => {
      const p = await pending();
      return p.length >= 2 && p[0]!.attempts >= 2;
    }, 20_000, 'failed delivery attempts while the receiver is down');
    const failed = (await pending())[0]!;
    expect(failed.last_error).to.be.a('string');
    const got0 = receiver.got.length;
    await receiver.up();
    await waitFor(async () => (await pending()).length === 0, 20_000, 'the outbox delivered');
    const outbox = await app.ctx.database.query<{ id: string; event: string; alarm_id: string }>('SELECT id::text AS id, event, alarm_id FROM alarm_outbox ORDER BY id');
    const delivered = receiver.got.map((g) => String(g.headers['x-skyeye-delivery']));
    expect([...new Set(delivered)], 'every event, in order').to.deep.equal(outbox.map((o) => o.id));
    const late = receiver.got.slice(got0);
    expect(late.map((g) => `${g.json.type}:${g.json.alarm.id}`)).to.include.members([`alarm.raised:${second.id}`, `alarm.acknowledged:${second.id}`]);
    for (const g of receiver.got) {
      expect(g.headers['x-skyeye-signature']).to.equal(`sha256=${createHmac('sha256', SECRET).update(g.body).digest('hex')}`);
      expect(g.json.id).to.equal(g.headers['x-skyeye-delivery']);
    }
    expect(app.logs()).not.to.include(SECRET);
    expect(app.logs()).to.include('alarm webhook delivery failed');
  });
});
