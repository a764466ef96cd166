/**
 * Two api processes on one PostgreSQL: both evaluate alarms and both deliver the webhook, yet an
 * outage raises one alarm, parallel acknowledgements through both processes give one 200 and one
 * audit row, and the receiver gets each event once, in order. PostgreSQL only (PGlite is one process).
 */
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { client, login, type Client } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '@test/helpers/server';
import { cameraInput } from '../cameras/helpers';
import { waitFor } from '../ingest/helpers';
import { startReceiver, type Receiver } from './receiver';

const SECRET = 'two-process-webhook-secret-0123456789';

describe(`alarms across api processes (${TEST_BACKEND})`, function () {
  this.timeout(90_000);
  const servers: TestServer[] = [];
  let receiver: Receiver;

  before(function () {
    if (TEST_BACKEND !== 'postgres') this.skip(); // runs in the PostgreSQL pass
  });
  after(async () => {
    for (const s of servers.reverse()) await s.close();
    await receiver?.close();
  });

  it('one alarm per outage, one acknowledgement, each webhook event once and in order', async () => {
    receiver = await startReceiver();
    const alarms = { after: '1s', webhookUrl: receiver.url, webhookSecret: SECRET };
    const a = await startTestServer({ role: 'api', alarms });
    servers.push(a);
    const b = await startTestServer({ role: 'api', alarms, database: { url: a.ctx.config.database.url } });
    servers.push(b);
    const viaA: Client = client(a, await login(a, 'admin', TEST_ADMIN_PASSWORD), '');
    const viaB: Client = client(b, await login(b, 'admin', TEST_ADMIN_PASSWORD), '');
    const created = await viaA.json('POST', '/api/v1/cameras', cameraInput({ enrollmentState: 'approved' }));
    expect(created.status).to.equal(201);
    const id = created.body.id as string;
    // Down for 5 minutes, as a worker writes it.
    const db = a.ctx.database;
    await db.query(`INSERT INTO camera_status_history (camera_id, status, cause, at) VALUES ($1, 'offline', 'connection timed out', now() - interval '5 minutes')`, [id]);
    await db.query(`UPDATE cameras SET status = 'offline', status_changed_at = now() - interval '5 minutes' WHERE id = $1`, [id]);

    const passes = (s: TestServer) => s.loops.stats().find((l) => l.name === 'alarms.evaluate')!.runs;
    const [pa, pb] = [passes(a), passes(b)];
    const alarm = await waitFor(async () => ((await viaB.json('GET', '/api/v1/alarms')).body.items as Array<{ id: string; cameraId: string }>).find((x) => x.cameraId === id), 20_000, 'the alarm');
    await waitFor(() => passes(a) >= pa + 4 && passes(b) >= pb + 4, 30_000, 'more passes in both processes');
    const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM alarms WHERE camera_id = $1', [id]);
    expect(Number(rows[0]!.n), 'one alarm for the outage').to.equal(1);

    const acks = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? viaA : viaB).json('POST', `/api/v1/alarms/${alarm.id}/ack`, { note: `ack ${i}` })));
    expect(acks.filter((r) => r.status === 200)).to.have.length(1);
    expect(acks.filter((r) => r.status === 409)).to.have.length(7);
    const audit = await db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'alarm.acknowledge' AND target_id = $1`, [alarm.id]);
    expect(Number(audit[0]!.n)).to.equal(1);

    await waitFor(async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM alarm_outbox WHERE delivered_at IS NULL'))[0]!.n) === 0 && receiver.got.length >= 2, 20_000, 'the outbox delivered');
    const outbox = await db.query<{ id: string }>('SELECT id::text AS id FROM alarm_outbox ORDER BY id');
    const delivered = receiver.got.map((g) => String(g.headers['x-skyeye-delivery']));
    expect(delivered, 'each event once, in order').to.deep.equal(outbox.map((o) => o.id));
    expect(receiver.got.map((g) => g.json.type)).to.deep.equal(['alarm.raised', 'alarm.acknowledged']);
    for (const g of receiver.got) expect(g.headers['x-skyeye-signature']).to.equal(`sha256=${createHmac('sha256', SECRET).update(g.body).digest('hex')}`);
  });
});
