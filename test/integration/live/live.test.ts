import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createIngestStore } from '@workers/store/paths';
import { PushKeyRepository } from '@server/ingest/push-key-repository';
import { pushInputFor } from '@workers/rtmp/push-input';
import { liveOutputUrl, pushInputUrl } from '@workers/rtmp/urls';
import { signPlaybackToken } from '@server/live/playback-token';
import { resolvePlaybackSecret } from '@server/live/secret';
import { readFlv, spawnFfmpeg, startLiveHarness, testPattern, waitFor, type Ffmpeg, type LiveHarness } from './helpers';

const ACTOR = { actorId: null, actorName: 'test', actorRole: 'admin', ip: null, requestId: null };

describe('live delivery (node-media-server, HTTP-FLV and HLS through the API)', function () {
  this.timeout(60_000);
  let app: LiveHarness;
  const spawned: Ffmpeg[] = [];
  const ffmpeg = (args: string[]) => {
    const f = spawnFfmpeg(args);
    spawned.push(f);
    return f;
  };

  async function addCamera(name: string): Promise<string> {
    const [row] = await app.database.query<{ id: string }>(
      `INSERT INTO cameras (name, kind, lat, lon, enrollment_state) VALUES ($1, 'shopfront', 34.09, 119.35, 'approved') RETURNING id`,
      [name],
    );
    return row!.id;
  }
  const media = () => app.media;
  const apiUrl = (path: string) => app.url + path;

  before(async () => {
    app = await startLiveHarness();
  });
  afterEach(async () => {
    await Promise.all(spawned.splice(0).map((f) => f.kill()));
  });
  after(async () => {
    await Promise.all(spawned.splice(0).map((f) => f.kill()));
    await app?.close();
  });

  it('starts node-media-server on loopback ephemeral ports with the Sky Eye process', () => {
    const m = media();
    expect(m.rtmp.host).to.equal('127.0.0.1');
    expect(m.rtmp.port).to.be.greaterThan(0);
    expect(m.flv.port).to.be.greaterThan(0);
  });

  it('accepts a push with the camera key; the republished stream plays as FLV through the API with a token', async () => {
    const cam = await addCamera('shop push');
    const { streamKey, url } = await app.live.rotatePushKey(cam, ACTOR);
    expect(url).to.equal(`rtmp://127.0.0.1:${media().rtmp.port}/push/${cam}`);
    expect(await pushInputFor(new PushKeyRepository(app.database.db), cam, media().rtmp)).to.equal(pushInputUrl(media().rtmp, cam));

    const t0 = performance.now();
    ffmpeg(testPattern(`${url}?key=${streamKey}`));
    await waitFor(() => media().isPublishing('push', cam), 15_000, 'push publish');
    const publishMs = performance.now() - t0;
    // The ingest republish (what workers/ffmpeg does with -c copy -f flv).
    ffmpeg(['-fflags', 'nobuffer', '-analyzeduration', '500000', '-probesize', '65536', '-i', pushInputUrl(media().rtmp, cam), '-map', '0:v:0', '-c', 'copy', '-f', 'flv', liveOutputUrl(media().rtmp, cam)]);
    await waitFor(() => media().isPublishing('live', cam), 15_000, 'live republish');
    const republishMs = performance.now() - t0;

    const { flv } = app.live.playback(cam, await app.viewer());
    expect(flv).to.match(new RegExp(`^/api/v1/live/${cam}\\.flv\\?token=v1\\.`));
    const got = await readFlv(apiUrl(flv), 10_000);
    expect(got.status).to.equal(200);
    expect(got.contentType).to.equal('video/x-flv');
    // Close-delimited, not chunked: one plain write per frame (server/live/media-routes.ts).
    expect(got.transferEncoding, 'Transfer-Encoding of the FLV response').to.equal(null);
    expect(got.header, 'starts with FLV').to.equal(true);
    expect(got.firstKeyframeMs, 'a keyframe from the GOP cache').to.be.a('number');
    expect(got.firstKeyframeMs!).to.be.lessThan(3000);
     
    console.log(`      push publish ${publishMs.toFixed(0)} ms, republish live ${republishMs.toFixed(0)} ms after spawn; through API: first byte ${got.firstByteMs?.toFixed(0)} ms, first keyframe ${got.firstKeyframeMs?.toFixed(0)} ms`);

    // A tile opened later starts at once from the GOP cache.
    await new Promise((r) => setTimeout(r, 1500));
    const again = await readFlv(apiUrl(flv), 5000);
    expect(again.firstKeyframeMs!).to.be.lessThan(1000);
     
    console.log(`      steady state through API: first byte ${again.firstByteMs?.toFixed(0)} ms, first keyframe ${again.firstKeyframeMs?.toFixed(0)} ms`);

    // The client left: its node-media-server player session is gone.
    await waitFor(() => media().playerCount('live', cam) === 0, 3000, 'upstream FLV session closed after the client left');
  });

  it('refuses a push with a wrong, missing or rotated-away key', async () => {
    const cam = await addCamera('shop refused');
    const first = await app.live.rotatePushKey(cam, ACTOR);
    const second = await app.live.rotatePushKey(cam, ACTOR);
    expect(second.streamKey).not.to.equal(first.streamKey);
    for (const key of ['sk_wrong', '', first.streamKey]) {
      const f = ffmpeg(testPattern(key ? `${second.url}?key=${key}` : second.url));
      const code = await Promise.race([f.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 10_000))]);
      expect(code, `ffmpeg with key "${key ? key.slice(0, 6) : '(none)'}" is refused`).not.to.equal(0);
      expect(media().isPublishing('push', cam)).to.equal(false);
      await f.kill();
    }
    const logs = app.logs();
    expect(logs).to.include('push refused');
    expect(logs).not.to.include(first.streamKey);
    expect(logs).not.to.include(second.streamKey);
  });

  it('answers expired, tampered, missing and wrong-camera tokens with problem+json', async () => {
    const cam = await addCamera('token cam');
    const other = await addCamera('other cam');
    const secret = resolvePlaybackSecret(undefined, app.dataDir);
    const expired = signPlaybackToken(secret, { cameraId: cam, userId: 'u', expiresAt: new Date(Date.now() - 1000) });
    const good = new URL(apiUrl(app.live.playback(cam, await app.viewer()).hls)).searchParams.get('token')!;
    const tampered = good.slice(0, -3) + (good.endsWith('AAA') ? 'BBB' : 'AAA');
    const cases: Array<[string, number]> = [
      [`/api/v1/live/${cam}/index.m3u8?token=${encodeURIComponent(expired)}`, 401],
      [`/api/v1/live/${cam}/index.m3u8?token=${encodeURIComponent(tampered)}`, 401],
      [`/api/v1/live/${cam}/index.m3u8`, 401],
      [`/api/v1/live/${cam}.flv?token=${encodeURIComponent(expired)}`, 401],
      [`/api/v1/live/${cam}/seg-1.ts?token=garbage`, 401],
      [`/api/v1/live/${other}/index.m3u8?token=${encodeURIComponent(good)}`, 403],
      [`/api/v1/live/${other}.flv?token=${encodeURIComponent(good)}`, 403],
    ];
    for (const [path, status] of cases) {
      const res = await fetch(apiUrl(path));
      expect(res.status, path).to.equal(status);
      expect(res.headers.get('content-type'), path).to.match(/^application\/problem\+json/);
      const body = (await res.json()) as { status: number; instance: string };
      expect(body.status).to.equal(status);
      expect(body.instance).not.to.include('token');
    }
    expect(app.logs()).not.to.include(good);
  });

  it('serves the live HLS playlist (no-cache, token-carrying URIs) and segments (immutable)', async () => {
    const cam = await addCamera('hls cam');
    const { hls } = app.live.playback(cam, await app.viewer());
    const none = await fetch(apiUrl(hls));
    expect(none.status, 'no playlist and no worker holds the camera: try again shortly').to.equal(503);
    expect(none.headers.get('retry-after')).to.match(/^\d+$/);

    const dir = createIngestStore(app.dataDir).liveDir(cam);
    mkdirSync(dir, { recursive: true });
    const segment = Buffer.alloc(188 * 10, 0x47);
    writeFileSync(join(dir, 'seg-3.ts'), segment);
    writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:1.000000,\nseg-3.ts\n');

    const res = await fetch(apiUrl(hls));
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    expect(res.headers.get('content-type')).to.match(/^application\/vnd\.apple\.mpegurl/);
    const text = await res.text();
    const token = new URL(apiUrl(hls)).searchParams.get('token')!;
    const segLine = text.split('\n').find((l) => l.startsWith('seg-3.ts'))!;
    expect(segLine).to.equal(`seg-3.ts?token=${encodeURIComponent(token)}`);

    const segUrl = new URL(segLine, apiUrl(hls)).toString();
    const seg = await fetch(segUrl);
    expect(seg.status).to.equal(200);
    expect(seg.headers.get('cache-control')).to.equal('private, max-age=86400, immutable');
    expect(seg.headers.get('content-type')).to.equal('video/mp2t');
    expect(Buffer.from(await seg.arrayBuffer()).equals(segment)).to.equal(true);

    expect((await fetch(new URL(`seg-99.ts?token=${encodeURIComponent(token)}`, apiUrl(hls)))).status, 'rotated away').to.equal(404);
    expect((await fetch(apiUrl(`/api/v1/live/${cam}/..%2Fsecrets?token=${encodeURIComponent(token)}`))).status, 'no traversal').to.equal(404);
    expect((await fetch(segUrl.replace('token=', 'token=x'))).status, 'segments need the token too').to.equal(401);
  });
});
