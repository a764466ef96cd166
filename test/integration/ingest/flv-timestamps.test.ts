/**
 * Sky Eye's own ingest command (buildIngestArgs: HLS, fMP4 recording, FLV through the tee) against
 * a freshly started simulated camera, whose first RTP packets come before it has timestamps: ffmpeg
 * must not warn "Non-monotonous DTS" for every packet of the FLV output (it did, 25 a second, for
 * the whole session, with the tee's stream in a time base of one frame). At most one such warning
 * per output at the start is allowed. Every stderr line is kept, not sampled.
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
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((r) => proc.once('exit', r));
    await new Promise((r) => setTimeout(r, 7_000));
    proc.kill('SIGTERM');
    await exited;
    const warnings = stderr.split('\n').filter((l) => l.includes('Non-monotonous DTS'));
    expect(warnings.length, `${warnings.length} warnings, e.g. ${warnings.slice(0, 3).join(' / ')}`).to.be.at.most(3);
    expect(flvBytes, 'FLV reached the gate').to.be.greaterThan(100_000);
  });
});
