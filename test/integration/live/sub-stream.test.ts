/**
 * A camera's sub stream, on demand (issue 12): a simulated camera (Digest credentials, 640x360 sub
 * stream), the real RTSP auth proxy, the real media server and the runtime's wiring
 * (server/ingest/sub-streams.ts): no ffmpeg before anyone watches; a player of /sub/<id> gets FLV
 * video at the sub resolution; the ffmpeg is gone `grace` after the last player left; when the
 * camera is no longer ingested here its players are ended.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { startFleet, type Fleet } from '@sim/index';
import { attachSubStreams } from '@server/ingest/sub-streams';
import { startMediaServer, type MediaServer } from '@workers/rtmp/media-server';
import { startRtspAuthProxy, type RtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';
import type { SubStreams } from '@workers/substream/on-demand';
import { httpFlvUrl, SUB_APP } from '@workers/rtmp/urls';
import { testBaseOctet } from '../sim/helpers';
import { readFlv, waitFor } from './helpers';
import { processAlive } from '@test/helpers/process';

const quiet = { info() {}, warn() {}, error() {}, debug() {} } as never;
/** An HTTP-FLV player for at most `ms`: the bytes it got, and whether the server ended the stream first. */
async function play(url: string, ms: number, onData?: (bytes: number) => void): Promise<{ body: Buffer; endedByServer: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    const res = await fetch(url, { signal: ac.signal });
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      chunks.push(Buffer.from(r.value));
      onData?.((bytes += r.value.length));
    }
    return { body: Buffer.concat(chunks), endedByServer: true };
  } catch (e) {
    if (!ac.signal.aborted) throw e;
    return { body: Buffer.concat(chunks), endedByServer: false };
  } finally {
    clearTimeout(timer);
  }
}
const capture = async (url: string, ms: number) => (await play(url, ms)).body;

describe('live: a camera sub stream, pulled only while someone watches it', function () {
  this.timeout(120_000);
  const GRACE_MS = 2_000;
  const cam = randomUUID();
  let fleet: Fleet | undefined;
  let media: MediaServer | undefined;
  let proxy: RtspAuthProxy | undefined;
  let subs: SubStreams | null = null;
  /** Whether this process still ingests the camera (false: lease lost, deleted, disabled). */
  let served = true;

  before(async () => {
    fleet = await startFleet({ cameras: 1, baseOctet: testBaseOctet(11), startOnvif: false, startDiscovery: false });
    const c = fleet.cameras[0]!;
    media = await startMediaServer({ host: '127.0.0.1', rtmpPort: 0, flvPort: 0, authorizePush: async () => false, logger: quiet });
    proxy = await startRtspAuthProxy();
    const spec = { id: cam, rtspUrl: c.rtspMainUrl, rtspSubUrl: c.rtspSubUrl, transport: 'tcp' as const, credentials: { username: c.username, password: c.password }, recording: { mode: 'off' as const, segmentSeconds: 60 } };
    subs = attachSubStreams(media, { specOf: (id) => (id === cam && served ? spec : null), proxy, graceMs: GRACE_MS, log: quiet });
  });
  after(async () => {
    await subs?.close();
    await media?.close();
    await proxy?.close();
    await fleet?.stop();
  });

  it('a player gets sub-resolution video; the ffmpeg runs only until the grace after the last player', async () => {
    expect(media!.hasSub(cam)).to.equal(true);
    expect(media!.hasSub(randomUUID())).to.equal(false);
    expect(subs!.pid(cam), 'nothing runs before anyone watches').to.equal(undefined);
    const url = httpFlvUrl(media!.flv, cam, SUB_APP);

    const r = await readFlv(url, 20_000);
    console.log(`      sub tile start (request -> first keyframe tag, ffmpeg started on demand): ${r.firstKeyframeMs?.toFixed(0)} ms`);
    expect(r.status).to.equal(200);
    expect(r.header).to.equal(true);
    expect(r.firstKeyframeMs, 'a keyframe within 20 s').to.be.a('number');
    const pid = subs!.pid(cam)!;
    expect(pid, 'the sub ffmpeg runs').to.be.a('number');
    expect(processAlive(pid)).to.equal(true);

    // What the player gets is the sub stream: 3 s of it (a second player, within the grace) to a file, its size by ffprobe.
    const file = join(mkdtempSync(join(tmpdir(), 'skyeye-sub-')), 'sub.flv');
    writeFileSync(file, await capture(url, 3_000));
    const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', file], { timeout: 30_000 });
    rmSync(file, { force: true });
    const [stream] = (JSON.parse(stdout) as { streams: Array<{ codec_name: string; width: number; height: number }> }).streams;
    expect(stream).to.deep.include({ codec_name: 'h264', width: 640, height: 360 });
    expect(subs!.pid(cam), 'the second player joined within the grace: same process').to.equal(pid);

    await waitFor(() => media!.playerCount(SUB_APP, cam) === 0, 5_000, 'the players leaving');
    await waitFor(() => subs!.pid(cam) === undefined && !processAlive(pid), GRACE_MS + 10_000, 'the sub ffmpeg to be stopped after the grace');
  });

  it('when the camera is no longer ingested here, its players are ended, not left waiting; so is a player of a camera not served here', async () => {
    const url = httpFlvUrl(media!.flv, cam, SUB_APP);
    let got = 0;
    const playing = play(url, 30_000, (n) => (got = n));
    await waitFor(() => got > 50_000, 20_000, 'sub-stream video reaching the player');
    const pid = subs!.pid(cam)!;
    served = false;
    const asked = Date.now();
    await subs!.specChanged(cam);
    const r = await playing;
    expect(r.endedByServer, 'the player was ended by the server').to.equal(true);
    console.log(`      player ended ${Date.now() - asked} ms after the camera left this process`);
    expect(processAlive(pid)).to.equal(false);
    await waitFor(() => media!.playerCount(SUB_APP, cam) === 0, 2_000, 'the media server to drop the player');

    const other = await play(httpFlvUrl(media!.flv, randomUUID(), SUB_APP), 10_000);
    expect(other.endedByServer, 'a player of a camera not served here is ended').to.equal(true);
  });
});
