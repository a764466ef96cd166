/**
 * Live media is revoked (issue 9 item 11): a playback token opens media only while its viewer
 * may still watch (checked at every use), and an open FLV stream ends at the token's expiry and
 * when its user is disabled or signs out, unless renewed in time with a fresh token of a sign-in
 * that still lives (the console's wall does, so its tiles never restart). A whole Sky Eye on the chosen database, real users
 * through the API, real node-media-server with a real ffmpeg publisher.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { client, login, startWorld, type Client, type World } from '@test/helpers/api';
import { createIngestStore } from '@workers/store/paths';
import { liveOutputUrl } from '@workers/rtmp/urls';
import { spawnFfmpeg, testPattern, waitFor, type Ffmpeg } from './helpers';

/** Long enough for the revocation cases to open their streams, short enough to watch one expire. */
const TTL_S = 8;
/** How long a stream is given to end before the test calls it "still open" (a bound, not a speed claim). */
const GRACE_MS = 6000;

interface OpenFlv {
  /** Resolves when a first video tag has arrived. */
  playing: Promise<void>;
  /** Resolves when the response body ends or breaks. */
  ended: Promise<void>;
  /** Bytes received so far. */
  bytes(): number;
  abort(): void;
}

function openFlv(url: string): OpenFlv {
  const ac = new AbortController();
  let onPlaying!: () => void;
  let bytes = 0;
  const playing = new Promise<void>((r) => (onPlaying = r));
  const ended = (async () => {
    try {
      const res = await fetch(url, { signal: ac.signal });
      if (res.status !== 200 || !res.body) throw new Error(`FLV answered ${res.status}`);
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        bytes += value.length;
        if (bytes > 13 + 11) onPlaying();
      }
    } catch (e) {
      if (!ac.signal.aborted && (e as Error).message.startsWith('FLV answered')) throw e;
    }
  })();
  return { playing, ended, bytes: () => bytes, abort: () => ac.abort() };
}

const within = <T,>(p: Promise<T>, ms: number): Promise<'ended' | 'still open'> =>
  Promise.race([p.then(() => 'ended' as const), new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms).unref())]);

describe(`live media is revoked with its viewer (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  let cam: string;
  let publisher: Ffmpeg;
  const streams: OpenFlv[] = [];

  /** A fresh signed-in investigator (so disabling one never touches the world's users). */
  async function viewer(): Promise<{ c: Client; id: string; version: number }> {
    const username = `watcher${Math.random().toString(36).slice(2, 8)}`;
    const password = 'watcher-Pass-word-1';
    const r = await w.as.admin.json('POST', '/api/v1/users', { username, password, role: 'investigator', displayName: 'Watcher' });
    expect(r.status).to.equal(201);
    return { c: client(w.srv, await login(w.srv, username, password), r.body.id), id: r.body.id, version: r.body.version };
  }
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
  const expiryOf = (url: string) => Number(JSON.parse(Buffer.from(tokenOf(url).split('.')[1]!, 'base64url').toString()).e) * 1000;
  /** The FLV URL with a stream id the player picked, so the stream can be renewed. */
  const withStream = (url: string, id: string) => `${url}&stream=${id}`;
  const renew = (streamId: string, token: string) =>
    fetch(`${w.srv.url}/api/v1/live/streams/${streamId}/renew`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
  const liveUrls = async (c: Client) => {
    const r = await c.json('GET', `/api/v1/cameras/${cam}/live`);
    expect(r.status).to.equal(200);
    return r.body as { hls: string; flv: string; sub?: { flv: string } };
  };
  const disable = async (v: { id: string; version: number }) => {
    const r = await w.as.admin.json('PATCH', `/api/v1/users/${v.id}`, { disabled: true, version: v.version });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
  };
  const flv = (url: string) => {
    const s = openFlv(url);
    streams.push(s);
    return s;
  };

  before(async () => {
    w = await startWorld({ live: { playbackTokenTtl: `${TTL_S}s` } });
    cam = (await w.as.operator.json('POST', '/api/v1/cameras', { name: 'Revocation', kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:8554/revocation', rtspSubUrl: 'rtsp://127.0.0.1:8554/revocation-sub' })).body.id;
    // The media server's RTMP port, as the API tells a push camera.
    const key = await w.as.operator.json('POST', `/api/v1/cameras/${cam}/push-key`);
    const port = Number(new URL(key.body.url).port);
    // What the ingest republish does: publish the camera's live stream on the media server.
    publisher = spawnFfmpeg(testPattern(liveOutputUrl({ host: '127.0.0.1', port }, cam)));
    const dir = createIngestStore(w.srv.dataDir).liveDir(cam);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:1.000000,\nseg-1.ts\n');
    const probe = await viewer();
    await waitFor(async () => {
      const s = openFlv((await liveUrls(probe.c)).flv);
      const r = await within(s.playing, 3000);
      s.abort();
      return r === 'ended';
    }, 30_000, 'the live stream plays through the API');
  });
  afterEach(() => {
    for (const s of streams.splice(0)) s.abort();
  });
  after(async () => {
    await publisher?.kill();
    await w?.srv.close();
  });

  it("a disabled user's token no longer opens HLS (checked at every use)", async () => {
    const v = await viewer();
    const { hls } = await liveUrls(v.c);
    expect((await fetch(hls)).status).to.equal(200);
    await disable(v);
    const res = await fetch(hls);
    expect(res.status).to.equal(401);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });

  it("a signed-out session's token no longer opens HLS or FLV (main or sub stream)", async () => {
    const v = await viewer();
    const urls = await liveUrls(v.c);
    expect(urls.sub?.flv, 'a camera with a sub stream').to.equal(urls.flv.replace('.flv?', '/sub.flv?'));
    expect((await v.c.call('POST', '/api/v1/auth/logout')).status).to.equal(204);
    expect((await fetch(urls.hls)).status).to.equal(401);
    expect((await fetch(urls.flv)).status).to.equal(401);
    expect((await fetch(urls.sub!.flv)).status).to.equal(401);
  });

  it('an open FLV stream ends when its user is disabled', async () => {
    const v = await viewer();
    const other = await viewer();
    const mine = flv((await liveUrls(v.c)).flv);
    const theirs = flv((await liveUrls(other.c)).flv);
    await Promise.all([mine.playing, theirs.playing]);
    await disable(v);
    expect(await within(mine.ended, GRACE_MS), "the disabled user's stream").to.equal('ended');
    expect(await within(theirs.ended, 500), "another user's stream plays on").to.equal('still open');
  });

  it('an open FLV stream ends when its session signs out', async () => {
    const v = await viewer();
    const s = flv((await liveUrls(v.c)).flv);
    await s.playing;
    expect((await v.c.call('POST', '/api/v1/auth/logout')).status).to.equal(204);
    expect(await within(s.ended, GRACE_MS)).to.equal('ended');
  });

  it("an open FLV stream ends at its token's expiry", async () => {
    const v = await viewer();
    const { flv: url } = await liveUrls(v.c);
    const expiresAt = Number(JSON.parse(Buffer.from(new URL(url).searchParams.get('token')!.split('.')[1]!, 'base64url').toString()).e) * 1000;
    const s = flv(url);
    await s.playing;
    expect(await within(s.ended, expiresAt - Date.now() + GRACE_MS), 'the stream past its expiry').to.equal('ended');
    expect(Date.now(), 'it ended because the token expired, not before').to.be.at.least(expiresAt - 1000);
  });

  it('an FLV stream renewed before expiry flows past it; one not renewed closes', async () => {
    const v = await viewer();
    const { flv: url } = await liveUrls(v.c);
    const expiresAt = expiryOf(url);
    const [kept, dropped] = [randomUUID(), randomUUID()];
    const renewed = flv(withStream(url, kept));
    const plain = flv(withStream(url, dropped));
    await Promise.all([renewed.playing, plain.playing]);
    await sleepUntil(expiresAt - 3000);
    const fresh = (await liveUrls(v.c)).flv;
    const r = await renew(kept, tokenOf(fresh));
    expect(r.status, await r.clone().text()).to.equal(200);
    const newExpiry = Date.parse(((await r.json()) as { expiresAt: string }).expiresAt);
    expect(newExpiry).to.equal(expiryOf(fresh));
    expect(await within(plain.ended, expiresAt - Date.now() + GRACE_MS), 'the stream not renewed').to.equal('ended');
    expect(Date.now(), 'past the first expiry').to.be.at.least(expiresAt - 1000);
    const before = renewed.bytes();
    await waitFor(async () => renewed.bytes() > before, GRACE_MS, 'media flows on the renewed stream past the first expiry');
    expect(await within(renewed.ended, 200), 'the renewed stream').to.equal('still open');
    // Not renewed again: it closes at the renewed deadline.
    expect(await within(renewed.ended, newExpiry - Date.now() + GRACE_MS), 'the renewed stream past its new expiry').to.equal('ended');
  });

  it("another sign-in's token cannot renew a stream; a bad body is a 400", async () => {
    const v = await viewer();
    const other = await viewer();
    const id = randomUUID();
    const s = flv(withStream((await liveUrls(v.c)).flv, id));
    await s.playing;
    expect((await renew(id, tokenOf((await liveUrls(other.c)).flv))).status).to.equal(404);
    const bad = await fetch(`${w.srv.url}/api/v1/live/streams/${id}/renew`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).to.equal('token');
    expect((await fetch(withStream((await liveUrls(v.c)).flv, 'nope'))).status).to.equal(400);
    expect(await within(s.ended, 200)).to.equal('still open');
  });

  for (const how of ['signed out', 'disabled'] as const) {
    it(`renewal with a token of a ${how} user is refused and the stream is closed`, async () => {
      const v = await viewer();
      const id = randomUUID();
      const s = flv(withStream((await liveUrls(v.c)).flv, id));
      await s.playing;
      const fresh = tokenOf((await liveUrls(v.c)).flv);
      if (how === 'signed out') expect((await v.c.call('POST', '/api/v1/auth/logout')).status).to.equal(204);
      else await disable(v);
      const r = await renew(id, fresh);
      expect(r.status).to.equal(401);
      expect(r.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(await within(s.ended, GRACE_MS)).to.equal('ended');
    });
  }
});
