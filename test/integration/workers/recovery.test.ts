/**
 * Recovery after an outage with the production backoff (1, 2, 5, 10, 30 s) and production HLS
 * (1 s segments): a simulated camera gone for 25 s is live again, and a new recording segment is
 * open, within seconds of answering, because a cheap RTSP probe runs while it is down and ffmpeg
 * starts when the camera answers (issues 9 item 1 and 13). Without the probe the backoff has
 * reached its 10-30 s steps by then and the camera stays dark for ~20 s more.
 * Both times are printed (the target, ≤ 2 s + one GOP = 4 s, and the measured steps are in the
 * docs/benchmarks.md, "Recovery after an outage"; `bench/recovery-steps.ts` breaks them down). The asserted bounds are
 * generous (15 s) so a loaded machine cannot fail them; what is asserted exactly is the order
 * (nothing before the camera answered), the causes reported while it was down, and that the new
 * segment is closed and handed on with its SHA-256.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CameraStatusEvent } from '@common/events';
import { STATUS_CAUSES } from '@common/causes';
import { startFleet, type Fleet } from '@sim/index';
import { DEFAULT_BACKOFF } from '@workers/ingest/backoff';
import { startIngestWorker, type IngestWorker } from '@workers/ingest/worker';
import { InMemorySegmentSink } from '@workers/recorder/sink';
import { fastWorkerOptions, simCameraSpec, sleep, until } from './helpers';

/** Polls a directory every 25 ms; resolves with the time the first .mp4 not in `before` appeared. */
async function firstNewFile(dir: string, before: ReadonlySet<string>, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const names = await readdir(dir).catch(() => [] as string[]);
    if (names.some((n) => n.endsWith('.mp4') && !before.has(n))) return Date.now();
    if (Date.now() - t0 > timeoutMs) throw new Error(`no new recording segment in ${dir} within ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe('workers/ingest recovery after a 25 s outage (real ffmpeg, simulator)', function () {
  this.timeout(120_000);
  this.slow(60_000);
  let fleet: Fleet;
  let worker: IngestWorker;
  let dataDir: string;
  const sink = new InMemorySegmentSink();
  const events: CameraStatusEvent[] = [];

  before(async function () {
    this.timeout(120_000);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'skyeye-recovery-'));
    fleet = await startFleet({ cameras: 1, baseOctet: 150 + (process.pid % 50), startOnvif: false, startDiscovery: false, withSub: false });
    worker = await startIngestWorker(fastWorkerOptions(dataDir, sink, events, { backoff: DEFAULT_BACKOFF, hls: { segmentSeconds: 1, listSize: 6 } }));
  });

  after(async function () {
    this.timeout(30_000);
    await worker?.close();
    await fleet?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is live and records a new segment within seconds of the camera answering', async () => {
    const cam = fleet.cameras[0]!;
    const spec = simCameraSpec('cam-recovery', cam);
    await worker.manager.sync([spec]);
    await until('first live', 30_000, () => events.find((e) => e.status === 'live'));
    const mark = events.length;
    const tDown = Date.now();
    cam.setFault({ reboot: 25 });
    await until('camera down', 10_000, () => !cam.rtsp.listening);
    await until('left live', 15_000, () => events.slice(mark).find((e) => e.status !== 'live'));
    const cacheDir = worker.store.cacheDir(spec.id);
    await until('camera back', 40_000, () => cam.rtsp.listening);
    const tBack = Date.now();
    const before = new Set(await readdir(cacheDir)); // no ffmpeg ran while it was down
    const segmentAt = firstNewFile(cacheDir, before, 60_000);
    const live = await until('live again', 60_000, () => events.slice(mark).find((e) => e.status === 'live'));
    const tLive = Date.parse(live.at);
    const tSegment = await segmentAt;
    const s = (t: number) => `+${((t - tDown) / 1000).toFixed(1)} s`;
    const seen = events.slice(mark).map((e) => `${e.status}@${s(Date.parse(e.at))}`);
    console.log(
      `      down at 0, back at ${s(tBack)}: live ${tLive - tBack} ms and a new recording segment ${tSegment - tBack} ms after the camera answered; ${seen.join(' -> ')}`,
    );
    expect(tLive, 'live only after the camera is back').to.be.greaterThan(tBack - 1_000);
    expect(tLive - tBack, 'live within a few seconds of the camera answering').to.be.below(15_000);
    expect(tSegment - tBack, 'a new recording segment within a few seconds of the camera answering').to.be.below(15_000);
    // While it was down the probe said why, in the stable cause phrases.
    const down = events.slice(mark).filter((e) => e.status === 'unreachable' || e.status === 'offline');
    expect(down.map((e) => e.cause), 'causes while down').to.include(STATUS_CAUSES.connectionRefused);
    // The segment opened after the outage is closed, probed and hashed like any other.
    const seg = await Promise.race([sink.waitFor((x) => x.cameraId === spec.id && x.start.getTime() >= tBack - 2_000), sleep(30_000).then(() => null)]);
    expect(seg, 'a segment recorded after the outage reached the sink').to.not.equal(null);
    const sha = createHash('sha256').update(await readFile(worker.store.cachePath(seg!.cacheKey))).digest('hex');
    expect(seg!.sha256).to.equal(sha);
  });
});
