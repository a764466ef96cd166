/**
 * A camera approved through the API is ingested by the runtime inside Sky Eye (role all): its
 * live HLS (served by the API from the worker's dataDir) and FLV work with a playback token;
 * suspension stops ingest at once, re-approval restarts it with new (never reused) HLS segment
 * names; an RTMP push camera enters the same pipeline.
 */
import { expect } from 'chai';
import { startFleet, type Fleet } from '@sim/index';
import { TEST_BACKEND } from '@test/helpers/database';
import { readFlv, spawnFfmpeg, testPattern, type Ffmpeg } from '../live/helpers';
import { baseOctet, createSite, expectNoIngestFfmpeg, ingestByCamera, ourFfmpegs, registerSimCamera, type Running, type Site, waitFor, waitStatus } from './helpers';

describe(`live ingest of an approved camera (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let site: Site;
  let app: Running;
  let fleet: Fleet;
  let cameraId: string;
  let pusher: Ffmpeg | undefined;

  before(async function () {
    this.timeout(60_000);
    site = await createSite();
    app = await site.start({ ingest: { maxRestartDelay: '2s' } });
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(1), startOnvif: false, startDiscovery: false, withSub: false });
  });
  after(async function () {
    this.timeout(30_000);
    await pusher?.kill();
    await app?.stop();
    await expectNoIngestFfmpeg();
    await fleet?.stop();
    await site?.drop();
    expect(ourFfmpegs()).to.have.length(0);
  });

  const segmentsOf = (playlist: string) => playlist.split('\n').filter((l) => l && !l.startsWith('#'));

  async function playlist(): Promise<{ text: string; hls: string; flv: string }> {
    const urls = await app.api('GET', `/api/v1/cameras/${cameraId}/live`);
    expect(urls.status).to.equal(200);
    expect(urls.body.hls).to.match(/token=/);
    expect(urls.body.hls.startsWith(`${app.url}/api/v1/live/`), urls.body.hls).to.equal(true);
    expect(urls.body.flv.startsWith(`${app.url}/api/v1/live/`), urls.body.flv).to.equal(true);
    const res = await fetch(urls.body.hls);
    return { text: res.status === 200 ? await res.text() : '', hls: urls.body.hls, flv: urls.body.flv };
  }

  it('goes live; GET /live gives HLS with segments and FLV bytes', async () => {
    const cam = fleet.cameras[0]!;
    const t0 = Date.now();
    cameraId = await registerSimCamera(app, cam, { name: 'Test road camera' });
    await waitStatus(app, cameraId, 'live', 25_000);
    console.log(`      live ${Date.now() - t0} ms after POST`);
    const pl = await waitFor(async () => {
      const p = await playlist();
      return p.text.startsWith('#EXTM3U') && segmentsOf(p.text).length > 0 ? p : null;
    }, 10_000, 'a playlist with segments');
    const seg = segmentsOf(pl.text)[0]!;
    expect(seg).to.match(/^seg-[A-Za-z0-9_-]+-\d+\.ts\?token=/);
    const segRes = await fetch(new URL(seg, pl.hls));
    expect(segRes.status).to.equal(200);
    expect((await segRes.arrayBuffer()).byteLength).to.be.greaterThan(1000);
    const flv = await readFlv(pl.flv, 10_000);
    expect(flv.status).to.equal(200);
    expect(flv.header).to.equal(true);
    expect(flv.videoTags).to.be.greaterThan(0);
    // The password never reaches ffmpeg's command line.
    for (const p of ourFfmpegs()) expect(p.cmdline).not.to.include(cam.password);
  });

  it('suspend stops ingest within seconds (disabled); approve restarts it with new segment names', async () => {
    const before = segmentsOf((await playlist()).text).map((s) => s.split('?')[0]);
    const t0 = Date.now();
    expect((await app.api('POST', `/api/v1/cameras/${cameraId}/enrollment`, { state: 'suspended', reason: 'test' })).status).to.equal(200);
    await waitStatus(app, cameraId, 'disabled', 5_000);
    await waitFor(() => !ingestByCamera().has(cameraId), 5_000, 'ingest ffmpeg to stop');
    console.log(`      disabled and ffmpeg gone ${Date.now() - t0} ms after suspension`);
    expect((await app.api('POST', `/api/v1/cameras/${cameraId}/enrollment`, { state: 'approved' })).status).to.equal(200);
    await waitStatus(app, cameraId, 'live', 25_000);
    const after = await waitFor(async () => {
      const s = segmentsOf((await playlist()).text).map((x) => x.split('?')[0]!);
      return s.length ? s : null;
    }, 10_000, 'new segments');
    for (const name of after) expect(before, `segment name ${name} reused`).not.to.include(name);
  });

  it('an RTMP push camera enters the same pipeline', async () => {
    const created = await app.api('POST', '/api/v1/cameras', {
      name: 'Pushing shop camera',
      kind: 'shopfront',
      location: { lat: 34.09, lon: 119.35 },
      rtspUrl: 'rtsp://127.0.0.1:9/unused',
      enrollmentState: 'approved',
    });
    const id = created.body.id as string;
    // The worker holds it (its RTSP pulls of a dead port are too short-lived to sample reliably).
    const leased = async () => (await app.ctx.database.query('SELECT 1 FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [id])).length > 0;
    await waitFor(leased, 20_000, 'the worker to take the new camera');
    const key = await app.api('POST', `/api/v1/cameras/${id}/push-key`);
    expect(key.status).to.equal(201);
    // The key turns it into a push camera: its ingest restarts on the push input at once (on the
    // bus event), not at the next periodic resync (10 s).
    const tKey = Date.now();
    await waitFor(async () => ourFfmpegs().some((p) => p.cmdline.includes(`live/${id}/index.m3u8`) && p.cmdline.includes(`/push/${id}`)) || null, 5_000, 'ingest on the push input');
    console.log(`      ingest on the push input ${Date.now() - tKey} ms after the key was issued`);
    pusher = spawnFfmpeg(testPattern(`${key.body.url}?key=${key.body.streamKey}`));
    const t0 = Date.now();
    await waitStatus(app, id, 'live', 40_000);
    console.log(`      push camera live ${Date.now() - t0} ms after pushing`);
    const cmd = ourFfmpegs().find((p) => p.cmdline.includes(`live/${id}/index.m3u8`))!.cmdline;
    expect(cmd).to.include('-analyzeduration 500000').and.include(`/push/${id}`);
    await pusher.kill();
    pusher = undefined;
  });
});
