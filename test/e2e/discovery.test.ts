/**
 * Discovery and merchant self-enrollment end to end: a real Sky Eye, a simulated fleet of two
 * ONVIF cameras on 127.0.10.2-3, Debian's Chromium and the built console. An operator scans
 * 127.0.10.0/29 with credentials, watches exactly the two cameras appear (manufacturer, stream
 * URI), enrolls one as approved and finds it in the registry. A merchant then registers the
 * other camera by its RTSP URL with consent and sees it verified and pending. In between, a rescan
 * after the enrolled camera changed firmware shows a proposal on the page, which the operator dismisses.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startFleet, type Fleet } from '@sim/index';
import { startWorld, type World } from '@test/helpers/api';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';

const ADDRS = ['127.0.10.2', '127.0.10.3'];
const CREDS = { username: 'admin', password: 'skyeye-sim-123' };
const CAMERA_NAME = 'E2E 发现 东门路口';
const MERCHANT_CAMERA = 'E2E 幸福路便利店门口';

/** Nothing the console keeps (URL, storage, page) holds the device password. */
async function expectNoPassword(page: Page): Promise<void> {
  expect(page.url()).to.not.include(CREDS.password);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  expect(stored).to.not.include(CREDS.password);
  expect(await page.content()).to.not.include(CREDS.password);
}

describe('e2e: discovery scan, enroll, and merchant self-enrollment', function () {
  this.timeout(90_000);
  let fleet: Fleet;
  let w: World;
  let browser: Browser;
  const problems: string[] = [];

  before(async () => {
    ensureConsoleBuilt();
    fleet = await startFleet({ cameras: 2, addresses: ADDRS });
    w = await startWorld({ discovery: { probeTimeout: '1500ms', soapTimeout: '2s' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await w?.srv.close();
    await fleet?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    return page;
  }

  it('operator scans a range, sees the two cameras live, enrolls one and finds it in the registry', async () => {
    const page = await newPage();
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await signIn(page, w.srv.url, 'operator', 'operator-Pass-word-1');
    await page.getByTestId('nav-discovery').click();
    await page.getByTestId('discovery-page').waitFor();

    await page.getByTestId('scan-method').selectOption('unicast');
    await page.getByTestId('scan-range').fill('127.0.10.0/29');
    await page.getByTestId('scan-username').fill(CREDS.username);
    await page.getByTestId('scan-password').fill(CREDS.password);
    await page.getByTestId('scan-start').click();

    await page.getByTestId('scan-progress').waitFor({ timeout: 10_000 });
    await page.waitForSelector('[data-testid=scan-status][data-status=done]', { timeout: 30_000 });
    const rows = page.getByTestId('device-row');
    for (const end = Date.now() + 10_000; (await rows.count()) !== 2 && Date.now() < end; ) await page.waitForTimeout(100);
    expect(await rows.count()).to.equal(2);
    const addresses = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-address')));
    expect(addresses).to.deep.equal(ADDRS);
    for (const address of ADDRS) {
      const row = page.locator(`[data-testid=device-row][data-address="${address}"]`);
      expect(await row.getAttribute('data-state')).to.equal('new');
      expect((await row.getByTestId('device-manufacturer').innerText()).trim()).to.match(/\S/).and.not.equal('—');
      expect(await row.getByTestId('device-main-uri').innerText()).to.match(new RegExp(`^rtsp://${address.replace(/\./g, '\\.')}[:/]`));
    }
    expect(await page.getByTestId('scan-device-count').innerText()).to.include('2');
    expect(frames.filter((f) => f.includes('"discovery:device"')), 'devices arrived over the socket').to.have.length(2);
    await expectNoPassword(page);

    const first = page.locator(`[data-testid=device-row][data-address="${ADDRS[0]}"]`);
    await first.getByTestId('device-enroll').click();
    await page.getByTestId('enroll-form').waitFor();
    await page.getByTestId('enroll-name').fill(CAMERA_NAME);
    await page.getByTestId('enroll-state').selectOption('approved');
    await page.getByTestId('enroll-submit').click();
    await page.waitForSelector('[data-testid=enroll-result][data-ok=true]', { timeout: 20_000 });
    expect(await page.getByTestId('enroll-outcome').getAttribute('data-ok')).to.equal('true');
    await page.waitForSelector(`[data-testid=device-row][data-address="${ADDRS[0]}"][data-state=enrolled]`);
    expect(await page.locator(`[data-testid=device-row][data-address="${ADDRS[1]}"]`).getAttribute('data-state')).to.equal('new');

    await page.getByTestId('enroll-open-registry').click();
    const camRow = page.getByTestId('camera-row').filter({ hasText: CAMERA_NAME });
    await camRow.waitFor({ timeout: 15_000 });
    expect(await camRow.getByTestId('camera-enrollment').getAttribute('data-state')).to.equal('approved');
    await expectNoPassword(page);
    expect(problems).to.deep.equal([]);
    await page.context().close();
  });

  it('re-discovery of the enrolled camera with new firmware shows a proposal the operator dismisses', async () => {
    // The enrolled camera now reports another firmware (a real device after an upgrade).
    (fleet.cameras[0] as unknown as { firmware: string }).firmware = 'V2.0.0 e2e';
    const page = await newPage();
    await signIn(page, w.srv.url, 'operator', 'operator-Pass-word-1');
    await page.getByTestId('nav-discovery').click();
    await page.getByTestId('scan-method').selectOption('unicast');
    await page.getByTestId('scan-range').fill('127.0.10.0/29');
    await page.getByTestId('scan-username').fill(CREDS.username);
    await page.getByTestId('scan-password').fill(CREDS.password);
    await page.getByTestId('scan-start').click();
    await page.waitForSelector('[data-testid=scan-status][data-status=done]', { timeout: 30_000 });
    const row = page.getByTestId('proposal-row');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.count()).to.equal(1);
    expect(await row.locator('[data-change=firmware]').innerText()).to.include('V2.0.0 e2e');
    await row.getByTestId('proposal-dismiss').click();
    await page.waitForSelector('[data-testid=proposal-row]', { state: 'detached', timeout: 10_000 });
    expect(problems).to.deep.equal([]);
    await page.context().close();
  });

  it('merchant registers a camera by RTSP URL with consent and sees it verified and pending', async () => {
    const page = await newPage();
    await signIn(page, w.srv.url, 'merchant', 'merchant-Pass-word-1');
    expect(await page.getByTestId('nav-discovery').count(), 'merchants have no discovery entry').to.equal(0);
    await page.getByTestId('camera-table').waitFor();

    await page.getByTestId('merchant-enroll-open').click();
    await page.getByTestId('merchant-enroll-form').waitFor();
    await page.getByTestId('merchant-source').selectOption('rtsp');
    await page.getByTestId('merchant-url').fill(fleet.cameras[1]!.rtspMainUrl);
    await page.getByTestId('merchant-username').fill(CREDS.username);
    await page.getByTestId('merchant-password').fill(CREDS.password);
    await page.getByTestId('merchant-name').fill(MERCHANT_CAMERA);
    await page.getByTestId('merchant-kind').selectOption('shopfront');
    // The location comes from the map: a click moves the pin and fills both fields.
    const before = await page.getByTestId('merchant-lat').inputValue();
    const beforeLon = await page.getByTestId('merchant-lon').inputValue();
    await page.getByTestId('location-picker').locator('.leaflet-tile-pane, .leaflet-overlay-pane').first().waitFor({ state: 'attached' });
    await page.getByTestId('location-picker').click({ position: { x: 140, y: 50 } });
    await page.waitForFunction((b) => (document.querySelector('[data-testid=merchant-lat]') as HTMLInputElement).value !== b, before, { timeout: 5_000 });
    // North-west of the centre the map opened on: a larger latitude, a smaller longitude.
    expect(Number(await page.getByTestId('merchant-lat').inputValue())).to.be.above(Number(before));
    expect(Number(await page.getByTestId('merchant-lon').inputValue())).to.be.below(Number(beforeLon));
    await page.getByTestId('merchant-owner-name').fill('王老板');
    await page.getByTestId('merchant-owner-phone').fill('138-0000-0000');
    // The owner chooses at enrollment how police may use the recordings.
    await page.getByTestId('merchant-sharing').selectOption('live_only');

    // Consent is required: without it the form is not sent.
    await page.getByTestId('merchant-enroll-submit').click();
    await page.locator('#merchant-consent-error').waitFor();
    await page.getByTestId('merchant-consent').check();
    await page.getByTestId('merchant-enroll-submit').click();

    const result = page.locator('[data-testid=merchant-enroll-result]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-ok'), await result.innerText()).to.equal('true');
    expect(await result.getAttribute('data-state')).to.equal('pending');
    await expectNoPassword(page);
    const sharing = await w.as.merchant.json('GET', `/api/v1/cameras/${await result.getAttribute('data-camera-id')}/sharing`);
    expect(sharing.body).to.deep.equal({ mode: 'live_only' });

    await page.getByTestId('merchant-enroll-done').click();
    const camRow = page.getByTestId('camera-row').filter({ hasText: MERCHANT_CAMERA });
    await camRow.waitFor({ timeout: 15_000 });
    expect(await camRow.getByTestId('camera-enrollment').getAttribute('data-state')).to.equal('pending');
    expect(await page.getByTestId('camera-new').count(), 'no unverified "new camera" form for merchants').to.equal(0);
    expect(problems).to.deep.equal([]);
    await page.context().close();
  });

  it('the operator about to approve the pending camera sees a live preview of it (and may still cancel)', async () => {
    const page = await newPage();
    await signIn(page, w.srv.url, 'operator', 'operator-Pass-word-1');
    const camRow = page.getByTestId('camera-row').filter({ hasText: MERCHANT_CAMERA });
    await camRow.waitFor({ timeout: 15_000 });
    await camRow.getByTestId('camera-approve').click();
    const preview = page.locator('[data-testid=camera-preview][data-state=shown]');
    await preview.waitFor({ timeout: 30_000 });
    const size = await preview.getByTestId('camera-preview-image').evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight]);
    expect(size[0], 'a decoded picture').to.equal(640);
    await expectNoPassword(page);
    await page.getByTestId('confirm-cancel').click();
    expect(await camRow.getByTestId('camera-enrollment').getAttribute('data-state')).to.equal('pending');
    expect(problems).to.deep.equal([]);
    await page.context().close();
  });

  it('the merchant withdraws consent: the camera leaves their list and the audit log says why', async () => {
    const page = await newPage();
    await signIn(page, w.srv.url, 'merchant', 'merchant-Pass-word-1');
    const camRow = page.getByTestId('camera-row').filter({ hasText: MERCHANT_CAMERA });
    await camRow.waitFor({ timeout: 15_000 });
    const id = (await camRow.getAttribute('data-camera-id'))!;
    await camRow.getByTestId('camera-withdraw').click();
    await page.getByTestId('confirm-reason').fill('店铺转让');
    await page.getByTestId('confirm-ok').click();
    await camRow.waitFor({ state: 'detached', timeout: 15_000 });
    expect((await w.as.merchant.call('GET', `/api/v1/cameras/${id}`)).status).to.equal(404);
    const audit = (await w.as.admin.json('GET', `/api/v1/audit?targetId=${id}`)).body.items as Array<{ action: string; details: { reason?: string } }>;
    expect(audit.find((a) => a.action === 'camera.consent_withdrawn')?.details.reason).to.equal('店铺转让');
    expect(problems).to.deep.equal([]);
    await page.context().close();
  });
});
