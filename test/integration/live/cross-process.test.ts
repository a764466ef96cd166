/**
 * Live media wherever the ingesting worker runs (PostgreSQL only: separate processes share one
 * database). A worker-role Sky Eye with its own data dir ingests the camera; an api-role Sky Eye
 * with a different data dir serves its HLS and FLV (HTTP and WebSocket) to the browser by proxying to the lease holder.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '@config/load';
import { startSkyEye, type SkyEye } from '@server/start';
import { startFleet, type Fleet } from '@sim/index';
import { TEST_BACKEND } from '@test/helpers/database';
import { baseOctet, createSite, expectNoIngestFfmpeg, ingestFfmpegsOf, registerSimCamera, type Running, type Site, waitFor, waitStatus } from '../ingest/helpers';
import { openWsFlv, readFlv } from './helpers';

(TEST_BACKEND === 'postgres' ? describe : describe.skip)('live media across processes: api proxies to the worker holding the lease (postgres)', function () {
  this.timeout(120_000);
  let site: Site;
  let api: Running;
  let worker: SkyEye;
  let fleet: Fleet;
  let workerDir: string | undefined;

  before(async () => {
    workerDir = mkdtempSync(join(tmpdir(), 'skyeye-worker-')); // here, not in the body: a skipped suite makes none
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(3), startOnvif: false, startDiscovery: false, withSub: false });
    site = await createSite();
    // Every process shares the playback-token secret and the credential keys (as in production).
    const secret = {
      live: { playbackTokenSecret: 'shared-playback-secret-for-test-0123456789' },
      security: { credentialKeys: `k1:${randomBytes(32).toString('base64')}` },
    };
    api = await site.start({ role: 'api', ...secret });
    const config = loadConfig({
      env: { SKYEYE_DATA_DIR: workerDir, SKYEYE_HTTP_PORT: '0', SKYEYE_SIM_CAMERAS: '0', SKYEYE_LIVE_RTMP_PORT: '0', SKYEYE_LIVE_FLV_PORT: '0', SKYEYE_OPS_PORT: '0', DATABASE_URL: site.scratch.url! },
      overrides: { role: 'worker', ingest: { leaseTtl: '3s' }, ...secret },
    });
    worker = await startSkyEye(config, { logDestination: new Writable({ write: (_c, _e, cb) => cb() }) });
  });
  after(async function () {
    this.timeout(30_000);
    await worker?.stop();
    await api?.stop();
    await expectNoIngestFfmpeg();
    await fleet?.stop();
    await site?.drop();
    if (workerDir) rmSync(workerDir, { recursive: true, force: true });
  });

  it('the api (no local files, no media server) serves the worker\'s live HLS and FLV with the browser\'s token', async () => {
    const cam = fleet.cameras[0]!;
    const id = await registerSimCamera(api, cam, { name: 'Remote worker camera' });
    await waitStatus(api, id, 'live', 40_000);
    const [holder] = await api.ctx.database.query<{ worker_id: string; base_url: string }>(
      'SELECT l.worker_id, w.base_url FROM camera_leases l JOIN ingest_workers w ON w.id = l.worker_id WHERE l.camera_id = $1',
      [id],
    );
    expect(holder?.worker_id).to.equal(worker.ctx.instanceId);
    expect(holder?.base_url).to.equal(worker.url);

    const urls = (await api.api('GET', `/api/v1/cameras/${id}/live`)).body as { hls: string; flv: string };
    const playlistUrl = urls.hls;
    const browserToken = new URL(playlistUrl).searchParams.get('token')!;
    const text = await waitFor(async () => {
      const res = await fetch(playlistUrl);
      const t = res.status === 200 ? await res.text() : '';
      return t.includes('.ts') ? t : null;
    }, 20_000, 'a proxied playlist with segments');
    const segment = text.split('\n').find((l) => l && !l.startsWith('#'))!;
    // Segment URIs carry the browser's token, not the internal one, and point back at the api.
    expect(new URL(segment, playlistUrl).searchParams.get('token')).to.equal(browserToken);
    const seg = await fetch(new URL(segment, playlistUrl));
    expect(seg.status).to.equal(200);
    expect((await seg.arrayBuffer()).byteLength).to.be.greaterThan(1000);

    const flv = await readFlv(urls.flv, 10_000);
    expect(flv.status).to.equal(200);
    expect(flv.header).to.equal(true);
    expect(flv.videoTags).to.be.greaterThan(0);

    // The browser's FLV over WebSocket on the api port: the api proxies it from the worker too.
    const ws = openWsFlv(urls.flv);
    const played = await Promise.race([ws.playing.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000).unref())]);
    ws.close();
    expect(played, 'FLV over WebSocket through the api').to.equal(true);

    // Without a token the worker's own media routes refuse too.
    expect((await fetch(`${worker.url}/api/v1/live/${id}/index.m3u8`)).status).to.equal(401);
  });

  it('a change made through the api reaches the worker\'s ingest at once (database change feed, not the 10 s resync)', async () => {
    const { items } = (await api.api('GET', '/api/v1/cameras?q=Remote')).body as { items: Array<{ id: string; version: number }> };
    const { id, version } = items[0]!;
    expect(ingestFfmpegsOf(id).map((p) => p.cmdline).join(' ')).to.include('-rtsp_transport tcp');
    const t0 = Date.now();
    expect((await api.api('PATCH', `/api/v1/cameras/${id}`, { transport: 'udp', version })).status).to.equal(200);
    await waitFor(() => ingestFfmpegsOf(id).some((p) => p.cmdline.includes('-rtsp_transport udp')), 4_000, 'the worker to restart the camera over UDP');
    console.log(`      worker restarted the camera ${Date.now() - t0} ms after the api changed it`);
    await waitStatus(api, id, 'live', 30_000);
  });
});
