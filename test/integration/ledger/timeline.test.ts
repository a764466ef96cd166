/**
 * The ledger with real ingest and the simulator: a camera stopped (connections refused), a wrong
 * password and a restarted worker each leave one gap in GET /cameras/{id}/timeline whose bounds
 * are exactly the neighbouring segments' end and start and whose cause is right; the gap alert
 * fires (bus 'recording:gap', metric) and the coverage report lists the camera.
 */
import { expect } from 'chai';
import { startFleet, type Fleet } from '@sim/index';
import { RecordingsRepository } from '@server/recordings/repository';
import type { RecordingGapEvent, Timeline } from '@common/timeline';
import { TEST_BACKEND } from '@test/helpers/database';
import { baseOctet, createSite, expectNoIngestFfmpeg, registerSimCamera, sleep, waitFor, waitStatus, type Running, type Site } from '@test/integration/ingest/helpers';

const CONFIG = { ingest: { maxRestartDelay: '1s', recordingSegment: '2s' }, archive: { gapAlert: '3s' } };

describe(`recording-continuity ledger with real ingest (${TEST_BACKEND})`, function () {
  this.timeout(90_000);
  let site: Site;
  let app: Running;
  let fleet: Fleet;
  let id: string;
  const alerts: RecordingGapEvent[] = [];
  const watchAlerts = (a: Running) => a.ctx.bus.subscribe('recording:gap', (e) => alerts.push(e));

  before(async function () {
    this.timeout(180_000);
    site = await createSite();
    app = await site.start(CONFIG);
    watchAlerts(app);
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(7), startOnvif: false, startDiscovery: false, withSub: false });
    id = await registerSimCamera(app, fleet.cameras[0]!, { name: 'Ledger camera' });
    await waitStatus(app, id, 'live', 60_000).catch((e) => {
      console.log(app.logs().slice(-3000));
      throw e;
    });
  });
  after(async function () {
    this.timeout(30_000);
    await app?.stop();
    await expectNoIngestFfmpeg();
    await fleet?.stop();
    await site?.drop();
  });

  const timeline = async (from: number): Promise<Timeline> => {
    const r = await app.api('GET', `/api/v1/cameras/${id}/timeline?from=${new Date(from).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(r.status).to.equal(200);
    return r.body as Timeline;
  };

  /** Applies a fault for `ms`, clears it, waits for recording to resume, and returns the one gap it left. */
  async function outage(apply: () => void, want: string, ms: number, cause: string) {
    const cam = fleet.cameras[0]!;
    const start = Date.now();
    apply();
    await waitStatus(app, id, want, 25_000);
    await sleep(Math.max(0, ms - (Date.now() - start)));
    const cleared = Date.now();
    cam.clearFault();
    await waitStatus(app, id, 'live', 30_000);
    const recordings = new RecordingsRepository(app.ctx.database);
    const repo = { list: (cameraId: string) => recordings.listSegments(cameraId, new Date(0), new Date(Date.now() + 3_600_000)) };
    const gap = await waitFor(
      async () => {
        const segs = await repo.list(id);
        if (!segs.some((s) => s.start.getTime() >= cleared - 1_000)) return null;
        return (await timeline(start - 30_000)).gaps.find((g) => g.cause !== 'in_progress' && Date.parse(g.to) > start) ?? null;
      },
      30_000,
      'a segment after the outage and its gap',
    );
    console.log(`      gap ${gap.from} → ${gap.to} (${(Date.parse(gap.to) - Date.parse(gap.from)) / 1000} s) ${gap.cause}`);
    expect(gap.cause).to.equal(cause);
    // Exact bounds: the end of the last segment before and the start of the first after.
    const segs = await repo.list(id);
    expect(segs.some((s) => s.end.toISOString() === gap.from), 'gap starts where a segment ends').to.equal(true);
    expect(segs.some((s) => s.start.toISOString() === gap.to), 'gap ends where a segment starts').to.equal(true);
    // Segment times come from the media (prft wall clock of the first fragment); they may run up to
    // one GOP (2 s in the simulator) early or late, the precision the playback check asks for too.
    const GOP_MS = 2_000;
    expect(Date.parse(gap.from)).to.be.at.most(start + 1_000);
    expect(Date.parse(gap.to)).to.be.at.least(cleared - GOP_MS);
    return gap;
  }

  it('a camera stopped (connections refused): camera_offline, and the gap alert fires', async () => {
    const gap = await outage(() => fleet.cameras[0]!.setFault('refuse'), 'unreachable', 8_000, 'camera_offline');
    const open = alerts.find((a) => a.cameraId === id && a.state === 'open' && a.since === gap.from);
    expect(open, 'recording:gap open').to.not.equal(undefined);
    expect(open!.cause).to.equal('camera_offline');
    const closed = await waitFor(() => alerts.find((a) => a.cameraId === id && a.state === 'closed' && a.since === gap.from), 20_000, 'recording:gap closed');
    expect(closed.since).to.equal(open!.since);
    const metrics = await (await fetch(`${app.opsUrl}/metrics`)).text();
    expect(metrics).to.match(/skyeye_recording_gap_alerts_total\{cause="camera_offline"\} [1-9]/);
  });

  it('wrong credentials: auth_failed', async () => {
    const cam = fleet.cameras[0]!;
    await outage(() => {
      cam.setFault('wrong-credentials');
      cam.setFault('drop');
    }, 'auth_failed', 5_000, 'auth_failed');
  });

  it('the worker stopped and came back: worker_restart', async () => {
    // Record a while past the previous outage first: the gap's cause is read from the status in
    // effect where it starts, and segment times from the media may run a GOP early.
    await sleep(6_000);
    const start = Date.now();
    await app.stop();
    await sleep(4_000);
    app = await site.start(CONFIG);
    watchAlerts(app);
    await waitStatus(app, id, 'live', 30_000);
    // Segment times from the media may run up to one GOP early (see outage()).
    const GOP_MS = 2_000;
    const gap = await waitFor(async () => (await timeline(start - 30_000)).gaps.find((g) => g.cause !== 'in_progress' && Date.parse(g.to) > start + 4_000 - GOP_MS) ?? null, 30_000, 'the restart gap').catch(async (e: Error) => {
      throw new Error(`${e.message}; stopped at ${new Date(start).toISOString()}, timeline ${JSON.stringify(await timeline(start - 30_000))}`);
    });
    console.log(`      gap ${gap.from} → ${gap.to} ${gap.cause}`);
    expect(gap.cause).to.equal('worker_restart');
    expect(Date.parse(gap.to) - Date.parse(gap.from)).to.be.at.least(4_000 - GOP_MS);
  });

  it('coverage report lists the camera with its missing seconds by cause; bad input is a 400 naming the field', async () => {
    const r = await app.api('GET', '/api/v1/recordings/coverage?hours=1&below=1');
    expect(r.status).to.equal(200);
    const item = (r.body.items as Array<{ cameraId: string; coverage: number; missing: Record<string, number> }>).find((i) => i.cameraId === id);
    expect(item, JSON.stringify(r.body)).to.not.equal(undefined);
    expect(item!.coverage).to.be.below(1);
    expect(Object.keys(item!.missing)).to.include.members(['camera_offline', 'auth_failed', 'worker_restart']);
    const bad = await app.api('GET', `/api/v1/cameras/${id}/timeline?from=yesterday`);
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body)).to.include('from');
  });
});
