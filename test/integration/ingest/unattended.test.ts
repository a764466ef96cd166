/**
 * Cameras no worker holds any more (their worker died and none took over) must not stay `live`:
 * every Sky Eye process marks them offline (disabled when no longer approved) with the cause,
 * and leaves alone cameras a live worker holds. Runs on both backends; no ffmpeg needed.
 */
import { expect } from 'chai';
import { STATUS_CAUSES } from '@common/causes';
import type { CameraStatusPayload } from '@server/realtime/bus';
import { ATTENDED_STATUSES, markUnattended } from '@server/ingest/unattended';
import { LeaseRepository } from '@server/leases/lease-repository';
import { TEST_BACKEND } from '@test/helpers/database';
import { startTestServer, type TestServer } from '@test/helpers/server';
import { waitFor } from './helpers';

describe(`cameras without an ingest worker are reported offline (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  const LEASE_TTL_MS = 1500;
  let srv: TestServer;

  before(async () => {
    // No ingest in this process: only the statuses and leases written below exist.
    srv = await startTestServer({ ingest: { enabled: false, leaseTtl: `${LEASE_TTL_MS}ms` } });
  });
  after(async () => {
    await srv?.close();
  });

  const q = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => srv.ctx.database.query<T>(text, params);

  async function camera(name: string, enrollment: string, status: string, statusAgeS: number): Promise<string> {
    const [row] = await q<{ id: string }>(
      `INSERT INTO cameras (name, kind, lat, lon, enrollment_state, status, status_changed_at)
       VALUES ($1, 'road', 34.09, 119.35, $2, $3, now() - ($4 || ' seconds')::interval) RETURNING id`,
      [name, enrollment, status, String(statusAgeS)],
    );
    return row!.id;
  }
  const lease = (cameraId: string, workerId: string, expiresInS: number) =>
    q(`INSERT INTO camera_leases (camera_id, worker_id, token, expires_at) VALUES ($1, $2, nextval('camera_lease_token_seq'), now() + ($3 || ' seconds')::interval)`, [
      cameraId,
      workerId,
      String(expiresInS),
    ]);
  const statusOf = async (id: string) => (await q<{ status: string; status_cause: string | null }>('SELECT status, status_cause FROM cameras WHERE id = $1', [id]))[0]!;

  it('marks a dead worker\'s cameras offline with the cause, and leaves held and idle ones alone', async () => {
    const events: CameraStatusPayload[] = [];
    const off = srv.ctx.bus.subscribe('camera:status', (e) => events.push(e));

    const orphaned = await camera('dead worker camera', 'approved', 'live', 30);
    await lease(orphaned, 'worker-that-died', -5);
    const failing = await camera('dead worker, camera was failing', 'approved', 'auth_failed', 30);
    await lease(failing, 'worker-that-died', -5);
    const suspended = await camera('suspended while its worker was down', 'suspended', 'live', 30);
    const held = await camera('held by a live worker', 'approved', 'live', 30);
    await lease(held, 'worker-alive', 60);
    const neverIngested = await camera('approved, never ingested', 'approved', 'unknown', 30);
    const cleanStop = await camera('stopped cleanly', 'approved', 'offline', 30);

    await waitFor(async () => (await statusOf(orphaned)).status === 'offline' && (await statusOf(suspended)).status === 'disabled', 10_000, 'the orphaned cameras to be marked');
    await waitFor(async () => (await statusOf(failing)).status === 'offline', 5_000, 'the failing camera to be marked');
    expect((await statusOf(orphaned)).status_cause, 'a stable phrase').to.equal(STATUS_CAUSES.workerLost);
    expect((await statusOf(suspended)).status_cause).to.match(/not approved/);

    // Another pass or two: the others are left alone.
    await new Promise((r) => setTimeout(r, LEASE_TTL_MS));
    expect((await statusOf(held)).status).to.equal('live');
    expect((await statusOf(neverIngested)).status).to.equal('unknown');
    expect((await statusOf(cleanStop)).status).to.equal('offline');
    off();

    // Every change is in the history (no worker id: the platform said it) and went out on the bus, once.
    const [hist] = await q<{ status: string; worker_id: string | null; detail: string | null }>('SELECT status, worker_id, detail FROM camera_status_history WHERE camera_id = $1 ORDER BY id DESC LIMIT 1', [orphaned]);
    expect(hist).to.deep.equal({ status: 'offline', worker_id: null, detail: 'last worker: worker-that-died' });
    expect(events.filter((e) => e.cameraId === orphaned).map((e) => e.status)).to.deep.equal(['offline']);
    const touched = events.map((e) => e.cameraId);
    expect(touched, 'held by a live worker: left alone').to.not.include(held);
    expect(touched, 'never ingested: left alone').to.not.include(neverIngested);
    expect(touched, 'stopped cleanly: left alone').to.not.include(cleanStop);
  });

  it('a silent holder\'s cameras go offline before its lease expires; a released lease (planned move) is given a grace; dead workers\' rows are pruned', async () => {
    const worker = (id: string, heartbeatAgeS: number) => q(`INSERT INTO ingest_workers (id, heartbeat_at) VALUES ($1, now() - ($2 || ' seconds')::interval)`, [id, String(heartbeatAgeS)]);
    await worker('worker-silent', 30); // SIGKILLed: its heartbeat stopped, its lease runs a while yet
    await worker('worker-fresh', 0);
    await worker('worker-long-dead', 24 * 3600);
    const silent = await camera('holder went silent', 'approved', 'live', 30);
    await lease(silent, 'worker-silent', 60);
    const fresh = await camera('holder heartbeats', 'approved', 'live', 30);
    await lease(fresh, 'worker-fresh', 60);
    const handedBackLong = await camera('released, never taken', 'approved', 'live', 30);
    await lease(handedBackLong, 'worker-fresh', -30);
    await q(`UPDATE camera_leases SET released_at = expires_at WHERE camera_id = $1`, [handedBackLong]);

    await waitFor(async () => (await statusOf(silent)).status === 'offline' && (await statusOf(handedBackLong)).status === 'offline', 10_000, 'the silent holder\'s and the untaken camera to be marked');
    expect((await statusOf(silent)).status_cause).to.equal(STATUS_CAUSES.workerLost);
    expect((await statusOf(handedBackLong)).status_cause).to.equal(STATUS_CAUSES.noWorker);
    expect((await statusOf(fresh)).status).to.equal('live');

    // A lease released just now (a planned move) is not unattended within the grace; past it, it is.
    const handedBack = await camera('released a moment ago', 'approved', 'live', 30);
    await lease(handedBack, 'worker-fresh', -0.05);
    await q(`UPDATE camera_leases SET released_at = expires_at WHERE camera_id = $1`, [handedBack]);
    const repo = new LeaseRepository(srv.ctx.database.db);
    const listed = async (graceMs: number) => (await repo.unattended(ATTENDED_STATUSES, graceMs, 60_000)).map((c) => c.cameraId);
    expect(await listed(60_000), 'within the grace: a takeover is due, not an outage').to.not.include(handedBack);
    expect(await listed(0)).to.include(handedBack);
    const workers = (await q<{ id: string }>('SELECT id FROM ingest_workers ORDER BY id')).map((r) => r.id);
    expect(workers, 'the long-dead worker is pruned').to.deep.equal(['worker-fresh', 'worker-silent']);
  });

  it('a worker that took the camera over in the meantime is never overwritten (checked in the write)', async () => {
    const cam = await camera('taken over', 'approved', 'live', 30);
    await lease(cam, 'worker-new', 60);
    // A pass that listed the camera just before the new worker's lease: the guarded write refuses.
    const marked = await markUnattended({
      leases: { unattended: async () => [{ cameraId: cam, approved: true, lastWorker: 'worker-that-died', released: false }], pruneWorkers: async () => 0 },
      cameras: srv.services.cameras,
      graceMs: 0,
      silentMs: 60_000,
      log: { info() {}, warn() {} },
    });
    expect(marked).to.equal(0);
    expect((await statusOf(cam)).status).to.equal('live');
  });
});
