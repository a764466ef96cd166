/**
 * Handover between real worker processes (issue 13), PostgreSQL only (processes share one
 * database). Worker A and C are child processes (server/main.ts), B runs in this process, the api
 * too. A rebalance and a graceful stop (SIGTERM) are planned moves: the camera changes hands at
 * once and no `offline` is written. A SIGKILL is an outage: the camera is reported `offline` with
 * the cause while the dead holder's lease runs out, the api answers live HLS with 503 +
 * Retry-After meanwhile (not 500), and the lease moves at its expiry. Never two ingests of one
 * camera at once (the camera's own record of PLAY sessions).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { STATUS_CAUSES } from '@common/causes';
import { startSkyEye, type SkyEye } from '@server/start';
import { startFleet, type Fleet } from '@sim/index';
import { maxConcurrentPlays } from '@sim/rtsp/server';
import { TEST_BACKEND } from '@test/helpers/database';
import { logCapture, testConfig } from '@test/helpers/server';
import { baseOctet, createSite, registerSimCamera, spawnWorkerProcess, waitFor, waitStatus, type Running, type Site } from './helpers';

(TEST_BACKEND === 'postgres' ? describe : describe.skip)('lease handover between worker processes: planned moves and a crash (postgres)', function () {
  this.timeout(240_000);
  const LEASE_TTL_MS = 3000;
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const shared = { security: { credentialKeys: keys }, live: { playbackTokenSecret: randomBytes(24).toString('hex') }, ingest: { leaseTtl: `${LEASE_TTL_MS}ms` } };
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  let fleet: Fleet;
  let site: Site;
  let api: Running;
  let b: SkyEye | undefined;
  const bLogs = logCapture();

  before(async () => {
    fleet = await startFleet({ cameras: 3, baseOctet: baseOctet(9), startOnvif: false, startDiscovery: false, withSub: false });
    site = await createSite();
    api = await site.start({ role: 'api', ...shared });
  });
  after(async function () {
    this.timeout(40_000);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await b?.stop();
    await api?.stop();
    await fleet?.stop();
    await site?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const q = <T>(text: string, params: unknown[] = []) => api.ctx.database.query<T>(text, params);
  const holder = async (cameraId: string) => (await q<{ worker_id: string }>('SELECT worker_id FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [cameraId]))[0]?.worker_id ?? null;
  const historySince = async (cameraId: string, since: Date) =>
    q<{ status: string; cause: string | null }>('SELECT status, cause FROM camera_status_history WHERE camera_id = $1 AND at >= $2 ORDER BY id', [cameraId, since]);

  /** A worker as its own process; resolves with its worker id once it has registered. */
  async function spawnWorker(name: string): Promise<{ proc: ChildProcess; id: string; exited: Promise<number | null> }> {
    const dir = mkdtempSync(join(tmpdir(), `skyeye-handover-${name}-`));
    dirs.push(dir);
    const proc = spawnWorkerProcess({ dataDir: dir, databaseUrl: site.scratch.url!, leaseTtlMs: LEASE_TTL_MS, credentialKeys: keys, playbackSecret: shared.live.playbackTokenSecret });
    children.push(proc);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const id = await waitFor(async () => (await q<{ id: string }>('SELECT id FROM ingest_workers WHERE id LIKE $1', [`%-${proc.pid}-%`]))[0]?.id, 60_000, `worker ${name} to register`);
    return { proc, id, exited };
  }

  it('rebalance and SIGTERM hand cameras over with no offline; SIGKILL: offline with cause, 503 + Retry-After, takeover at lease expiry', async () => {
    const a = await spawnWorker('a');
    const cams: string[] = [];
    for (const [i, cam] of fleet.cameras.entries()) cams.push(await registerSimCamera(api, cam, { name: `Handover ${i}` }));
    for (const id of cams) await waitStatus(api, id, 'live', 60_000);
    expect(await Promise.all(cams.map(holder))).to.deep.equal([a.id, a.id, a.id]);

    // B joins (share 2): A hands one camera over (a planned move).
    const joinedAt = new Date(Date.now() - 1000);
    const dirB = mkdtempSync(join(tmpdir(), 'skyeye-handover-b-'));
    dirs.push(dirB);
    b = await startSkyEye(testConfig(dirB, site.scratch.url, { role: 'worker', ...shared }), { logDestination: bLogs.sink });
    const moved = await waitFor(async () => {
      for (const id of cams) if ((await holder(id)) === b!.ctx.instanceId) return id;
      return null;
    }, 30_000, 'B to take its share');
    await waitStatus(api, moved, 'live', 40_000);
    expect((await historySince(moved, joinedAt)).map((h) => h.status), 'a rebalance is not an outage').to.not.include('offline');

    // C joins (share 1): A hands another over. Then C stops gracefully: A or B takes it at once, no offline.
    const c = await spawnWorker('c');
    const atC = await waitFor(async () => {
      for (const id of cams) if ((await holder(id)) === c.id) return id;
      return null;
    }, 40_000, 'C to take its share');
    await waitStatus(api, atC, 'live', 40_000);
    const termAt = new Date(Date.now() - 500);
    c.proc.kill('SIGTERM');
    expect(await c.exited, 'C stops cleanly').to.equal(0);
    await waitFor(async () => (await holder(atC)) !== null && (await holder(atC)) !== c.id, LEASE_TTL_MS + 5000, 'a worker to take over from C');
    await waitStatus(api, atC, 'live', 40_000);
    expect((await historySince(atC, termAt)).map((h) => h.status), 'a graceful stop is not an outage').to.not.include('offline');

    // A crashes. Its camera is reported offline with the cause, the api answers 503 + Retry-After
    // (the holder is dead, its lease not expired yet), and another worker takes the lease.
    const atA = await waitFor(async () => {
      for (const id of cams) if ((await holder(id)) === a.id) return id;
      return null;
    }, 5000, 'a camera at A');
    const { hls } = (await api.api('GET', `/api/v1/cameras/${atA}/live`)).body as { hls: string };
    a.proc.kill('SIGKILL');
    const during = await fetch(hls);
    expect(during.status, 'no live holder: try again').to.equal(503);
    expect(during.headers.get('retry-after')).to.match(/^\d+$/);
    const offline = await waitStatus(api, atA, 'offline', LEASE_TTL_MS + 5000);
    expect(offline.statusCause).to.equal(STATUS_CAUSES.workerLost);
    await waitFor(async () => (await holder(atA)) === b!.ctx.instanceId, LEASE_TTL_MS + 5000, 'B to take over the crashed worker\'s camera');
    await waitStatus(api, atA, 'live', 40_000);
    expect(api.logs(), 'a dead holder is not an unhandled error').to.not.match(/unhandled error/i);

    // Never two ingests of one camera at once, through every move.
    for (const cam of fleet.cameras) expect(maxConcurrentPlays(cam.rtsp.plays), 'one ingest per camera at every moment').to.equal(1);
    const metrics = await (await fetch(`${api.opsUrl}/metrics`)).text();
    expect(metrics, 'per-worker held cameras').to.match(new RegExp(`^skyeye_ingest_worker_cameras\\{worker="${b.ctx.instanceId}"\\} [1-3]$`, 'm'));
    expect(metrics, 'the dead worker is not listed as live').to.not.include(`worker="${a.id}"`);
  });
});
