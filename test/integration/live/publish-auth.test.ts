/**
 * Only Sky Eye's own ingest may publish a camera's live stream (issue 9 item 12): a process it did
 * not start is refused at /live/<cameraId> even while no ingest publishes there, and a publisher
 * it started (what the ingest ffmpeg is) plays through the API. Whole Sky Eye on the chosen
 * database, real node-media-server, real ffmpeg.
 */
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { liveOutputUrl } from '@workers/rtmp/urls';
import { readFlv, spawnFfmpeg, testPattern, waitFor, type Ffmpeg } from './helpers';
import { processAlive } from '@test/helpers/process';

/**
 * ffmpeg started by a shell that exits at once: its parent becomes init (or a subreaper above us),
 * so it is no process of this Sky Eye — like any other local program. Bounded by -t.
 */
async function foreignPublisher(url: string): Promise<number> {
  const args = ['-t', '30', ...testPattern(url)];
  const sh = spawn('sh', ['-c', 'ffmpeg -hide_banner -loglevel error -nostdin "$@" </dev/null >/dev/null 2>&1 & echo $!', 'sh', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  sh.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => sh.once('exit', r));
  const pid = Number(out.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid from the foreign publisher: ${out}`);
  return pid;
}

describe(`live publish: only our own ingest may publish /live/<camera> (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  let port: number;
  const foreign: number[] = [];
  const ours: Ffmpeg[] = [];

  async function camera(name: string): Promise<string> {
    const r = await w.as.operator.json('POST', '/api/v1/cameras', { name, kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:8554/x' });
    return r.body.id as string;
  }

  before(async () => {
    w = await startWorld();
    const cam = await camera('port probe');
    port = Number(new URL((await w.as.operator.json('POST', `/api/v1/cameras/${cam}/push-key`)).body.url).port);
  });
  after(async () => {
    for (const pid of foreign) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    await Promise.all(ours.map((f) => f.kill()));
    await w?.srv.close();
  });

  it('refuses a publisher that this Sky Eye did not start, while no ingest publishes', async () => {
    const cam = await camera('foreign target');
    const pid = await foreignPublisher(liveOutputUrl({ host: '127.0.0.1', port }, cam));
    foreign.push(pid);
    await waitFor(() => w.srv.logs().includes('republish refused'), 30_000, 'the media server refuses the foreign publish');
    await waitFor(() => !processAlive(pid), 30_000, 'the refused ffmpeg gives up');
    const { flv } = (await w.as.operator.json('GET', `/api/v1/cameras/${cam}/live`)).body;
    const got = await readFlv(flv, 3000);
    expect(got.videoTags, 'no foreign video reaches a viewer').to.equal(0);
  });

  it('accepts the republish of a process it started (the ingest ffmpeg) and plays it', async () => {
    const cam = await camera('own republish');
    ours.push(spawnFfmpeg(testPattern(liveOutputUrl({ host: '127.0.0.1', port }, cam))));
    const { flv } = (await w.as.operator.json('GET', `/api/v1/cameras/${cam}/live`)).body;
    await waitFor(async () => (await readFlv(flv, 3000)).firstKeyframeMs !== undefined, 30_000, 'our republish plays through the API');
    expect(w.srv.logs()).to.include('republish accepted');
  });
});
