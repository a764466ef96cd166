/**
 * The signed-in user's own account in the console: the sign-in page loads without a failed request
 * in the browser console (the session check answers 200 for a visitor), and a user changes their
 * own password (a wrong current one is named at its field), then signs in with the new one only.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { login, startWorld, type World } from '@test/helpers/api';

describe(`e2e: own account: a quiet sign-in page and a password change (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    w = await startWorld();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  });
  after(async () => {
    await browser?.close();
    await w?.srv.close();
  });

  it('the sign-in page logs nothing in the browser console', async () => {
    await page.goto(w.srv.url);
    await page.getByTestId('login-username').waitFor();
    await page.waitForTimeout(500);
    expect(consoleErrors).to.deep.equal([]);
    const session = await fetch(`${w.srv.url}/api/v1/auth/session`);
    expect(session.status).to.equal(200);
    expect(await session.json()).to.deep.equal({ user: null });
  });

  it('changes the own password: a wrong current one is named, then the new one signs in and the old does not', async () => {
    await signIn(page, w.srv.url, 'operator', 'operator-Pass-word-1');
    await page.getByTestId('current-user').click();
    await page.getByTestId('password-dialog').waitFor();
    await page.getByTestId('password-currentPassword').fill('not-my-password');
    await page.getByTestId('password-newPassword').fill('a-new-Pass-word-2');
    await page.getByTestId('password-repeat').fill('a-new-Pass-word-2');
    await page.getByTestId('password-submit').click();
    await page.locator('#password-currentPassword-error').waitFor();
    await page.getByTestId('password-currentPassword').fill('operator-Pass-word-1');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('password-dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('camera-table').waitFor();
    expect(await login(w.srv, 'operator', 'a-new-Pass-word-2')).to.be.a('string');
    const old = await fetch(`${w.srv.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator-Pass-word-1' }) });
    expect(old.status).to.equal(401);
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e)), 'nothing but the refused current password').to.deep.equal([]);
  });
});
