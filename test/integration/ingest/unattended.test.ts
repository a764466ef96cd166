/**
 * Cameras no worker holds any more (their worker died and none took over) must not stay `live`:
 * every Sky Eye process marks them offline (disabled when no longer approved) with the cause,
 * and leaves alone cameras a live worker holds. Runs on both backends; no ffmpeg needed.
 */
import { expect } from 'chai';
import type { CameraStatusPayload } from '@server/realtime/bus';
import { markUnattended } from '@server/ingest/unattended';
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
    expect((await statusOf(orphaned)).status_cause).to.match(/worker-that-died stopped renewing its lease/);
    expect((await statusOf(suspended)).status_cause).to.match(/not approved/);

    // Another pass or two: the others are left alone.
    await new Promise((r) => setTimeout(r, LEASE_TTL_MS));
    expect((await statusOf(held)).status).to.equal('live');
    expect((await statusOf(neverIngested)).status).to.equal('unknown');
    expect((await statusOf(cleanStop)).status).to.equal('offline');
    off();

    // Every change is in the history (no worker id: the platform said it) and went out on the bus, once.
    const [hist] = await q<{ status: string; worker_id: string | null }>('SELECT status, worker_id FROM camera_status_history WHERE camera_id = $1 ORDER BY id DESC LIMIT 1', [orphaned]);
    expect(hist).to.deep.equal({ status: 'offline', worker_id: null });
    expect(events.filter((e) => e.cameraId === orphaned).map((e) => e.status)).to.deep.equal(['offline']);
    expect(events.map((e) => e.cameraId)).to.not.include.members([held, neverIngested, cleanStop]);
  });

  it('a worker that took the camera over in the meantime is never overwritten (checked in the write)', async () => {
    const cam = await camera('taken over', 'approved', 'live', 30);
    await lease(cam, 'worker-new', 60);
    // A pass that listed the camera just before the new worker's lease: the guarded write refuses.
    const marked = await markUnattended({
      leases: { unattended: async () => [{ cameraId: cam, approved: true, lastWorker: 'worker-that-died' }] },
      cameras: srv.services.cameras,
      graceMs: 0,
      log: { info() {}, warn() {} },
    });
    expect(marked).to.equal(0);
    expect((await statusOf(cam)).status).to.equal('live');
  });
});
