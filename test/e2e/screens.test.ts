/**
 * Every main page of the console, in zh-CN and English, as an administrator: a screenshot of each
 * (written to test-results/screens/<lang>/<page>.png, kept as CI artefacts), an accessibility pass
 * with axe-core (no serious or critical violation; every page in zh-CN, the default, and the
 * sign-in page in English: the markup is the same in both, only the text differs), and nothing cut
 * off at 1440 px and 1920 px in either language.
 * The pages are the navigation's sections for an administrator (web/src/layout/routes.ts), the
 * other admin tabs, an incident, the package check, the sign-in page, the wall and a playback page.
 */
import { expect } from 'chai';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sectionPath, sectionsFor } from '@web/layout/routes';
import { LANGUAGE_STORAGE_KEY } from '@web/i18n/language';
import { launchBrowser } from '@test/helpers/browser';
import { ensureConsoleBuilt, signIn } from '@test/helpers/console';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { cameraInput } from '@test/integration/cameras/helpers';
import { createIncident } from '@test/integration/incidents/helpers';

export const SCREENS_DIR = path.join('test-results', 'screens');
const LANGS = ['zh-CN', 'en'] as const;
const WIDTHS = [1440, 1920] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

describe(`e2e: every main page in both languages: screenshots, axe-core, no clipping (${TEST_BACKEND})`, function () {
  this.timeout(240_000);
  let w: World;
  let browser: Browser;
  let axeSource: string;
  let cameraId: string;
  let incidentId: string;

  before(async function () {
    this.timeout(180_000);
    ensureConsoleBuilt();
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    w = await startWorld();
    for (const kind of ['road', 'household', 'shopfront']) {
      const r = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput({ kind }));
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      cameraId = r.body.id;
    }
    incidentId = await createIncident(w.as.admin, { title: 'Screens' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await w?.srv.close();
  });

  const pages = (): Array<{ name: string; path: string }> => [
    ...sectionsFor('admin').map((s) => ({ name: s, path: sectionPath(s) })),
    { name: 'admin-audit', path: '/admin/audit' },
    { name: 'admin-health', path: '/admin/health' },
    { name: 'incident', path: `/incidents/${incidentId}` },
    { name: 'verify-package', path: '/incidents/verify' },
    { name: 'wall', path: `/wall?layout=4&cameras=${cameraId}` },
    { name: 'playback', path: `/playback/${cameraId}` },
  ];

  /** Serious and critical axe-core findings on the page as it is now (axe runs through CDP, outside the page's CSP). */
  async function axe(page: Page): Promise<string[]> {
    await page.evaluate(`${axeSource}\n;undefined`);
    const violations = (await page.evaluate(() =>
      (globalThis as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } }).axe
        .run(document, { resultTypes: ['violations'] })
        .then((r) => r.violations),
    )) as AxeViolation[];
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
  }

  /** Elements wider than the window or cut at its right edge (horizontal scrolling of the page). */
  const overflow = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);

  async function settle(page: Page): Promise<void> {
    await page.waitForLoadState('load');
    await page.locator('main, [data-testid=wall-page], [data-testid=login-form], form').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
  }

  for (const lang of LANGS) {
    it(`${lang}: sign-in and every main page ${lang === LANGS[0] ? 'pass axe-core, ' : ''}fit 1440 and 1920 px, and are captured`, async () => {
      const dir = path.join(SCREENS_DIR, lang);
      await mkdir(dir, { recursive: true });
      const context = await browser.newContext({ viewport: { width: WIDTHS[0], height: 900 }, locale: lang });
      await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [LANGUAGE_STORAGE_KEY, lang] as const);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      try {
        await page.goto(w.srv.url);
        await page.getByTestId('login-username').waitFor();
        expect(await page.locator('html').getAttribute('lang')).to.equal(lang);
        await page.screenshot({ path: path.join(dir, 'sign-in.png') });
        const findings: string[] = (await axe(page)).map((f) => `sign-in: ${f}`);

        await signIn(page, w.srv.url, 'admin', TEST_ADMIN_PASSWORD);
        for (const p of pages()) {
          await page.setViewportSize({ width: WIDTHS[0], height: 900 });
          await page.goto(`${w.srv.url}${p.path}`);
          await settle(page);
          await page.screenshot({ path: path.join(dir, `${p.name}.png`) });
          if (lang === LANGS[0]) findings.push(...(await axe(page)).map((f) => `${p.name}: ${f}`));
          // Each width laid out anew (the window resized, as a user would): nothing wider than it.
          for (const width of WIDTHS) {
            await page.setViewportSize({ width, height: 900 });
            await page.waitForTimeout(150);
            expect(await overflow(page), `${p.name} at ${width} px: wider than the window`).to.be.at.most(0);
          }
        }
        expect(findings, findings.join('\n')).to.deep.equal([]);
        expect(problems).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }
});
