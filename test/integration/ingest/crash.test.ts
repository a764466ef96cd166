/**
 * A worker process that crashes (SIGKILL: no goodbye, no lease release) loses its cameras to
 * another worker within the lease bound, its ffmpeg dies with it, at no moment do two ffmpegs pull
 * the same camera, and the continuity ledger names the gap `worker_lost`, costing at most the
 * segment it was writing plus the takeover. PostgreSQL only (separate processes share one database).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSkyEye, type SkyEye } from '@server/start';
import { startFleet, type Fleet } from '@sim/index';
import { maxConcurrentPlays } from '@sim/rtsp/server';
import { TEST_BACKEND } from '@test/helpers/database';
import { logCapture, testConfig } from '@test/helpers/server';
import { baseOctet, createSite, ingestFfmpegsOf, registerSimCamera, spawnWorkerProcess, waitFor, waitStatus, type Running, type Site } from './helpers';

(TEST_BACKEND === 'postgres' ? describe : describe.skip)('a crashed worker process: takeover by lease expiry, no double ingest (postgres)', function () {
  this.timeout(120_000);
  const LEASE_TTL_MS = 3000;
  const SEGMENT_MS = 4000;
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const shared = { security: { credentialKeys: keys }, live: { playbackTokenSecret: randomBytes(24).toString('hex') }, ingest: { leaseTtl: `${LEASE_TTL_MS}ms`, recordingSegment: `${SEGMENT_MS}ms` } };
  const dirs: string[] = [];
  let fleet: Fleet;
  let site: Site;
  let api: Running;
  let child: ChildProcess | undefined;
  let survivor: SkyEye | undefined;

  before(async () => {
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(5), startOnvif: false, startDiscovery: false, withSub: false });
    site = await createSite();
    api = await site.start({ role: 'api', ...shared });
  });
  after(async function () {
    this.timeout(30_000);
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
    child = spawnWorkerProcess({
      dataDir: dirA,
      databaseUrl: site.scratch.url!,
      leaseTtlMs: LEASE_TTL_MS,
      credentialKeys: keys,
      playbackSecret: shared.live.playbackTokenSecret,
      env: { SKYEYE_INGEST_RECORDING_SEGMENT: `${SEGMENT_MS}ms` },
    });
    const childPid = child.pid!;
    const workerA = await waitFor(async () => (await api.ctx.database.query<{ id: string }>('SELECT id FROM ingest_workers WHERE id LIKE $1', [`%-${childPid}-%`]))[0]?.id, 30_000, 'worker A to register');

    const cameraId = await registerSimCamera(api, fleet.cameras[0]!, { name: 'Crash test camera' });
    await waitStatus(api, cameraId, 'live', 40_000);
    expect(await holder(cameraId)).to.equal(workerA);

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
    // Live as reported by the survivor (the camera's status may still say worker A's live meanwhile).
    await waitFor(async () => {
      const hist = (await api.api('GET', `/api/v1/cameras/${cameraId}/status-history?limit=5`)).body.items;
      return hist[0]?.status === 'live' && hist[0]?.workerId === survivor!.ctx.instanceId;
    }, 30_000, 'live under the surviving worker');
    const cam = await waitStatus(api, cameraId, 'live', 1_000);
    const movedMs = Date.now() - killedAt;
    console.log(`      live again on the surviving worker ${movedMs} ms after SIGKILL (lease TTL ${LEASE_TTL_MS} ms)`);
    expect(cam.status).to.equal('live');
    // The camera's own record of PLAY sessions (every one, not samples): never two at once.
    const plays = fleet.cameras[0]!.rtsp.plays;
    console.log(`      camera PLAY sessions: ${plays.map((p) => `${p.start - killedAt}..${p.end === null ? 'open' : p.end - killedAt} ms`).join(', ')}`);
    expect(plays.length, 'worker A and the survivor each played it').to.be.at.least(2);
    expect(maxConcurrentPlays(plays), 'never two ingests pulling the camera at once').to.equal(1);

    // The ledger: one gap around the kill, named worker_lost, no longer than the segment worker A
    // was writing (left in its cache; it never returns) plus the takeover and one more segment cut.
    const liveAgainAt = Date.now();
    const range = `from=${new Date(killedAt - 60_000).toISOString()}&to=${new Date(liveAgainAt + 30_000).toISOString()}`;
    const gap = await waitFor(async () => {
      const t = (await api.api('GET', `/api/v1/cameras/${cameraId}/timeline?${range}`)).body as { gaps: Array<{ from: string; to: string; cause: string }> };
      // Closed once the survivor's first segment is indexed (then the gap is no longer the trailing one).
      return t.gaps.find((g) => g.cause !== 'in_progress' && Date.parse(g.from) <= killedAt && Date.parse(g.to) >= killedAt) ?? null;
    }, 30_000, 'the gap around the kill');
    const gapMs = Date.parse(gap.to) - Date.parse(gap.from);
    console.log(`      ledger: ${gap.cause} ${gap.from} → ${gap.to} (${gapMs} ms)`);
    expect(gap.cause).to.equal('worker_lost');
    expect(gapMs, 'at most the unfinished segment plus the takeover').to.be.at.most(SEGMENT_MS + movedMs + 4_000);
  });
});
