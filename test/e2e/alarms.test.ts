/**
 * Alarms end to end: a real Sky Eye (SKYEYE_ALARM_AFTER 2 s), a simulated camera registered
 * through the API, Debian's Chromium with the built console. The camera's stream stalls; the
 * console shows a toast and the header counter without a reload; the operator opens the alarm
 * list, acknowledges with a note, and the counter goes back to 0 (the API and the audit log agree).
 */
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startFleet, type Fleet } from '@sim/index';
import { client, login, type Client } from '@test/helpers/api';
import { launchBrowser } from '@test/helpers/browser';
import { signIn } from '@test/helpers/console';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '@test/helpers/server';
import { baseOctet, waitFor } from '../integration/ingest/helpers';

const BUILT = existsSync('web/dist/index.html');

describe('e2e: a camera fault raises an alarm that is acknowledged in the console', function () {
  this.timeout(180_000);
  let server: TestServer;
  let fleet: Fleet;
  let browser: Browser;
  let page: Page;
  let admin: Client;
  let cameraId = '';
  const pageErrors: string[] = [];

  before(async function () {
    this.timeout(90_000);
    if (!BUILT) throw new Error('web/dist is missing: run `npm run build:web` first');
    server = await startTestServer({ alarms: { after: '2s' }, ingest: { maxRestartDelay: '2s' } });
    admin = client(server, await login(server, 'admin', TEST_ADMIN_PASSWORD), '');
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(5), startOnvif: false, startDiscovery: false, withSub: false });
    const cam = fleet.cameras[0]!;
    const created = await admin.json('POST', '/api/v1/cameras', {
      name: 'Square east gate',
      kind: 'road',
      location: { lat: 34.09, lon: 119.35 },
      rtspUrl: cam.rtspMainUrl,
      credentials: { username: cam.username, password: cam.password },
      enrollmentState: 'approved',
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    cameraId = created.body.id as string;
    await waitFor(async () => (await admin.json('GET', `/api/v1/cameras/${cameraId}`)).body.status === 'live', 40_000, 'camera live');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await server?.close();
    await fleet?.stop();
  });

  it('toast and counter on the fault, acknowledged with a note on the alarm page', async () => {
    await signIn(page, server.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('realtime-status').and(page.locator('[data-connected="true"]')).waitFor({ timeout: 15_000 });
    const counter = page.getByTestId('alarm-counter');
    expect(await counter.getAttribute('data-count')).to.equal('0');

    fleet.cameras[0]!.setFault('stall');
    await page.getByTestId('toast').filter({ hasText: 'Square east gate' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="alarm-counter"][data-count="1"]').waitFor({ timeout: 10_000 });

    await counter.click();
    const row = page.locator(`[data-testid="alarm-row"][data-camera-id="${cameraId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-acknowledged')).to.equal('false');
    await row.getByTestId('alarm-ack').click();
    await page.getByTestId('alarm-note').fill('Patrol sent to the gate');
    await page.getByTestId('alarm-ack-submit').click();
    await page.locator(`[data-testid="alarm-row"][data-camera-id="${cameraId}"][data-acknowledged="true"]`).waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('alarm-ack-info').textContent()).to.include('Patrol sent to the gate');
    await page.locator('[data-testid="alarm-counter"][data-count="0"]').waitFor({ timeout: 10_000 });

    const all = (await admin.json('GET', '/api/v1/alarms?state=all')).body.items as Array<{ id: string; cameraId: string; note: string; acknowledgedAt: string | null }>;
    const mine = all.filter((a) => a.cameraId === cameraId);
    expect(mine).to.have.length(1);
    expect(mine[0]!.note).to.equal('Patrol sent to the gate');
    const audit = (await admin.json('GET', `/api/v1/audit?action=alarm.acknowledge&targetId=${mine[0]!.id}`)).body.items as unknown[];
    expect(audit).to.have.length(1);
    expect(pageErrors).to.deep.equal([]);
    fleet.cameras[0]!.clearFault();
  });
});
