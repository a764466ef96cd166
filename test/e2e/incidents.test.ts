/**
 * Incidents in the console (Debian's Chromium): an investigator of a station signs in, finds their
 * station's incident in the list (not another station's), opens it and sees its cameras nearest
 * first with coverage bars over the window (a gap where the recording has one), adds a camera by
 * hand and moves the incident under investigation. An operator starts an incident from a camera
 * in the registry ("something is happening here"): the form opens at the camera's place.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { createIncident, placeCamera, record, setStation } from '@test/integration/incidents/helpers';

const MIN = 60_000;

describe(`e2e: an investigator opens an incident and sees its cameras (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let browser: Browser;
  let page: Page;
  let incident: string;
  let other: string;
  const cam: Record<string, string> = {};
  const problems: string[] = [];

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    w = await startWorld();
    const [s1, s2] = w.org.stations.map((s) => s.id) as [string, string];
    await setStation(w, w.as.investigator.userId, s1);
    const to = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
    const from = to - 60 * MIN;
    cam.near = await placeCamera(w, '商业街东口', 80);
    cam.mid = await placeCamera(w, '广场北侧', 250);
    cam.far = await placeCamera(w, '滨河路', 3_000);
    await record(w, cam.near, from, to);
    await record(w, cam.mid, from, from + 30 * MIN);
    incident = await createIncident(w.as.admin, { title: '电动车被盗', stationId: s1, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    other = await createIncident(w.as.admin, { title: '别的派出所', stationId: s2 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await signIn(page, w.srv.url, 'investigator', 'investigator-Pass-word-1');
  });
  after(async () => {
    await browser?.close();
    await w?.srv.close();
  });

  it('lists only the station\'s incident and opens it with its cameras nearest first and coverage bars', async () => {
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('incident-table').waitFor();
    await page.locator(`[data-incident-id="${incident}"]`).waitFor();
    expect(await page.locator(`[data-incident-id="${other}"]`).count()).to.equal(0);
    await page.locator(`[data-incident-id="${incident}"] [data-testid="incident-link"]`).click();
    await page.getByTestId('incident-detail').waitFor();
    await page.getByTestId('incident-camera').first().waitFor();
    expect(await page.getByTestId('incident-heading').innerText()).to.contain('电动车被盗');
    const rows = page.getByTestId('incident-camera');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id')))).to.deep.equal([cam.near, cam.mid]);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-coverage')))).to.deep.equal(['1', '0.5']);
    // The second camera's bar shows its recording and its gap.
    const bars = rows.nth(1).locator('.tl-bar');
    expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).to.deep.equal(['span', 'unknown']);
  });

  it('adds a camera by hand and puts the incident under investigation', async () => {
    await page.getByTestId('incident-camera-search').fill('滨河');
    await page.getByTestId('incident-camera-find').click();
    await page.getByTestId('incident-camera-add').click();
    await page.locator(`[data-testid="incident-camera"][data-camera-id="${cam.far}"][data-manual="true"]`).waitFor();
    await page.getByTestId('incident-status').selectOption('under_investigation');
    await page.getByTestId('incident-status-save').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="incident-history"] li').length === 3);
    const r = await w.as.admin.json('GET', `/api/v1/incidents/${incident}`);
    expect(r.body.status).to.equal('under_investigation');
    expect(problems).to.deep.equal([]);
  });

  it('an operator creates an incident from a camera in the registry, at the camera\'s place', async () => {
    const op = await (await browser.newContext()).newPage();
    await signIn(op, w.srv.url, 'operator', 'operator-Pass-word-1');
    await op.getByTestId('nav-cameras').click();
    await op.locator(`[data-testid="camera-row"][data-camera-id="${cam.mid}"] [data-testid="camera-new-incident"]`).click();
    await op.getByTestId('incident-form').waitFor();
    expect(Number(await op.getByTestId('incident-lat').inputValue())).to.be.closeTo(34.09 + 250 / 111_194.93, 1e-9);
    await op.getByTestId('incident-title').fill('广场有人打架');
    await op.getByTestId('incident-category').selectOption('dispute');
    await op.getByTestId('incident-submit').click();
    await op.getByTestId('incident-detail').waitFor();
    await op.locator(`[data-testid="incident-camera"][data-camera-id="${cam.mid}"]`).waitFor();
    expect(await op.getByTestId('incident-heading').innerText()).to.contain('广场有人打架');
  });
});
