/**
 * The console in a real browser (Debian's chromium via playwright-core) against a started Sky Eye:
 * sign in, see the registry in Chinese (the default) and English, create a camera through the
 * form, see a field error for bad input, and check the password never reaches the page.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '@test/helpers/server';

describe(`console: sign in and register a camera (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let srv: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ensureConsoleBuilt();
    srv = await startTestServer();
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('refuses a wrong password with a message, then signs in (zh-CN by default)', async () => {
    await page.goto(srv.url);
    expect(await page.locator('html').getAttribute('lang')).to.match(/^zh/);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    await signIn(page, srv.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('camera-table').waitFor();
    expect(await page.getByTestId('camera-new').innerText()).to.match(/[\u4e00-\u9fff]/);
  });

  it('creates a camera through the form; bad input shows the field error', async () => {
    await page.getByTestId('camera-new').click();
    const form = page.getByTestId('camera-form');
    await form.waitFor();
    await page.getByTestId('field-name').fill('东门路口 E2E');
    await page.getByTestId('field-lat').fill('123');
    await page.getByTestId('field-lon').fill('119.35');
    await page.getByTestId('field-rtspUrl').fill('rtsp://127.0.0.1:8554/e2e');
    await page.getByTestId('field-username').fill('cam-user');
    await page.getByTestId('field-password').fill('Cam-Secret-e2e-42');
    await page.getByTestId('camera-save').click();
    await page.getByTestId('field-error-lat').waitFor();
    await page.getByTestId('field-lat').fill('34.09');
    await page.getByTestId('camera-save').click();
    await page.getByTestId('camera-row').filter({ hasText: '东门路口 E2E' }).waitFor({ timeout: 15_000 });

    const [row] = await srv.ctx.database.query<{ id: string; name: string; credentials_username: string; lat: number }>(`SELECT * FROM cameras WHERE name = '东门路口 E2E'`);
    expect(row).to.include({ credentials_username: 'cam-user', lat: 34.09 });
    expect(await page.content()).to.not.include('Cam-Secret-e2e-42');
    expect(srv.logs()).to.not.include('Cam-Secret-e2e-42');
  });

  it('bulk import: a file with a bad row is rejected with a per-row report, then imported partially', async () => {
    const csv = ['name,kind,lat,lon,rtspUrl', 'Import A,road,34.1,119.3,rtsp://127.0.0.1:8554/a', 'Import B,tank,34.1,119.3,rtsp://127.0.0.1:8554/b', 'Import C,shopfront,34.1,119.3,rtsp://127.0.0.1:8554/c'].join('\n');
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'cameras.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-report').getAttribute('data-outcome')).to.equal('rejected');
    const bad = page.getByTestId('import-error-row');
    expect(await bad.count()).to.equal(1);
    expect(await bad.first().innerText()).to.include('kind');
    const [{ n } = { n: "" }] = await srv.ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM cameras WHERE name LIKE 'Import %'`);
    expect(Number(n), 'nothing written while a row is bad').to.equal(0);
    await page.getByTestId('import-partial').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=import-summary]')?.getAttribute('data-created') === '2');
    const [{ m } = { m: "" }] = await srv.ctx.database.query<{ m: string }>(`SELECT count(*) AS m FROM cameras WHERE name LIKE 'Import %'`);
    expect(Number(m)).to.equal(2);
    await page.keyboard.press('Escape');
  });

  it('switches the console to English', async () => {
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang.startsWith('en'));
    expect(await page.getByTestId('camera-new').innerText()).to.match(/[A-Za-z]/);
  });

  it('shows a camera\'s status history, newest first, with causes and who reported them', async () => {
    // A pending camera (nothing ingests it) whose statuses a worker and the platform reported.
    const login = await fetch(`${srv.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${srv.url}/api/v1/cameras`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'History E2E', kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:9/history', enrollmentState: 'pending' }),
    });
    expect(created.status, await created.clone().text()).to.equal(201);
    const cam = (await created.json()) as { id: string };
    await srv.services.cameras.updateStatus(cam.id, 'live', null, 'worker-7');
    await srv.services.cameras.updateStatus(cam.id, 'auth_failed', 'camera rejected the credentials', 'worker-7');
    await srv.services.cameras.updateStatus(cam.id, 'offline', 'no ingest worker holds this camera');

    await page.reload();
    const row = page.getByTestId('camera-row').filter({ hasText: 'History E2E' });
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('camera-status-history').click();
    const dialog = page.getByTestId('status-history');
    await dialog.getByTestId('status-history-row').nth(2).waitFor();
    const rows = dialog.getByTestId('status-history-row');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).to.deep.equal(['offline', 'auth_failed', 'live']);
    expect(await rows.nth(0).innerText()).to.include('no ingest worker holds this camera').and.include('Sky Eye');
    expect(await rows.nth(1).innerText()).to.include('camera rejected the credentials').and.include('worker-7');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
