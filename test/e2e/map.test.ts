/**
 * The camera map in the console (Debian's Chromium): 121 cameras imported through the registry API
 * (ingest off: they stay `unknown` until the test writes a status through the cameras service,
 * which pushes it over socket.io as a worker's write would; `offline`, because the unattended
 * watch would correct a worker-only status such as `live` on a camera no worker holds). At county zoom the crowd is clustered; a lone
 * camera 5 km away is its own marker, recoloured live when its status changes; its popup opens
 * playback. The incident page shows the incident's point with only the cameras in its radius.
 * Leaflet's CSS loads under the app's CSP and nothing is fetched from another origin. A circle or a
 * rectangle dragged around two cameras selects exactly them; they open on the wall together, or go
 * to an open incident or a new one at the selection's centre (checked through the API).
 */
import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { createIncident } from '@test/integration/incidents/helpers';

const KINDS = ['road', 'household', 'shopfront'] as const;

/** A marker's box once the map has settled (a redraw after the first framing replaces the elements). */
async function boxOf(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  for (let i = 0; i < 50; i++) {
    const b = await l.boundingBox().catch(() => null);
    if (b) return b;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('marker never settled on screen');
}
/** The box once it stops moving (the first framing may still be zooming when the marker appears). */
async function stillBoxOf(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await boxOf(l);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const b = await boxOf(l);
    if (b.x === last.x && b.y === last.y) return b;
    last = b;
  }
  throw new Error('marker never stopped moving');
}
const CROWD = 120;
const LONE = { lat: 34.09, lon: 119.405 };

describe(`e2e: the camera map (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let browser: Browser;
  let page: Page;
  let lone = '';
  const problems: string[] = [];
  const foreign: string[] = [];

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    w = await startWorld();
    const rows = Array.from({ length: CROWD }, (_, i) => ({
      name: `地图点位 ${i + 1}`,
      kind: KINDS[i % 3],
      location: { lat: 34.085 + (i % 12) * 0.0008, lon: 119.345 + Math.floor(i / 12) * 0.0009 },
      rtspUrl: `rtsp://127.0.0.1:8554/map${i}`,
      enrollmentState: 'approved',
    }));
    const imp = await w.as.admin.json('POST', '/api/v1/cameras/import', rows);
    expect(imp.status, JSON.stringify(imp.body)).to.equal(200);
    expect(imp.body.created).to.equal(CROWD);
    const one = await w.as.admin.json('POST', '/api/v1/cameras', { name: '孤立点位', kind: 'road', location: LONE, rtspUrl: 'rtsp://127.0.0.1:8554/lone', enrollmentState: 'approved' });
    expect(one.status, JSON.stringify(one.body)).to.equal(201);
    lone = one.body.id as string;

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== new URL(w.srv.url).origin) foreign.push(r.url());
    });
    await signIn(page, w.srv.url, 'operator', 'operator-Pass-word-1');
    // Console errors from here on (the sign-in page's anonymous session check is not the map's).
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await w?.srv.close();
  });

  it('shows every camera, clustered at county zoom, with Leaflet styled under the CSP', async () => {
    await page.getByTestId('nav-map').click();
    await page.locator(`[data-testid="map-count"][data-total="${CROWD + 1}"]`).waitFor({ timeout: 20_000 });
    await page.locator(`[data-testid="map-marker"][data-camera-id="${lone}"]`).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('camera-map').getAttribute('data-base')).to.equal('plain');
    const clusters = await page.getByTestId('map-cluster').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.count)));
    const singles = await page.getByTestId('map-marker').count();
    expect(clusters.length, 'clusters at county zoom').to.be.greaterThan(0);
    expect(clusters.reduce((a, b) => a + b, 0) + singles).to.equal(CROWD + 1);
    expect(clusters.length + singles, 'fewer things on screen than cameras').to.be.lessThan(CROWD / 2);
    // leaflet.css is applied (panes are absolutely positioned) and no CSP report was logged.
    expect(await page.locator('.leaflet-map-pane').evaluate((e) => getComputedStyle(e).position)).to.equal('absolute');
    expect(problems.filter((p) => /Content Security Policy/i.test(p))).to.deep.equal([]);

    // A click on a cluster zooms in: more of the crowd stands alone.
    await page.getByTestId('map-cluster').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map-marker"]').length > n, singles, { timeout: 10_000 });
  });

  it('filters by kind', async () => {
    await page.getByTestId('map-filter-kind').selectOption('household');
    await page.locator(`[data-testid="map-count"][data-shown="${CROWD / 3}"]`).waitFor({ timeout: 5_000 });
    await page.getByTestId('map-filter-kind').selectOption('');
    await page.locator(`[data-testid="map-count"][data-shown="${CROWD + 1}"]`).waitFor({ timeout: 5_000 });
  });

  it('recolours a marker when its status changes, and its popup opens playback', async () => {
    const marker = page.locator(`[data-testid="map-marker"][data-camera-id="${lone}"]`);
    // The cluster click zoomed into the crowd: "show all" frames every camera again.
    await page.getByTestId('map-fit').click();
    await marker.waitFor({ timeout: 10_000 });
    expect(await marker.getAttribute('data-status')).to.equal('unknown');
    const before = await marker.evaluate((e) => getComputedStyle(e).backgroundColor);
    await w.srv.services.cameras.updateStatus(lone, 'offline', 'connection_refused');
    await page.locator(`[data-testid="map-marker"][data-camera-id="${lone}"][data-status="offline"]`).waitFor({ timeout: 10_000 });
    const after = await marker.evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(after).to.not.equal(before);

    await marker.click();
    const popup = page.locator(`[data-testid="map-popup"][data-camera-id="${lone}"]`);
    await popup.waitFor({ timeout: 5_000 });
    // A redraw (any camera's event) reopens the popup on the new marker; never two at once.
    expect(await page.locator(`[data-testid="map-popup"][data-camera-id="${lone}"]`).count()).to.equal(1);
    expect(await popup.textContent()).to.include('孤立点位');
    expect(await popup.getByTestId('map-popup-status').getAttribute('data-status')).to.equal('offline');
    await popup.getByTestId('map-open-playback').click();
    await page.locator(`[data-testid="playback-page"][data-camera-id="${lone}"]`).waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).to.equal(`/playback/${lone}`);
  });

  it('the incident page shows the incident point and only the cameras in its radius', async () => {
    const id = await createIncident(w.as.operator, { title: '地图警情', location: { lat: LONE.lat, lon: LONE.lon + 0.001 }, radius: 300 });
    await page.goto(`${w.srv.url}/incidents/${id}`);
    const map = page.getByTestId('incident-camera-map');
    await map.locator(`[data-testid="map-marker"][data-camera-id="${lone}"]`).waitFor({ timeout: 15_000 });
    expect(await map.getAttribute('data-count')).to.equal('1');
    expect(await map.locator('.incident-point').count()).to.equal(1);
  });

  it('fetched nothing from another origin and logged no errors', () => {
    expect(foreign).to.deep.equal([]);
    expect(problems).to.deep.equal([]);
  });
});

describe(`e2e: selecting cameras with a circle or a rectangle on the map (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    w = await startWorld();
    // Two cameras 60 m apart, one 3 km away.
    for (const [key, lon] of [['a', 119.35], ['b', 119.3506], ['far', 119.383]] as const) {
      const r = await w.as.admin.json('POST', '/api/v1/cameras', { name: `圈选 ${key}`, kind: 'road', location: { lat: 34.09, lon }, rtspUrl: `rtsp://127.0.0.1:8554/sel-${key}`, enrollmentState: 'approved' });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      ids[key] = r.body.id as string;
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, w.srv.url, 'operator', 'operator-Pass-word-1');
  });
  after(async () => {
    await browser?.close();
    await w?.srv.close();
  });

  it('a circle dragged around two cameras selects exactly them and opens them on the wall', async () => {
    await page.getByTestId('nav-map').click();
    const far = page.locator(`[data-testid="map-marker"][data-camera-id="${ids.far}"]`);
    await far.waitFor({ timeout: 20_000 });
    const farBox = await stillBoxOf(far);
    await page.getByTestId('map-select-area').click();
    // Centre between a and b (a cluster or two markers there); radius: a third of the way to far.
    const clusterOrA = page.locator(`[data-testid="map-marker"][data-camera-id="${ids.a}"], [data-testid="map-cluster"]`).first();
    const near = await stillBoxOf(clusterOrA);
    const cx = near.x + near.width / 2 - 2;
    const cy = near.y + near.height + 12;
    const reach = (farBox.x - cx) / 3;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + reach / 2, cy, { steps: 4 });
    await page.mouse.move(cx + reach, cy, { steps: 4 });
    await page.mouse.up();
    await page.locator('[data-testid="map-selection"][data-count="2"]').waitFor({ timeout: 10_000 });
    const selected = await page.getByTestId('map-selected-camera').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cameraId));
    expect(selected.sort()).to.deep.equal([ids.a, ids.b].sort());

    await page.getByTestId('map-selection-wall').click();
    await page.waitForURL(/\/wall\?/, { timeout: 10_000 });
    const q = new URL(page.url()).searchParams;
    expect(q.get('layout')).to.equal('4');
    expect(q.get('cameras')!.split(',').sort()).to.deep.equal([ids.a, ids.b].sort());
  });

  it('a rectangle dragged around two cameras selects exactly them; they go to an open incident and to a new one at its centre', async () => {
    const existing = await createIncident(w.as.operator, { title: '框选 已有警情', location: { lat: 34.3, lon: 119.6 }, radius: 50 });
    expect((await w.as.merchant.json('POST', `/api/v1/incidents/${existing}/cameras`, { cameraId: ids.a })).status, 'merchants never reach incidents').to.equal(404);
    await page.getByTestId('nav-map').click();
    const far = page.locator(`[data-testid="map-marker"][data-camera-id="${ids.far}"]`);
    await far.waitFor({ timeout: 20_000 });
    const farBox = await stillBoxOf(far);
    await page.getByTestId('map-select-rect').click();
    const near = await stillBoxOf(page.locator(`[data-testid="map-marker"][data-camera-id="${ids.a}"], [data-testid="map-cluster"]`).first());
    const cx = near.x + near.width / 2;
    const cy = near.y + near.height / 2;
    const reach = (farBox.x - cx) / 3;
    await page.mouse.move(cx - 40, cy - 40);
    await page.mouse.down();
    await page.mouse.move(cx + reach / 2, cy, { steps: 4 });
    await page.mouse.move(cx + reach, cy + 40, { steps: 4 });
    await page.mouse.up();
    await page
      .locator('[data-testid="map-selection"][data-shape="rect"][data-count="2"]')
      .waitFor({ timeout: 10_000 })
      .catch(async (e: Error) => {
        const panel = await page.evaluate(() => document.querySelector('[data-testid="map-selection"]')?.outerHTML ?? 'no selection panel');
        throw new Error(`${e.message}\n${panel}\n${JSON.stringify({ near, farBox })}`);
      });
    const selected = await page.getByTestId('map-selected-camera').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cameraId));
    expect(selected.sort()).to.deep.equal([ids.a, ids.b].sort());

    const manual = async (id: string) => ((await w.as.operator.json('GET', `/api/v1/incidents/${id}/cameras`)).body.items as Array<{ cameraId: string; manual: boolean }>).filter((c) => c.manual).map((c) => c.cameraId).sort();
    await page.getByTestId('map-selection-incident').click();
    await page.getByTestId('map-incident-pick').selectOption(existing);
    await page.getByTestId('map-incident-add').click();
    await page.locator(`[data-testid="map-incident-done"][data-incident-id="${existing}"][data-added="2"]`).waitFor({ timeout: 10_000 });
    expect(await manual(existing)).to.deep.equal([ids.a, ids.b].sort());

    await page.getByTestId('map-selection-incident').click();
    await page.getByTestId('map-incident-new').click();
    await page.getByTestId('incident-title').fill('框选 新警情');
    await page.getByTestId('incident-submit').click();
    const done = page.locator(`[data-testid="map-incident-done"][data-added="2"]:not([data-incident-id="${existing}"])`);
    await done.waitFor({ timeout: 10_000 });
    const created = (await done.getAttribute('data-incident-id'))!;
    expect(await manual(created)).to.deep.equal([ids.a, ids.b].sort());
    const incident = (await w.as.operator.json('GET', `/api/v1/incidents/${created}`)).body as { location: { lat: number; lon: number }; radius: number };
    // The rectangle's centre: between a and b, east of them towards far.
    expect(incident.location.lat).to.be.closeTo(34.09, 0.002);
    expect(incident.location.lon).to.be.within(119.35, 119.383);
  });
});
