/**
 * The simulator's loop mode must loop the cached 4 s clip forever: an RTSP client still gets
 * RTP packets after three passes of it (regression: the explicit h264_mp4toannexb filter stopped
 * it after one pass).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { startFleet, type Fleet } from '@sim/index';
import { baseOctet, ourFfmpegs, sleep } from './helpers';

describe('sim loop mode', function () {
  this.timeout(90_000);
  let fleet: Fleet | undefined;

  after(async () => {
    await fleet?.stop();
  });

  it('keeps streaming past 13 s (three and more clip passes)', async () => {
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(3), startOnvif: false, startDiscovery: false, withSub: false, auth: 'none' });
    const cam = fleet.cameras[0]!;
    // Plain RTSP reader; -progress on stdout tells how many frames arrived.
    const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-i', cam.rtspMainUrl, '-t', '13', '-c', 'copy', '-f', 'null', '-', '-progress', 'pipe:1'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let frames = 0;
    p.stdout.on('data', (b: Buffer) => {
      const m = /frame=(\d+)/g;
      for (const hit of b.toString().matchAll(m)) frames = Number(hit[1]);
    });
    const t0 = Date.now();
    const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
    const secs = (Date.now() - t0) / 1000;
    console.log(`      ${frames} frames in ${secs.toFixed(1)} s, exit ${code}`);
    expect(code).to.equal(0);
    // 13 s at 25 fps = 325 frames; one pass of the clip is 100.
    expect(frames).to.be.greaterThan(12 * 25);
    await sleep(100);
    expect(ourFfmpegs((c) => c.includes('-f null'))).to.have.length(0);
  });
});
