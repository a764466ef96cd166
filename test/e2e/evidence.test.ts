/**
 * Evidence in the console (Debian's Chromium): an investigator opens an incident, picks the two
 * cameras that recorded it and cuts their clips for the window in one request; progress arrives
 * live over socket.io and both end done with actual bounds and SHA-256, the second one partial with
 * its gap listed; the download is the hashed bytes. They add a clip to the evidence (legal hold,
 * custody entry), build a signed export package, download it, and the verify page says the uploaded
 * package is valid. On the multi-camera timeline they select both cameras, scrub, see both players
 * on the playhead's program-date-time, mark in/out and cut the marked range of both in one request.
 * Recordings are real fMP4 files in the hot cache (ffmpeg).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { RecordingsRepository } from '@server/recordings/repository';
import { createIngestStore } from '@workers/store/paths';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { recordSegments } from '@test/integration/clips/helpers';
import { insertCamera } from '@test/integration/recordings/helpers';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe(`e2e: incident -> clip -> evidence -> signed export -> verified (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let cam: string;
  let cam2: string;
  let incident: string;
  let base: number;
  const problems: string[] = [];
  const progress: string[] = [];

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    w = await startWorld();
    dir = await mkdtemp(join(tmpdir(), 'skyeye-e2e-evidence-'));
    base = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    cam = await insertCamera(w.srv.ctx.database); // at 34.09, 119.35
    cam2 = await insertCamera(w.srv.ctx.database);
    await w.srv.ctx.database.query(`UPDATE cameras SET created_at = now() - interval '2 hours' WHERE id = ANY($1::uuid[])`, [[cam, cam2]]);
    const store = createIngestStore(w.srv.dataDir);
    const repo = new RecordingsRepository(w.srv.ctx.database);
    await recordSegments(store, repo, cam, { base: new Date(base), count: 3, segSec: 4, gopSec: 2 });
    // The second camera lost its middle segment: its clip is partial.
    await recordSegments(store, repo, cam2, { base: new Date(base), count: 3, segSec: 4, gopSec: 2, skip: [1] });
    const at = (sec: number) => new Date(base + sec * 1000).toISOString();
    const filed = await w.as.operator.json('POST', '/api/v1/incidents', { title: '电动车被盗', category: 'theft', location: { lat: 34.0901, lon: 119.3501 }, radius: 300, from: at(1), to: at(9) });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    incident = filed.body.id;
    expect((await w.as.operator.json('PUT', `/api/v1/incidents/${incident}/assignees`, { userIds: [w.as.investigator.userId] })).status).to.equal(200);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && f.payload.includes('clip:progress') && progress.push(f.payload)));
    await signIn(page, w.srv.url, 'investigator', 'investigator-Pass-word-1');
  });
  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await w?.srv.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('cuts clips of two cameras in one request, adds one to the evidence, exports, downloads and verifies the package', async () => {
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith(`/incidents/${incident}/clips`) && posts.push(r.url()));
    await page.goto(`${w.srv.url}/incidents/${incident}`);
    await page.locator('[data-testid="realtime-status"][data-connected="true"]').waitFor();
    for (const id of [cam, cam2]) await page.locator(`[data-testid="clip-camera"][data-camera-id="${id}"]`).check();
    await page.getByTestId('clip-request').click();

    const clip = page.locator(`[data-testid="clip"][data-status="done"][data-camera-id="${cam}"]`);
    const partial = page.locator(`[data-testid="clip"][data-status="done"][data-camera-id="${cam2}"]`);
    await clip.waitFor({ timeout: 60_000 });
    await partial.waitFor({ timeout: 60_000 });
    expect(posts, 'one request for both cameras').to.have.length(1);
    await partial.getByTestId('clip-partial').waitFor();
    expect(await partial.getByTestId('clip-gaps').innerText()).to.match(/\d{2}:\d{2}:\d{2}/);
    expect(await clip.getByTestId('clip-partial').count()).to.equal(0);
    expect(progress.length, 'clip:progress reached the page over socket.io').to.be.greaterThan(0);
    const shown = (await clip.getByTestId('clip-sha256').innerText()).trim();
    expect(shown).to.match(/^[0-9a-f]{64}$/);
    await clip.getByTestId('clip-actual').waitFor();
    const [clipFile] = await Promise.all([page.waitForEvent('download'), clip.getByTestId('clip-download').click()]);
    expect(sha256(await readFile((await clipFile.path())!)), 'the downloaded clip is the hashed one').to.equal(shown);

    await clip.getByTestId('clip-attach').click();
    const item = page.locator('[data-testid="evidence-item"]');
    await item.waitFor();
    expect(await item.getAttribute('data-hold')).to.equal('held');
    expect((await item.getByTestId('evidence-sha256').innerText()).trim()).to.equal(shown);
    await item.getByTestId('evidence-custody-toggle').click();
    await page.locator('[data-testid="custody-entry"][data-action="attach"]').waitFor();

    await page.getByTestId('export-create').click();
    const exp = page.locator('[data-testid="export"][data-status="done"]');
    await exp.waitFor({ timeout: 60_000 });
    const [zip] = await Promise.all([page.waitForEvent('download'), exp.getByTestId('export-download').click()]);
    const file = join(dir, 'package.zip');
    await zip.saveAs(file);
    expect(sha256(await readFile(file))).to.equal((await exp.getByTestId('export-sha256').innerText()).trim());

    await page.getByTestId('verify-link').click();
    await page.getByTestId('verify-page').waitFor();
    await page.getByTestId('verify-file').setInputFiles(file);
    await page.getByTestId('verify-submit').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-ok'), await result.innerText()).to.equal('true');
    expect(await page.getByTestId('verify-signature').innerText()).to.match(/有效|Valid/);
    expect(problems, problems.join('\n')).to.deep.equal([]);

    // The lists the page reads: the incident's clips and exports, for those who may see it only.
    expect((await w.as.investigator.json('GET', `/api/v1/incidents/${incident}/clips`)).body.items).to.have.length(2);
    expect((await w.as.investigator.json('GET', `/api/v1/incidents/${incident}/exports`)).body.items[0]).to.include({ status: 'done', waiting: null });
    expect((await w.as.merchant.json('GET', `/api/v1/incidents/${incident}/clips`)).status).to.equal(404);
    expect((await w.as.merchant.json('GET', `/api/v1/incidents/${incident}/exports`)).status).to.equal(404);
  });

  it('plays both cameras in sync on the multi-camera timeline, marks in/out and cuts the range of both in one request', async () => {
    /** The recordings' GOP (recordSegments gopSec). */
    const GOP_MS = 2_000;
    const bodies: Array<{ cameraIds: string[]; from: string; to: string }> = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith(`/incidents/${incident}/clips`) && bodies.push(r.postDataJSON()));
    await page.goto(`${w.srv.url}/incidents/${incident}`);
    const panel = page.getByTestId('incident-timeline');
    for (const id of [cam, cam2]) await panel.locator(`[data-testid="mtl-camera"][data-camera-id="${id}"]`).check();
    const track = panel.locator(`[data-testid="mtl-row"][data-camera-id="${cam}"] [data-testid="playback-timeline"]`);
    const playhead = async () => Number(await panel.getAttribute('data-playhead'));
    /** Clicks the first camera's row at a share of the incident's window (1 s .. 9 s after `base`). */
    const scrub = async (share: number) => {
      const box = (await track.boundingBox())!;
      await page.mouse.click(box.x + box.width * share, box.y + box.height / 2);
    };
    /** Waits until the players of `ids` show a frame, paused on the playhead; returns their program-date-times. */
    const shown = async (ids: string[]) =>
      (await (
        await page.waitForFunction(
          (list) => {
            const walls = list.map((id) => {
              const p = document.querySelector(`[data-testid=mtl-player][data-camera-id="${id}"]`);
              const v = p?.querySelector('video');
              return v && v.paused && !v.seeking && v.readyState >= 2 && v.videoWidth > 0 ? Number(p!.getAttribute('data-wall') || 0) : 0;
            });
            return walls.every((x) => x > 0) ? walls : null;
          },
          ids,
          { timeout: 20_000, polling: 100 },
        )
      ).jsonValue()) as number[];

    // Scrub to 3 s: both cameras recorded it; both players show that program-date-time.
    await scrub(0.25);
    let head = await playhead();
    expect(Math.abs(head - (base + 3_000))).to.be.below(300);
    const walls = await shown([cam, cam2]);
    console.log(`      playhead ${new Date(head).toISOString()}, players at ${walls.map((x) => new Date(x).toISOString()).join(', ')}`);
    for (const [i, wall] of walls.entries()) expect(Math.abs(wall - head), `player ${i + 1}: ${new Date(wall).toISOString()} vs playhead ${new Date(head).toISOString()}`).to.be.at.most(GOP_MS);
    await page.keyboard.press('i');
    const from = head;

    // Scrub to 7 s: the second camera lost 4..8 s and says so; the first follows the playhead.
    await scrub(0.75);
    head = await playhead();
    await panel.locator(`[data-testid="mtl-player"][data-camera-id="${cam2}"][data-phase="gap"]`).waitFor();
    const [wall] = await shown([cam]);
    expect(Math.abs(wall! - head)).to.be.at.most(GOP_MS);
    await panel.getByTestId('mtl-out').click();
    const to = head;
    const range = panel.getByTestId('mtl-range');
    expect([Number(await range.getAttribute('data-from')), Number(await range.getAttribute('data-to'))]).to.deep.equal([from, to]);
    expect(await panel.locator('[data-testid="mtl-row"] [data-testid="timeline-range"]').count(), 'the range is drawn on both rows').to.equal(2);

    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/incidents/${incident}/clips`)), panel.getByTestId('mtl-cut').click()]);
    expect(bodies, 'one request for both cameras').to.have.length(1);
    const iso = (t: number) => new Date(t).toISOString();
    expect({ ...bodies[0], cameraIds: [...bodies[0]!.cameraIds].sort() }).to.deep.equal({ cameraIds: [cam, cam2].sort(), from: iso(from), to: iso(to) });
    const jobs = ((await w.as.investigator.json('GET', `/api/v1/incidents/${incident}/clips`)).body.items as Array<{ cameraId: string; requestedFrom: string; requestedTo: string }>).filter((c) => c.requestedFrom === iso(from));
    expect(jobs.map((c) => c.cameraId).sort()).to.deep.equal([cam, cam2].sort());
    for (const c of jobs) expect(c.requestedTo).to.equal(iso(to));
    // The page's clip list shows them (with their progress).
    await page.locator('[data-testid="clip"]').nth(3).waitFor();
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
