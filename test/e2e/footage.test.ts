/**
 * Footage requests in the console (Debian's Chromium): an investigator asks for a shop camera's
 * recordings from the incident page; the shop owner sees the request appear in their portal (no
 * incident named) and approves it; the investigator's page shows it approved, and the range opens.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { fileMerchantCamera, startWorld, type World } from '@test/helpers/api';
import { createIncident, north, setStation } from '@test/integration/incidents/helpers';

describe(`e2e: a footage request from an incident, approved in the merchant portal (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let browser: Browser;
  let police: Page;
  let owner: Page;
  let incident: string;
  let shop: string;

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    w = await startWorld();
    await setStation(w, w.as.investigator.userId, w.org.stations[0]!.id);
    const cam = await fileMerchantCamera(w, 'merchant', { name: '水果店门口', kind: 'shopfront', location: north(60), rtspUrl: 'rtsp://127.0.0.98:554/s' });
    expect(cam.status).to.equal(201);
    shop = cam.body.id;
    incident = await createIncident(w.as.investigator, { title: '商铺门前纠纷', category: 'dispute' });
    browser = await launchBrowser();
    police = await (await browser.newContext()).newPage();
    owner = await (await browser.newContext()).newPage();
    await signIn(police, w.srv.url, 'investigator', 'investigator-Pass-word-1');
    await signIn(owner, w.srv.url, 'merchant', 'merchant-Pass-word-1');
  });
  after(async () => {
    await browser?.close();
    await w?.srv.close();
  });

  it('requests, approves, and the incident page shows the approval', async () => {
    await owner.getByTestId('nav-requests').click();
    await owner.getByTestId('footage-requests-page').waitFor();
    expect(await owner.getByTestId('nav-incidents').count()).to.equal(0);

    await police.goto(`${w.srv.url}/incidents/${incident}`);
    await police.locator(`[data-testid="incident-camera"][data-camera-id="${shop}"]`).waitFor();
    await police.getByTestId('footage-request').click();
    await police.getByTestId('footage-state').waitFor();

    // The owner's portal updates on the socket.io notification, without a reload.
    const row = owner.locator('[data-testid="footage-row"][data-status="pending"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await owner.getByTestId('footage-table').innerText()).to.not.contain('商铺门前纠纷');
    await owner.getByTestId('footage-approve').click();
    await owner.locator('[data-testid="footage-row"][data-status="approved"]').waitFor();

    await police.waitForFunction(() => /已同意|Approved/.test(document.querySelector('[data-testid="footage-state"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
    const inc = (await w.as.investigator.json('GET', `/api/v1/incidents/${incident}`)).body as { from: string; to: string };
    const open = await w.as.investigator.json('GET', `/api/v1/incidents/${incident}/footage-access?cameraId=${shop}&from=${inc.from}&to=${inc.to}`);
    expect(open.body.allowed).to.equal(true);
  });
});
