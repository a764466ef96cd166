/**
 * Administration in the console (Debian's Chromium): an administrator creates a user (a bad
 * password first: the field says why), the user signs in in another browser context; the admin
 * puts them in a station, then disables them and their open session ends at once (the API answers
 * 401); the audit log shows both entries for the user, its CSV export downloads them, and the hash
 * chain holds; the health page names the checks. An operator gets no administration entry, a
 * refusal at /admin, and 403 from the admin APIs.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';

const NEW_USER = 'duty-officer-7';
const NEW_PASSWORD = 'Duty-officer-pass-7';

describe(`e2e: administration pages (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let browser: Browser;
  let admin: Page;
  let other: BrowserContext;
  let newUserId = '';
  const problems: string[] = [];

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    w = await startWorld();
    browser = await launchBrowser();
    admin = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    admin.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await signIn(admin, w.srv.url, 'admin', TEST_ADMIN_PASSWORD);
  });
  after(async () => {
    await other?.close();
    await browser?.close();
    await w?.srv.close();
  });

  it('creates a user (field error first) who then signs in', async () => {
    await admin.getByTestId('nav-admin').click();
    await admin.getByTestId('admin-users').waitFor();
    await admin.locator('[data-testid="user-row"][data-username="admin"]').waitFor();
    await admin.getByTestId('new-user-username').fill(NEW_USER);
    await admin.getByTestId('new-user-display').fill('值班民警');
    await admin.getByTestId('new-user-password').fill('short');
    await admin.getByTestId('new-user-role').selectOption('operator');
    await admin.getByTestId('new-user-submit').click();
    await admin.locator('#new-user-password-error').waitFor({ timeout: 10_000 });
    expect(await admin.locator('[data-testid="user-row"][data-username="' + NEW_USER + '"]').count()).to.equal(0);

    await admin.getByTestId('new-user-password').fill(NEW_PASSWORD);
    await admin.getByTestId('new-user-station').selectOption({ index: 1 });
    await admin.getByTestId('new-user-submit').click();
    const row = admin.locator(`[data-testid="user-row"][data-username="${NEW_USER}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-disabled')).to.equal('false');
    const listed = (await w.as.admin.json('GET', '/api/v1/users')).body.items as Array<{ id: string; username: string; role: string; stationId: string | null }>;
    const created = listed.find((u) => u.username === NEW_USER)!;
    expect(created.role).to.equal('operator');
    expect(created.stationId).to.equal(w.org.stations[0]!.id);
    newUserId = created.id;

    other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await other.newPage();
    await signIn(page, w.srv.url, NEW_USER, NEW_PASSWORD);
    expect(await page.getByTestId('current-user').textContent()).to.include('值班民警');
  });

  it('disabling the user ends their session at once', async () => {
    const page = other.pages()[0]!;
    const me = () => page.evaluate(async () => (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).status);
    expect(await me()).to.equal(200);
    const row = admin.locator(`[data-testid="user-row"][data-username="${NEW_USER}"]`);
    await row.getByTestId('user-disable').click();
    await admin.locator(`[data-testid="user-row"][data-username="${NEW_USER}"][data-disabled="true"]`).waitFor({ timeout: 10_000 });
    expect(await me()).to.equal(401);
  });

  it('the audit log shows the user\'s creation and change, and the chain holds', async () => {
    await admin.getByTestId('admin-tab-audit').click();
    await admin.locator('[data-testid="audit-chain"][data-ok="true"]').waitFor({ timeout: 15_000 });
    await admin.getByTestId('audit-action').fill('user.');
    await admin.getByTestId('audit-actor').fill('admin');
    await admin.getByTestId('audit-apply').click();
    await admin.locator(`[data-testid="audit-row"][data-action="user.create"][data-target-id="${newUserId}"]`).waitFor({ timeout: 10_000 });
    await admin.locator(`[data-testid="audit-row"][data-action="user.update"][data-target-id="${newUserId}"]`).waitFor({ timeout: 10_000 });
    await admin.locator(`[data-testid="audit-row"][data-action="user.station"][data-target-id="${newUserId}"]`).waitFor({ timeout: 10_000 });
    const actions = await admin.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.action));
    expect(actions.every((a) => a?.startsWith('user.')), actions.join()).to.equal(true);
    // "Export CSV" downloads the same filtered entries.
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('audit-export-csv').click()]);
    expect(download.suggestedFilename()).to.match(/^audit-\d{8}T\d{6}Z\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(lines[0]).to.match(/^id,at,actorName,/);
    expect(lines.length - 1).to.be.at.least(3);
    expect(lines.slice(1).every((l) => /,admin,admin,[^,]*,user\./.test(l)), lines.join('\n')).to.equal(true);
  });

  it('the health page shows the checks and the disk', async () => {
    await admin.getByTestId('admin-tab-health').click();
    await admin.locator('[data-testid="health-check"][data-name="database"][data-ok="true"]').waitFor({ timeout: 10_000 });
    await admin.locator('[data-testid="health-check"][data-name="storage"][data-ok="true"]').waitFor();
    expect(await admin.getByTestId('health-disk').textContent()).to.match(/GB|MB/);
    expect(problems).to.deep.equal([]);
  });

  it('an operator gets no administration pages, and the admin APIs answer 403', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await ctx.newPage();
      await signIn(page, w.srv.url, 'operator', 'operator-Pass-word-1');
      await page.getByTestId('nav-map').waitFor();
      expect(await page.getByTestId('nav-admin').count()).to.equal(0);
      await page.goto(`${w.srv.url}/admin/users`);
      await page.getByTestId('admin-forbidden').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('user-table').count()).to.equal(0);
      const statuses = await page.evaluate(async () =>
        Promise.all(['/api/v1/users', '/api/v1/audit', '/api/v1/audit/verify', '/api/v1/ops/health'].map(async (p) => (await fetch(p, { credentials: 'same-origin' })).status)),
      );
      expect(statuses).to.deep.equal([403, 403, 403, 403]);
    } finally {
      await ctx.close();
    }
  });
});
