/**
 * Recorded playback with real ingest, the simulator and real ffmpeg: a range across a gap gives an
 * absolute tokenised VOD playlist (fMP4, map per file, discontinuities, program-date-time,
 * ENDLIST) that `ffmpeg -i <url> -f null -` plays to the end (seeking is checked in Chromium, test/e2e);
 * the open is audited; the token opens only that camera and range.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createIngestStore } from '@workers/store/paths';
import { expect } from 'chai';
import { startFleet, type Fleet } from '@sim/index';
import { RecordingsRepository } from '@server/recordings/repository';
import { TEST_BACKEND } from '@test/helpers/database';
import { baseOctet, createSite, expectNoIngestFfmpeg, ourFfmpegs, registerSimCamera, sleep, waitFor, waitStatus, type Running, type Site } from '@test/integration/ingest/helpers';

/** Runs ffmpeg (decoding) to the end; resolves with its exit code and stderr. Killed by the test's teardown if it hangs. */
function ffmpeg(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'info', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** The start (URL id) of every media file ffmpeg opened, in order. */
const openedFiles = (stderr: string) => [...stderr.matchAll(/Opening '[^']*\/(\d+)\/media\.m4s\?[^']*' for reading/g)].map((m) => m[1]!);
/** The start of every media file in the playlist at `url`. */
const playlistFiles = async (url: string) => [...(await (await fetch(url)).text()).matchAll(/^(\d+)\/media\.m4s\?/gm)].map((m) => m[1]!);

const lastTime = (stderr: string) => {
  const all = [...stderr.matchAll(/time=(\d+):(\d+):(\d+\.\d+)/g)];
  const m = all[all.length - 1];
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
};

describe(`recorded playback (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let site: Site;
  let app: Running;
  let fleet: Fleet;
  let id: string;
  let from: string;
  let to: string;
  let url: string;

  before(async function () {
    this.timeout(240_000);
    site = await createSite();
    app = await site.start({ ingest: { maxRestartDelay: '1s', recordingSegment: '2s' } });
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(9), startOnvif: false, startDiscovery: false, withSub: false });
    id = await registerSimCamera(app, fleet.cameras[0]!, { name: 'Playback camera' });
    await waitStatus(app, id, 'live', 30_000);
    const recordings = new RecordingsRepository(app.ctx.database);
    const repo = { list: (cameraId: string) => recordings.listSegments(cameraId, new Date(0), new Date(Date.now() + 3_600_000)) };
    await waitFor(async () => (await repo.list(id)).length >= 3, 30_000, 'three segments');
    fleet.cameras[0]!.setFault('refuse');
    await waitStatus(app, id, 'unreachable', 20_000);
    await sleep(3_000);
    const cleared = Date.now();
    fleet.cameras[0]!.clearFault();
    await waitStatus(app, id, 'live', 30_000);
    const segs = await waitFor(async () => {
      const s = await repo.list(id);
      return s.filter((x) => x.start.getTime() > cleared).length >= 3 ? s : null;
    }, 30_000, 'three segments after the gap');
    from = new Date(segs[0]!.start.getTime() + 1_000).toISOString();
    to = segs[segs.length - 1]!.end.toISOString();
    const r = await app.api('GET', `/api/v1/cameras/${id}/playback?from=${from}&to=${to}`);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    url = r.body.url;
  });
  after(async function () {
    this.timeout(30_000);
    for (const p of ourFfmpegs((c) => c.includes('/api/v1/playback/'))) process.kill(p.pid, 'SIGKILL');
    await app?.stop();
    await expectNoIngestFfmpeg();
    await fleet?.stop();
    await site?.drop();
  });

  it('GET /cameras/{id}/playback gives an absolute tokenised VOD playlist across the gap, and audits the open', async () => {
    expect(url).to.match(new RegExp(`^${app.url}/api/v1/playback/${id}/\\d+-\\d+/index\\.m3u8\\?token=`));
    const text = await (await fetch(url)).text();
    const lines = text.trim().split('\n');
    expect(lines.at(-1)).to.equal('#EXT-X-ENDLIST');
    expect(lines.filter((l) => l.startsWith('#EXT-X-MAP:')).length).to.be.at.least(5);
    expect(lines.filter((l) => l === '#EXT-X-DISCONTINUITY').length).to.equal(lines.filter((l) => l.startsWith('#EXT-X-MAP:')).length - 1);
    const pdts = lines.filter((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:')).map((l) => Date.parse(l.slice(25)));
    const durs = lines.filter((l) => l.startsWith('#EXTINF:')).map((l) => parseFloat(l.slice(8)) * 1000);
    const jumps = pdts.slice(1).map((t, i) => t - (pdts[i]! + durs[i]!));
    expect(Math.max(...jumps), 'a gap between two files').to.be.at.least(3_000);
    const base = url.slice(0, url.indexOf('index.m3u8'));
    const mapUri = /URI="([^"]+)"/.exec(lines.find((l) => l.startsWith('#EXT-X-MAP:'))!)![1]!;
    const init = Buffer.from(await (await fetch(base + mapUri)).arrayBuffer());
    expect(init.toString('latin1', 4, 8)).to.equal('ftyp');
    const media = Buffer.from(await (await fetch(base + lines.find((l) => l.includes('media.m4s'))!)).arrayBuffer());
    expect(media.toString('latin1', 4, 8)).to.equal('moof');
    const audit = await app.api('GET', `/api/v1/audit?action=recording.playback`);
    const entry = (audit.body.items as Array<{ action: string; targetId: string; details: { from: string; to: string } }>).find((e) => e.action === 'recording.playback' && e.targetId === id);
    expect(entry, JSON.stringify(audit.body).slice(0, 500)).to.not.equal(undefined);
    expect(entry!.details.from).to.equal(from);
  });

  it('ffmpeg plays it to the end, across segment boundaries and the gap', async () => {
    const r = await ffmpeg(['-i', url, '-f', 'null', '-']);
    expect(r.code, r.stderr.slice(-2000)).to.equal(0);
    // Every file, the ones after the gap included. (ffmpeg's own time= is no measure of it: each
    // file's timestamps start at zero, and it reported 7.9–9.9 s for 12.2 s of files.)
    const files = await playlistFiles(url);
    expect(files.length, 'files on both sides of the gap').to.be.at.least(5);
    expect(openedFiles(r.stderr)).to.deep.equal(files);
    const played = lastTime(r.stderr);
    console.log(`      ffmpeg decoded ${played} s`);
    expect(played).to.be.above(2);
  });

  it('plays from the archive (S3 with Range) once the cached copies are gone', async () => {
    const recordings = new RecordingsRepository(app.ctx.database);
    const inRange = async () => recordings.listSegments(id, new Date(from), new Date(to));
    await waitFor(async () => (await inRange()).every((s) => s.state === 'archived'), 60_000, 'the range archived');
    const store = createIngestStore(site.dataDir);
    for (const s of await inRange()) if (s.cacheKey) await rm(store.cachePath(s.cacheKey), { force: true });
    const r = await ffmpeg(['-i', url, '-f', 'null', '-']);
    expect(r.code, r.stderr.slice(-2000)).to.equal(0);
    expect(openedFiles(r.stderr)).to.deep.equal(await playlistFiles(url));
    expect(lastTime(r.stderr)).to.be.above(2);
  });

  it('the token opens only that camera and range; no token is 401', async () => {
    const u = new URL(url);
    expect((await fetch(`${u.origin}${u.pathname}`)).status).to.equal(401);
    const other = u.pathname.replace(/\/(\d+)-(\d+)\//, (_m, a: string, b: string) => `/${Number(a) - 60_000}-${b}/`);
    expect((await fetch(`${u.origin}${other}${u.search}`)).status).to.equal(403);
    const live = await app.api('GET', `/api/v1/cameras/${id}/live`);
    const liveToken = new URL(live.body.hls).searchParams.get('token')!;
    expect((await fetch(`${u.origin}${u.pathname}?token=${encodeURIComponent(liveToken)}`)).status).to.equal(403);
    const none = await app.api('GET', `/api/v1/cameras/${id}/playback?from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z`);
    expect(none.status).to.equal(404);
  });
});
