/**
 * Sky Eye's own ingest command (buildIngestArgs: HLS, fMP4 recording, FLV through the tee) against
 * a freshly started simulated camera, whose first RTP packets come before it has timestamps: ffmpeg
 * must not warn "Non-monotonous DTS" for every packet of the FLV output (it did, 25 a second, for
 * the whole session, with the tee's stream in a time base of one frame). The few packets that
 * arrive before the camera has timestamps may each draw one at the session's start (one to three
 * per output, run to run); a run is what fails: any such warning more than 2 s after the first, or
 * more than five per output. Every stderr line is kept, with the time it arrived, not sampled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { startFleet, type Fleet } from '@sim/index';
import { buildIngestArgs } from '@workers/ffmpeg/args';
import { baseOctet } from './helpers';

describe('ingest ffmpeg: the FLV output keeps its timestamps (simulator, ffmpeg)', function () {
  this.timeout(60_000);
  let fleet: Fleet;
  let sink: Server;
  let dir: string;
  let flvBytes = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-flv-ts-'));
    sink = createServer((s) => s.on('data', (d: Buffer) => (flvBytes += d.length)));
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(7), auth: 'none', startOnvif: false, startDiscovery: false, withSub: false });
  });
  after(async () => {
    await fleet?.stop();
    await new Promise((r) => sink?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a fresh camera session: no run of "Non-monotonous DTS" warnings, and FLV bytes flow', async () => {
    const port = (sink.address() as { port: number }).port;
    const args = buildIngestArgs(
      {
        input: { url: fleet.cameras[0]!.rtspMainUrl, transport: 'tcp', socketTimeoutMs: 5_000 },
        hls: { playlist: join(dir, 'index.m3u8'), segmentPattern: join(dir, 'seg-%d.ts'), segmentSeconds: 1, listSize: 6 },
        recording: { pattern: join(dir, '%Y%m%d-%H%M%S.mp4'), segmentSeconds: 60, listPath: join(dir, 'segments.csv'), wallClockRefs: true },
        flvPublishUrl: `tcp://127.0.0.1:${port}`,
        audio: 'drop',
        liveVideo: 'copy',
      },
      { major: 5, rtspTimeoutOption: '-timeout' },
    );
    const proc = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    /** Warning lines with the time their chunk arrived (a line split across chunks counts at its end). */
    const warnings: Array<{ at: number; line: string }> = [];
    let partial = '';
    proc.stderr.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) if (line.includes('Non-monotonous DTS')) warnings.push({ at: Date.now(), line });
    });
    const exited = new Promise((r) => proc.once('exit', r));
    await new Promise((r) => setTimeout(r, 7_000));
    proc.kill('SIGTERM');
    await exited;
    const about = `${warnings.length} warnings, e.g. ${warnings.slice(0, 3).map((w) => w.line).join(' / ')}`;
    expect(warnings.length, about).to.be.at.most(15);
    if (warnings.length) expect(warnings[warnings.length - 1]!.at - warnings[0]!.at, `the warnings went on (ms): ${about}`).to.be.at.most(2_000);
    expect(flvBytes, 'FLV reached the gate').to.be.greaterThan(100_000);
  });
});
