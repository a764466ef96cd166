/**
 * Real ffmpeg against the real camera simulator, through the credential-injecting proxy.
 * Short segments (2 s HLS, 4 s recording) and a fast backoff keep this under ~2 minutes.
 */
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startFleet, type Fleet } from '@sim/index';
import type { CameraStatusEvent } from '@common/events';
import { startIngestWorker, type IngestWorker } from '@workers/ingest/worker';
import { InMemorySegmentSink } from '@workers/recorder/sink';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import { fastWorkerOptions, simCameraSpec } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('workers/ingest with real ffmpeg and the simulator', function () {
  this.timeout(60_000);
  this.slow(20_000);
  let fleet: Fleet;
  let worker: IngestWorker;
  let dataDir: string;
  const sink = new InMemorySegmentSink();
  const events: CameraStatusEvent[] = [];
  const pids = new Set<number>();
  let spec: IngestCameraSpec;

  async function waitStatus(status: string, fromIndex: number, timeoutMs: number): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      const hit = events.slice(fromIndex).find((e) => e.status === status);
      if (hit) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs) throw new Error(`no '${status}' within ${timeoutMs} ms; saw ${events.slice(fromIndex).map((e) => `${e.status}(${e.cause ?? ''})`).join(' -> ')}`);
      const pid = worker.manager.supervisor(spec.id)?.pid;
      if (pid) pids.add(pid);
      await sleep(200);
    }
  }

  before(async function () {
    this.timeout(120_000);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'skyeye-ingest-'));
    fleet = await startFleet({ cameras: 1, baseOctet: 100 + (process.pid % 50), startOnvif: false, startDiscovery: false, withSub: false });
    worker = await startIngestWorker(fastWorkerOptions(dataDir, sink, events));
    spec = simCameraSpec('cam-it-1', fleet.cameras[0]!);
  });

  after(async function () {
    this.timeout(30_000);
    await worker?.close();
    for (const pid of pids) {
      if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
    await fleet?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('goes live, and the password is not on the ffmpeg command line or environment', async () => {
    await worker.manager.sync([spec]);
    const ms = await waitStatus('live', 0, 20_000);
    console.log(`      live after ${ms} ms`);
    const pid = worker.manager.supervisor(spec.id)!.pid!;
    pids.add(pid);
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
    expect(cmdline).to.include('ffmpeg').and.include('rtsp://127.0.0.1:');
    expect(cmdline).not.to.include(spec.credentials!.password);
    expect(cmdline).not.to.include(spec.credentials!.username + ':');
    expect(environ).not.to.include(spec.credentials!.password);
    const playlist = await readFile(worker.store.livePlaylist(spec.id), 'utf8');
    expect(playlist).to.include('#EXT-X-PROGRAM-DATE-TIME');
  });

  it('closes a recording segment, validates it and hands it to the sink with the right sha256', async () => {
    const t0 = Date.now();
    const seg = await Promise.race([sink.waitFor((s) => s.cameraId === spec.id), sleep(20_000).then(() => null)]);
    expect(seg, 'segment within 20 s').to.not.equal(null);
    console.log(`      first segment after ${Date.now() - t0} ms: ${path.basename(seg!.path)} ${seg!.bytes} B`);
    const sha = createHash('sha256').update(await readFile(seg!.path)).digest('hex');
    expect(seg!.sha256).to.equal(sha);
    expect(seg!.end.getTime() - seg!.start.getTime()).to.be.within(100, 10_000);
    expect(seg!.path.startsWith(worker.store.cacheDir(spec.id))).to.equal(true);
  });

  it('stall: stalled, then live again once the fault clears', async () => {
    const cam = fleet.cameras[0]!;
    const mark = events.length;
    cam.setFault('stall');
    const ms = await waitStatus('stalled', mark, 25_000);
    console.log(`      stalled detected after ${ms} ms`);
    cam.clearFault();
    const back = await waitStatus('live', mark, 30_000);
    console.log(`      live again ${back} ms after clearing`);
  });

  it('drop: reconnecting, then live', async () => {
    const cam = fleet.cameras[0]!;
    const mark = events.length;
    cam.setFault('drop');
    await waitStatus('reconnecting', mark, 15_000);
    cam.clearFault();
    const back = await waitStatus('live', mark, 30_000);
    console.log(`      live again ${back} ms after clearing drop`);
  });

  it('wrong password: auth_failed, then live when it is right again', async () => {
    const cam = fleet.cameras[0]!;
    const mark = events.length;
    cam.setFault('wrong-credentials');
    cam.setFault('drop');
    const ms = await waitStatus('auth_failed', mark, 20_000);
    console.log(`      auth_failed after ${ms} ms`);
    expect(JSON.stringify(events)).not.to.include(spec.credentials!.password);
    cam.clearFault();
    const back = await waitStatus('live', mark, 30_000);
    console.log(`      live again ${back} ms after fixing credentials`);
  });

  it('reboot: leaves live, comes back by itself', async () => {
    const cam = fleet.cameras[0]!;
    const mark = events.length;
    cam.setFault({ reboot: 3 });
    const t0 = Date.now();
    for (;;) {
      const down = events.slice(mark).find((e) => e.status !== 'live');
      if (down) break;
      if (Date.now() - t0 > 15_000) throw new Error('never left live');
      await sleep(200);
    }
    const statuses = () => events.slice(mark).map((e) => e.status);
    const mark2 = events.length;
    await waitStatus('live', mark2, 30_000);
    console.log(`      reboot statuses: ${statuses().join(' -> ')}`);
  });

  it('udp transport through the proxy: spec change restarts the camera and it goes live', async () => {
    const mark = events.length;
    spec = { ...spec, transport: 'udp' };
    await worker.manager.sync([spec]);
    const ms = await waitStatus('live', mark, 25_000);
    console.log(`      udp live after ${ms} ms`);
    const cmdline = await readFile(`/proc/${worker.manager.supervisor(spec.id)!.pid!}/cmdline`, 'utf8');
    expect(cmdline.split('\0')).to.include('udp');
    await sleep(7_000);
    expect(worker.manager.supervisor(spec.id)!.status).to.equal('live');
  });

  it('closeAll stops every ffmpeg it started and records the gaps', async () => {
    const segsBefore = sink.list(spec.id).length;
    await worker.manager.closeAll();
    await sleep(300);
    for (const pid of pids) expect(groupAlive(pid), `group ${pid}`).to.equal(false);
    expect(sink.list(spec.id).length).to.be.at.least(segsBefore);
    console.log(`      ${sink.list(spec.id).length} segments recorded, pids ${[...pids].join(',')}`);
  });
});
