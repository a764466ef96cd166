/**
 * On-demand FLV republish (issue 13): the ingest ffmpeg's FLV output (the real tee builder) goes
 * to the media server's per-camera loopback gate; with nobody watching node-media-server sees no
 * publisher and parses nothing, a player gets video at once (the gate's GOP cache), and the
 * publish ends after the last player left + grace. Real node-media-server, real ffmpeg.
 */
import http from 'node:http';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { flvOutputArgs } from '@workers/ffmpeg/args';
import { startMediaServer, type MediaServer } from '@workers/rtmp/media-server';
import { httpFlvUrl } from '@workers/rtmp/urls';
import { readFlv, spawnFfmpeg, waitFor, type Ffmpeg } from './helpers';

/** What the ingest writes: the FLV tee slave of the real argument builder (GOP 2 s). */
const startIngest = (url: string): Ffmpeg => spawnFfmpeg(['-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-pix_fmt', 'yuv420p', ...flvOutputArgs(url, 'h264')]);

/** An HTTP-FLV player that stays until closed, counting bytes. */
function player(url: string): { bytes(): number; close(): void } {
  let n = 0;
  const req = http.get(url, (res) => res.on('data', (d: Buffer) => (n += d.length)).on('error', () => undefined));
  req.on('error', () => undefined);
  return { bytes: () => n, close: () => req.destroy() };
}

/** Tags of an FLV byte stream fed in pieces (type, timestamp, keyframe), and how many FLV headers it held. */
function flvTags() {
  let buf = Buffer.alloc(0);
  const list: Array<{ type: number; ts: number; key: boolean }> = [];
  let headers = 0;
  const push = (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      if (buf.length >= 13 && buf.subarray(0, 3).toString('latin1') === 'FLV') {
        headers++;
        buf = buf.subarray(13);
        continue;
      }
      if (buf.length < 11) return;
      const end = 11 + buf.readUIntBE(1, 3) + 4;
      if (buf.length < end) return;
      list.push({ type: buf[0]!, ts: ((buf[7]! << 24) | buf.readUIntBE(4, 3)) >>> 0, key: buf[0] === 9 && buf[11]! >> 4 === 1 && buf[12] === 1 });
      buf = buf.subarray(end);
    }
  };
  return { list, push, get headers() { return headers; } };
}

const quiet = { info() {}, warn() {}, error() {}, debug() {} } as never;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live: FLV republish only while someone watches', function () {
  this.timeout(90_000);
  const GRACE_MS = 1_000;
  let media: MediaServer;
  let ingest: Ffmpeg | undefined;
  const cam = randomUUID();

  before(async () => {
    media = await startMediaServer({ host: '127.0.0.1', rtmpPort: 0, flvPort: 0, authorizePush: async () => false, logger: quiet, flvOnDemand: { graceMs: GRACE_MS } });
    const url = await media.liveOutput(cam);
    expect(url).to.match(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    ingest = startIngest(url);
    await waitFor(() => (media.flvGateStats(cam)?.bytesIn ?? 0) > 50_000, 20_000, 'the ingest writing FLV to the gate');
  });
  after(async () => {
    await ingest?.kill();
    await media?.close();
  });

  it('with nobody watching, node-media-server has no publisher and parses no byte', async () => {
    await sleep(1_500);
    const s = media.flvGateStats(cam)!;
    expect(s.connected).to.equal(true);
    expect(s.bytesIn).to.be.greaterThan(50_000);
    expect(s.bytesRepublished).to.equal(0);
    expect(s.republishing).to.equal(false);
    expect(media.isPublishing('live', cam)).to.equal(false);
  });

  it('a player gets a keyframe at once (GOP cache), and the publish stops after the last player + grace', async () => {
    const r = await readFlv(httpFlvUrl(media.flv, cam), 10_000);
    console.log(`      tile start (request -> first keyframe tag): ${r.firstKeyframeMs?.toFixed(0)} ms`);
    expect(r.status).to.equal(200);
    expect(r.firstKeyframeMs, 'first keyframe within 10 s').to.be.a('number');
    // A GOP is 2 s: a start well under it comes from the cache, not from waiting for the next keyframe.
    expect(media.flvGateStats(cam)!.bytesRepublished).to.be.greaterThan(0);
    await waitFor(() => media.playerCount('live', cam) === 0, 5_000, 'the player leaving');
    expect(media.flvGateStats(cam)!.republishing, 'still republishing within the grace').to.equal(true);
    await waitFor(() => !media.flvGateStats(cam)!.republishing && !media.isPublishing('live', cam), GRACE_MS + 10_000, 'the republish stopping');
    const after = media.flvGateStats(cam)!.bytesRepublished;
    await sleep(1_000);
    expect(media.flvGateStats(cam)!.bytesRepublished).to.equal(after);
    expect(media.flvGateStats(cam)!.connected, 'the ingest output stays connected').to.equal(true);
  });

  it('two players: the publish goes on while one is left, across an ingest restart, and ends with the last', async () => {
    const a = player(httpFlvUrl(media.flv, cam));
    const b = player(httpFlvUrl(media.flv, cam));
    await waitFor(() => a.bytes() > 20_000 && b.bytes() > 20_000, 10_000, 'both players receiving');
    b.close();
    await sleep(GRACE_MS + 1_000);
    expect(media.playerCount('live', cam)).to.equal(1);
    expect(media.flvGateStats(cam)!.republishing, 'one player left: still republishing').to.equal(true);
    // The ingest ffmpeg restarts (a camera reconnect): the player stays and gets video again.
    await ingest!.kill();
    ingest = startIngest(await media.liveOutput(cam));
    const mark = a.bytes();
    await waitFor(() => a.bytes() > mark + 50_000, 20_000, 'video again after the ingest restart');
    a.close();
    await waitFor(() => !media.flvGateStats(cam)!.republishing && !media.isPublishing('live', cam), GRACE_MS + 10_000, 'the republish stopping');
  });

  it('a direct viewer (the API path): a keyframe at once, node-media-server untouched, one timeline across an ingest restart', async () => {
    const repBefore = media.flvGateStats(cam)!.bytesRepublished;
    const ac = new AbortController();
    const t0 = performance.now();
    const stream = media.watchLive(cam, ac.signal);
    expect(stream, 'the gate serves the camera').to.not.equal(null);
    const tags = flvTags();
    let firstKeyMs: number | undefined;
    stream!.on('data', (d: Buffer) => {
      tags.push(d);
      if (firstKeyMs === undefined && tags.list.some((t) => t.key)) firstKeyMs = performance.now() - t0;
    });
    stream!.on('error', () => undefined);
    await waitFor(() => firstKeyMs !== undefined, 10_000, 'a keyframe');
    console.log(`      direct tile start (watch -> first keyframe tag): ${firstKeyMs!.toFixed(0)} ms`);
    expect(media.flvGateStats(cam)!.directViewers).to.equal(1);
    await ingest!.kill();
    ingest = startIngest(await media.liveOutput(cam));
    const mark = tags.list.length;
    await waitFor(() => tags.list.length > mark + 50, 20_000, 'video again after the ingest restart');
    expect(tags.headers, 'one FLV header').to.equal(1);
    const video = tags.list.filter((t) => t.type === 9).map((t) => t.ts);
    const back = video.findIndex((ts, i) => i > 0 && ts < video[i - 1]!);
    expect(back, `video timestamps go back at tag ${back}: ${video.slice(Math.max(0, back - 3), back + 3).join(', ')}`).to.equal(-1);
    expect(media.isPublishing('live', cam), 'node-media-server has no publisher').to.equal(false);
    expect(media.flvGateStats(cam)!.bytesRepublished, 'nothing republished').to.equal(repBefore);
    ac.abort();
    await waitFor(() => media.flvGateStats(cam)!.directViewers === 0, 5_000, 'the viewer leaving');
  });

  it('a process that is not our descendant cannot write to the gate', async () => {
    const url = new URL(await media.liveOutput(cam));
    const before = media.flvGateStats(cam)!.bytesIn;
    const sock = net.connect(Number(url.port), '127.0.0.1');
    sock.on('error', () => undefined);
    sock.write(Buffer.from('FLV\x01\x01\x00\x00\x00\x09\x00\x00\x00\x00'));
    await new Promise((r) => sock.once('close', r));
    // The gate drops the stranger; our ingest is still the source.
    expect(media.flvGateStats(cam)!.connected).to.equal(true);
    await waitFor(() => media.flvGateStats(cam)!.bytesIn > before + 20_000, 10_000, 'the ingest still writing');
  });
});
