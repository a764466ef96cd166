/**
 * Recorded playback URLs are revoked with their viewer: the token opens the playlist, init
 * sections and media only while the sign-in it was issued to lives with the same user and role
 * (disable, sign-out, role change → 401) and while the footage rule still lets that user replay
 * the range (the owner switches the camera to live_only → 403), not for archive.playbackTtl.
 * A whole Sky Eye on the chosen database, real users through the API; the recorded files are
 * small fMP4-shaped files in this node's hot cache.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { client, fileMerchantCamera, login, startWorld, type Client, type World } from '@test/helpers/api';
import { cacheKeyOf } from '@workers/store/layout';
import { createIngestStore, formatSegmentStamp } from '@workers/store/paths';

const box = (type: string, body = Buffer.alloc(0)) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
/** ftyp+moov (the init section), then moof+mdat (the media). */
const FILE = Buffer.concat([box('ftyp', Buffer.from('isom\0\0\0\0', 'latin1')), box('moov'), box('moof'), box('mdat', Buffer.alloc(32, 1))]);

describe(`recorded playback is revoked with its viewer (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  const t0 = Date.now() - 10 * 60_000;

  /** Four one-minute recorded files from t0, cached on this node. */
  async function record(cameraId: string): Promise<void> {
    const store = createIngestStore(w.srv.ctx.config.dataDir);
    const node = await store.nodeId();
    for (let k = 0; k < 4; k++) {
      const key = cacheKeyOf(cameraId, `${formatSegmentStamp(new Date(t0 + k * 60_000))}.mp4`);
      await mkdir(dirname(store.cachePath(key)), { recursive: true });
      await writeFile(store.cachePath(key), FILE);
      await w.srv.ctx.database.query(
        `INSERT INTO recording_segments (camera_id, started_at, ended_at, duration_ms, bytes, sha256, prev_sha256, chain_seq, state, object_key, cache_key, cache_node, worker_id, fencing_token, retention_days)
         VALUES ($1, $2, $3, 60000, $4, repeat('a', 64), repeat('a', 64), $5, 'cached', $6, $7, $8, 'w1', 1, 30)`,
        [cameraId, new Date(t0 + k * 60_000).toISOString(), new Date(t0 + (k + 1) * 60_000).toISOString(), FILE.length, k, `rec/${key}`, key, node],
      );
    }
  }

  /** A fresh signed-in investigator (so disabling one never touches the world's users). */
  async function viewer(): Promise<{ c: Client; id: string; version: number; username: string }> {
    const username = `replayer${Math.random().toString(36).slice(2, 8)}`;
    const password = 'replayer-Pass-word-1';
    const r = await w.as.admin.json('POST', '/api/v1/users', { username, password, role: 'investigator', displayName: 'Replayer' });
    expect(r.status).to.equal(201);
    return { c: client(w.srv, await login(w.srv, username, password), r.body.id), id: r.body.id, version: r.body.version, username };
  }

  /** The playlist URL and the init and media URLs of its first file, checked to answer 200 now. */
  async function open(c: Client, cameraId: string): Promise<{ playlist: string; init: string; media: string }> {
    const from = new Date(t0 + 30_000).toISOString();
    const to = new Date(t0 + 3 * 60_000).toISOString();
    const r = await c.json('GET', `/api/v1/cameras/${cameraId}/playback?from=${from}&to=${to}`);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    const playlist = r.body.url as string;
    const res = await fetch(playlist);
    const text = await res.text();
    expect(res.status, text).to.equal(200);
    const base = playlist.slice(0, playlist.indexOf('index.m3u8'));
    const init = base + /URI="([^"]+)"/.exec(text)![1]!;
    const media = base + text.split('\n').find((l) => l.includes('media.m4s'))!;
    const i = await fetch(init);
    expect(Buffer.from(await i.arrayBuffer()).toString('latin1', 4, 8)).to.equal('ftyp');
    const m = await fetch(media);
    expect(Buffer.from(await m.arrayBuffer()).toString('latin1', 4, 8)).to.equal('moof');
    return { playlist, init, media };
  }

  async function expectRefused(url: string, status: 401 | 403): Promise<void> {
    const res = await fetch(url);
    const body = await res.text();
    expect(res.status, `${url.slice(url.indexOf('/playback/'), url.indexOf('?'))}: ${body}`).to.equal(status);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(JSON.parse(body).status).to.equal(status);
  }

  let road: string;
  before(async () => {
    w = await startWorld();
    const cam = await w.as.operator.json('POST', '/api/v1/cameras', { name: 'Road', kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:8554/c' });
    expect(cam.status, JSON.stringify(cam.body)).to.equal(201);
    road = cam.body.id as string;
    await record(road);
  });
  after(async () => {
    await w?.srv.close();
  });

  it('disabling the user ends the playlist, init and media URLs at once (401)', async () => {
    const v = await viewer();
    const urls = await open(v.c, road);
    const r = await w.as.admin.json('PATCH', `/api/v1/users/${v.id}`, { disabled: true, version: v.version });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    await expectRefused(urls.playlist, 401);
    await expectRefused(urls.init, 401);
    await expectRefused(urls.media, 401);
  });

  it('signing out ends them (401); another sign-in of the same user keeps its own', async () => {
    const v = await viewer();
    const other = await open(v.c, road);
    const second = client(w.srv, await login(w.srv, v.username, 'replayer-Pass-word-1'), v.id);
    const urls = await open(second, road);
    expect((await second.call('POST', '/api/v1/auth/logout')).status).to.equal(204);
    await expectRefused(urls.playlist, 401);
    await expectRefused(urls.media, 401);
    expect((await fetch(other.playlist)).status, 'the first sign-in still lives').to.equal(200);
    expect((await fetch(other.media)).status).to.equal(200);
  });

  it('a role change ends them (401)', async () => {
    const v = await viewer();
    const urls = await open(v.c, road);
    const r = await w.as.admin.json('PATCH', `/api/v1/users/${v.id}`, { role: 'operator', version: v.version });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    await expectRefused(urls.playlist, 401);
    await expectRefused(urls.media, 401);
  });

  it('the owner switching the camera to live_only ends them (403), and sharing again reopens them', async () => {
    const shop = await fileMerchantCamera(w, 'merchant', { name: 'Shop door', kind: 'shopfront', location: { lat: 34.1, lon: 119.36 }, rtspUrl: 'rtsp://127.0.0.99:554/s' });
    expect(shop.status, JSON.stringify(shop.body)).to.equal(201);
    const id = shop.body.id as string;
    await record(id);
    expect((await w.as.merchant.json('PUT', `/api/v1/cameras/${id}/sharing`, { mode: 'shared' })).status).to.equal(200);
    const v = await viewer();
    const urls = await open(v.c, id);
    expect((await w.as.merchant.json('PUT', `/api/v1/cameras/${id}/sharing`, { mode: 'live_only' })).status).to.equal(200);
    await expectRefused(urls.playlist, 403);
    // Segments may use an answer up to a second old.
    await new Promise((r) => setTimeout(r, 1_100));
    await expectRefused(urls.media, 403);
    expect((await w.as.merchant.json('PUT', `/api/v1/cameras/${id}/sharing`, { mode: 'shared' })).status).to.equal(200);
    expect((await fetch(urls.playlist)).status).to.equal(200);
  });
});
