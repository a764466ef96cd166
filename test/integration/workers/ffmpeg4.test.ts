/**
 * Our argument builders, unchanged, on the npm-packaged ffmpeg (@ffmpeg-installer/ffmpeg: a
 * 2018 git snapshot of 4.1, libavformat 58) against the real simulator: detection picks
 * `-stimeout`, the camera goes live, HLS and a recording segment appear, a stall is detected.
 * Skipped only where the packaged binary is not installed for this platform.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CameraStatusEvent } from '@common/events';
import { startFleet, type Fleet } from '@sim/index';
import { createProber } from '@workers/ffmpeg/probe';
import { detectFfmpeg, ensureExecutable, packagedBinary, packagedFfmpegPath } from '@workers/ffmpeg/version';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import { startIngestWorker, type IngestWorker } from '@workers/ingest/worker';
import { InMemorySegmentSink } from '@workers/recorder/sink';
import { isIngest, ourFfmpegs, sleep, waitFor } from '@test/integration/ingest/helpers';
import { fastWorkerOptions, simCameraSpec } from './helpers';

describe('workers/ingest on the packaged ffmpeg 4.1', function () {
  this.timeout(60_000);
  this.slow(20_000);
  let ffmpeg4: string | undefined;
  let fleet: Fleet | undefined;
  let worker: IngestWorker | undefined;
  let dataDir: string | undefined;
  const sink = new InMemorySegmentSink();
  const events: CameraStatusEvent[] = [];
  let spec: IngestCameraSpec;
  let preexisting = new Set<number>();

  const ours = () => ourFfmpegs((cmd) => cmd.startsWith(`${ffmpeg4} `));
  async function waitStatus(status: string, fromIndex: number, timeoutMs: number): Promise<number> {
    const t0 = Date.now();
    await waitFor(() => events.slice(fromIndex).some((e) => e.status === status), timeoutMs, () => `'${status}'; saw ${events.slice(fromIndex).map((e) => `${e.status}(${e.cause ?? ''})`).join(' -> ')}`);
    return Date.now() - t0;
  }

  before(async function () {
    ffmpeg4 = packagedFfmpegPath(); // chmod u+x if npm skipped the postinstall; throws if it cannot
    if (!ffmpeg4) {
      console.log(`      skipped: @ffmpeg-installer/ffmpeg has no binary for ${process.platform}-${process.arch} (optional dependency not installed)`);
      this.skip();
    }
    this.timeout(120_000);
    preexisting = new Set(ourFfmpegs().map((p) => p.pid));
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'skyeye-ff4-'));
    fleet = await startFleet({ cameras: 1, addresses: ['127.0.11.2'], mode: 'live-clock', startOnvif: false, startDiscovery: false, withSub: false });
    const ffprobe = packagedBinary('ffprobe');
    if (ffprobe) ensureExecutable(ffprobe);
    // the packaged ffprobe (a 2023 snapshot) validates the segments that need ffprobe, when present
    worker = await startIngestWorker(fastWorkerOptions(dataDir, sink, events, { ffmpegPath: ffmpeg4, ...(ffprobe ? { probe: createProber(ffprobe) } : {}) }));
    spec = simCameraSpec('cam-ff4-1', fleet.cameras[0]!);
  });

  after(async function () {
    this.timeout(30_000);
    await worker?.close();
    for (const p of ours()) process.kill(-p.pid, 'SIGKILL');
    await fleet?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    // every ffmpeg started here (ingest on 4.1 and the simulator's publishers) is gone
    const left = ourFfmpegs().filter((p) => !preexisting.has(p.pid));
    expect(left.map((p) => `${p.pid} ${p.cmdline.slice(0, 80)}`), 'ffmpeg started by this test left running').to.deep.equal([]);
  });

  it('is a 4.x build and detection picks -stimeout', async () => {
    const out = execFileSync(ffmpeg4!, ['-hide_banner', '-version'], { encoding: 'utf8' });
    console.log(`      ${out.split('\n')[0]} / ${/^libavformat.*$/m.exec(out)?.[0].replace(/\s+/g, ' ')}`);
    expect(await detectFfmpeg(ffmpeg4!)).to.deep.equal({ major: 4, rtspTimeoutOption: '-stimeout' });
  });

  it('goes live with -stimeout on the command line, HLS has segments', async () => {
    await worker!.manager.sync([spec]);
    console.log(`      live after ${await waitStatus('live', 0, 25_000)} ms`);
    const procs = ours().filter((p) => isIngest(p.cmdline));
    expect(procs, 'one ingest ffmpeg on the packaged binary').to.have.length(1);
    const args = (await readFile(`/proc/${procs[0]!.pid}/cmdline`, 'utf8')).split('\0');
    expect(args).to.include('-stimeout');
    expect(args).not.to.include('-timeout');
    expect(args.join(' ')).not.to.include(spec.credentials!.password);
    const playlist = await waitFor(async () => {
      const text = await readFile(worker!.store.livePlaylist(spec.id), 'utf8').catch(() => '');
      return /\.ts\s*$/m.test(text) ? text : null;
    }, 10_000, 'an HLS segment in the playlist');
    expect(playlist).to.include('#EXT-X-PROGRAM-DATE-TIME').and.include('#EXT-X-TARGETDURATION');
  });

  it('closes a 4 s recording segment that passes validation', async () => {
    const t0 = Date.now();
    const seg = await Promise.race([sink.waitFor((s) => s.cameraId === spec.id), sleep(20_000).then(() => null)]);
    expect(seg, 'segment within 20 s').to.not.equal(null);
    console.log(`      first segment after ${Date.now() - t0} ms: ${seg!.cacheKey} ${seg!.bytes} B`);
    expect(seg!.bytes).to.be.greaterThan(0);
    expect(seg!.end.getTime() - seg!.start.getTime()).to.be.within(100, 10_000);
  });

  it('stall is detected (stalled), then live again', async () => {
    const cam = fleet!.cameras[0]!;
    const mark = events.length;
    cam.setFault('stall');
    console.log(`      stalled after ${await waitStatus('stalled', mark, 25_000)} ms`);
    cam.clearFault();
    console.log(`      live again ${await waitStatus('live', mark, 30_000)} ms after clearing`);
  });

  it('closeAll leaves no packaged ffmpeg running', async () => {
    await worker!.manager.closeAll();
    await waitFor(() => ours().length === 0, 5_000, () => `no packaged ffmpeg left (have ${ours().map((p) => p.pid).join(', ')})`);
  });
});
