/**
 * Two ingest runtimes sharing the demo cameras through camera leases (PostgreSQL only): the
 * cameras are split between them, stopping one moves its cameras to the other within the lease
 * bound, no camera is ever ingested by both at once (from each camera's record of every PLAY
 * session, not by sampling processes), and a stale token can no longer write.
 */
import { expect } from 'chai';
import { systemClock } from '@common/clock';
import { Loops } from '@common/loops';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIngestRuntime, type IngestRuntime } from '@server/ingest/index';
import { RecordingsRepository } from '@server/recordings/repository';
import { recordingObjectKey } from '@workers/store/layout';
import { FencedStatusWriter } from '@workers/ingest/status-writer';
import { LeaseRepository } from '@server/leases/lease-repository';
import { TEST_BACKEND } from '@test/helpers/database';
import { startFleet, type Fleet } from '@sim/index';
import { maxConcurrentPlays } from '@sim/rtsp/server';
import { baseOctet, createSite, expectNoIngestFfmpeg, ourFfmpegs, registerSimCamera, waitFor, waitStatus, type Running, type Site } from './helpers';

(TEST_BACKEND === 'postgres' ? describe : describe.skip)('two ingest runtimes share cameras by lease (postgres)', function () {
  this.timeout(90_000);
  let site: Site;
  let app: Running;
  let b: IngestRuntime | undefined;
  let bDir: string;
  let fleet: Fleet;

  before(async function () {
    site = await createSite();
    app = await site.start({ ingest: { leaseTtl: '3s', maxRestartDelay: '2s', recordingSegment: '4s' } });
    fleet = await startFleet({ cameras: 2, baseOctet: baseOctet(4), startOnvif: false, startDiscovery: false, withSub: false });
    for (const [i, cam] of fleet.cameras.entries()) await registerSimCamera(app, cam, { name: `Failover camera ${i + 1}` });
  });
  after(async function () {
    this.timeout(30_000);
    await b?.stop();
    await app?.stop();
    await expectNoIngestFfmpeg();
    await fleet?.stop();
    expect(ourFfmpegs()).to.have.length(0);
    await site?.drop();
    if (bDir) rmSync(bDir, { recursive: true, force: true });
  });

  const leaseHolders = async () =>
    new Map((await app.ctx.database.query<{ camera_id: string; worker_id: string }>('SELECT camera_id, worker_id FROM camera_leases')).map((r) => [r.camera_id, r.worker_id]));

  it('a second worker takes its share; each camera live under exactly one worker', async () => {
    const ids = (await app.api('GET', '/api/v1/cameras?limit=10')).body.items.map((c: any) => c.id) as string[];
    expect(ids).to.have.length(2);
    for (const id of ids) await waitStatus(app, id, 'live', 30_000);
    bDir = mkdtempSync(join(tmpdir(), 'skyeye-worker-b-'));
    // Its own loop registry: loop names are unique per registry, and worker a's runtime uses the app's.
    b = await startIngestRuntime(app.ctx, { ...app.services, loops: new Loops({ clock: systemClock, onError: () => undefined }).start() }, { workerId: 'test-worker-b', dataDir: bDir });
    const moved = await waitFor(async () => {
      const h = await leaseHolders();
      const mine = [...h].filter(([, w]) => w === 'test-worker-b').map(([c]) => c);
      return mine.length === 1 && h.size === 2 ? mine[0] : null;
    }, 15_000, 'worker b to hold one camera');
    await waitFor(async () => {
      const hist = (await app.api('GET', `/api/v1/cameras/${moved}/status-history?limit=5`)).body.items;
      return hist[0]?.status === 'live' && hist[0]?.workerId === 'test-worker-b';
    }, 25_000, 'live under worker b');
    expectOnePullAtATime();
  });

  /** Each camera's own record of PLAY sessions: never two ingests pulling it at once. */
  function expectOnePullAtATime() {
    for (const cam of fleet.cameras) expect(maxConcurrentPlays(cam.rtsp.plays), `${cam.address} pulled twice at once`).to.equal(1);
  }

  it('stopping a worker moves its cameras to the other within the lease bound; stale tokens cannot write', async () => {
    const h = await leaseHolders();
    const moved = [...h].find(([, w]) => w === 'test-worker-b')![0];
    const [lease] = await app.ctx.database.query<{ token: string }>('SELECT token FROM camera_leases WHERE camera_id = $1', [moved]);
    const staleToken = Number(lease!.token);
    const t0 = Date.now();
    await b!.stop();
    b = undefined;
    const a = await waitFor(async () => {
      const now = await leaseHolders();
      const w = now.get(moved);
      return w && w !== 'test-worker-b' ? w : null;
    }, 3_000 + 2_000, 'the other worker to take the camera');
    await waitFor(async () => {
      const hist = (await app.api('GET', `/api/v1/cameras/${moved}/status-history?limit=5`)).body.items;
      return hist[0]?.status === 'live' && hist[0]?.workerId === a;
    }, 25_000, 'live under worker a');
    console.log(`      camera moved and live again ${Date.now() - t0} ms after stopping worker b`);
    const plays = fleet.cameras.map((c) => c.rtsp.plays.length).reduce((x, y) => x + y, 0);
    expect(plays, 'the moved camera was played by both workers in turn').to.be.at.least(3);
    expectOnePullAtATime();

    // Fencing: worker b's old token no longer writes status; its segments (real footage, on its disk
    // only) are still indexed, flagged `unleased`.
    const writer = new FencedStatusWriter({
      workerId: 'test-worker-b',
      updateStatus: (id, s, c, l) => app.services.cameras.updateStatus(id, s, c, l.workerId, (tx) => LeaseRepository.holdsLocked(tx, l.workerId, id, l.token)),
      tokenOf: () => staleToken,
      log: { warn() {} },
    });
    expect(await writer.writeNow(moved, 'offline', 'stale worker', staleToken)).to.equal(false);
    const start = new Date(Date.UTC(2020, 0, 1));
    const seg = { cameraId: moved, cacheKey: `${moved}/20200101-000000.mp4`, objectKey: recordingObjectKey(moved, start), start, end: new Date(start.getTime() + 1000), bytes: 1, sha256: 'a'.repeat(64), durationMs: 1000, frames: null, codec: null, width: null, height: null, flags: [] };
    const recordings = new RecordingsRepository(app.ctx.database);
    expect(await recordings.add(seg, { workerId: 'test-worker-b', token: staleToken, node: 'node-b' })).to.equal('inserted');
    const [row] = await recordings.listSegments(moved, start, new Date(start.getTime() + 1));
    expect(row?.flags).to.include('unleased');
    expect((await app.api('GET', `/api/v1/cameras/${moved}`)).body.status).to.equal('live');
  });
});
