/**
 * A worker process that crashes (SIGKILL: no goodbye, no lease release) loses its cameras to
 * another worker within the lease bound, its ffmpeg dies with it, and at no moment do two
 * ffmpegs pull the same camera. PostgreSQL only (separate processes share one database).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSkyEye, type SkyEye } from '@server/start';
import { startFleet, type Fleet } from '@sim/index';
import { TEST_BACKEND } from '@test/helpers/database';
import { logCapture, testConfig } from '@test/helpers/server';
import { baseOctet, createSite, ingestFfmpegsOf, registerSimCamera, waitFor, waitStatus, type Running, type Site } from './helpers';

(TEST_BACKEND === 'postgres' ? describe : describe.skip)('a crashed worker process: takeover by lease expiry, no double ingest (postgres)', function () {
  this.timeout(120_000);
  const LEASE_TTL_MS = 3000;
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const shared = { security: { credentialKeys: keys }, live: { playbackTokenSecret: randomBytes(24).toString('hex') }, ingest: { leaseTtl: `${LEASE_TTL_MS}ms` } };
  const dirs: string[] = [];
  let fleet: Fleet;
  let site: Site;
  let api: Running;
  let child: ChildProcess | undefined;
  let survivor: SkyEye | undefined;
  let sampler: NodeJS.Timeout | undefined;
  const doubles: string[] = [];

  before(async () => {
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(5), startOnvif: false, startDiscovery: false, withSub: false });
    site = await createSite();
    api = await site.start({ role: 'api', ...shared });
  });
  after(async function () {
    this.timeout(30_000);
    if (sampler) clearInterval(sampler);
    child?.kill('SIGKILL');
    await survivor?.stop();
    await api?.stop();
    await fleet?.stop();
    await site?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const holder = async (cameraId: string) =>
    (await api.ctx.database.query<{ worker_id: string }>('SELECT worker_id FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [cameraId]))[0]?.worker_id ?? null;

  it('moves the camera to the surviving worker after the lease expires', async () => {
    const dirA = mkdtempSync(join(tmpdir(), 'skyeye-crash-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'skyeye-crash-b-'));
    dirs.push(dirA, dirB);
    const env = {
      ...process.env,
      SKYEYE_ROLE: 'worker',
      SKYEYE_DATA_DIR: dirA,
      SKYEYE_HTTP_PORT: '0',
      SKYEYE_SIM_CAMERAS: '0',
      SKYEYE_LIVE_RTMP_PORT: '0',
      SKYEYE_LIVE_FLV_PORT: '0',
      SKYEYE_LOG_LEVEL: 'warn',
      SKYEYE_INGEST_LEASE_TTL: `${LEASE_TTL_MS}ms`,
      SKYEYE_CREDENTIAL_KEYS: keys,
      SKYEYE_PLAYBACK_SECRET: shared.live.playbackTokenSecret,
      DATABASE_URL: site.scratch.url!,
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const childPid = child.pid!;
    const workerA = await waitFor(async () => (await api.ctx.database.query<{ id: string }>('SELECT id FROM ingest_workers WHERE id LIKE $1', [`%-${childPid}-%`]))[0]?.id, 30_000, 'worker A to register');

    const cameraId = await registerSimCamera(api, fleet.cameras[0]!, { name: 'Crash test camera' });
    await waitStatus(api, cameraId, 'live', 40_000);
    expect(await holder(cameraId)).to.equal(workerA);
    sampler = setInterval(() => {
      const pulls = ingestFfmpegsOf(cameraId);
      if (pulls.length > 1) doubles.push(pulls.map((p) => `${p.pid}<-${p.ppid}`).join(', '));
    }, 50);

    const logs = logCapture();
    survivor = await startSkyEye(testConfig(dirB, site.scratch.url, { role: 'worker', ...shared }), { logDestination: logs.sink });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await holder(cameraId), 'fair share: the camera stays where it is').to.equal(workerA);

    const ffmpegA = ingestFfmpegsOf(cameraId).map((p) => p.pid);
    expect(ffmpegA).to.have.length(1);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await waitFor(() => ingestFfmpegsOf(cameraId).every((p) => !ffmpegA.includes(p.pid)), 5000, "worker A's ffmpeg to stop with it");

    await waitFor(async () => (await holder(cameraId)) === survivor!.ctx.instanceId, LEASE_TTL_MS + 10_000, 'the survivor to take the lease');
    const cam = await waitStatus(api, cameraId, 'live', 30_000);
    const movedMs = Date.now() - killedAt;
    console.log(`      live again on the surviving worker ${movedMs} ms after SIGKILL (lease TTL ${LEASE_TTL_MS} ms)`);
    expect(cam.status).to.equal('live');
    expect(doubles, 'never two ffmpegs pulling the camera').to.deep.equal([]);
  });
});
