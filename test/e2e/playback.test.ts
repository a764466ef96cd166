/**
 * Recorded playback end to end: real ingest of a simulated camera with a gap in its recording
 * (connections refused for a few seconds), the built console in Debian's Chromium. The playback
 * page opened at a time plays from that time (the program-date-time under the playhead is within
 * one GOP of it), crosses the gap at 8x, and the gap buttons jump to where recording resumes. A
 * player whose next file never comes goes on by itself: past the gap, or afresh inside a span.
 */
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startFleet, type Fleet } from '@sim/index';
import { RecordingsRepository } from '@server/recordings/repository';
import type { Timeline } from '@common/timeline';
import { launchBrowser } from '@test/helpers/browser';
import { signIn } from '@test/helpers/console';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { baseOctet, createSite, expectNoIngestFfmpeg, registerSimCamera, sleep, waitFor, waitStatus, type Running, type Site } from '@test/integration/ingest/helpers';

const BUILT = existsSync('web/dist/index.html');
/** The simulator's clip: 25 fps, a keyframe every 2 s. */
const GOP_MS = 2_000;

describe('e2e: recorded playback across a gap from the timeline page', function () {
  this.timeout(300_000);
  let site: Site;
  let app: Running;
  let fleet: Fleet;
  let browser: Browser;
  let page: Page;
  let id: string;
  let gap: { from: number; to: number };
  let firstStart: number;
  /** The first recorded file after the gap. */
  let postGapStart: number;
  /** The third recorded file (inside the first span, well before the gap). */
  let thirdStart: number;
  const problems: string[] = [];
  /** Responses with an error status the page received (for failure messages). */
  const refused: string[] = [];

  before(async function () {
    this.timeout(240_000);
    if (!BUILT) throw new Error('web/dist is missing: run `npm run build:web` first');
    site = await createSite();
    app = await site.start({ ingest: { maxRestartDelay: '1s', recordingSegment: '2s' } });
    fleet = await startFleet({ cameras: 1, baseOctet: baseOctet(11), startOnvif: false, startDiscovery: false, withSub: false });
    id = await registerSimCamera(app, fleet.cameras[0]!, { name: 'Replay camera' });
    await waitStatus(app, id, 'live', 60_000);
    const recordings = new RecordingsRepository(app.ctx.database);
    const repo = { list: (cameraId: string) => recordings.listSegments(cameraId, new Date(0), new Date(Date.now() + 3_600_000)) };
    await waitFor(async () => (await repo.list(id)).length >= 4, 60_000, 'four segments');
    fleet.cameras[0]!.setFault('refuse');
    await waitStatus(app, id, 'unreachable', 30_000);
    await sleep(3_000);
    const cleared = Date.now();
    fleet.cameras[0]!.clearFault();
    await waitStatus(app, id, 'live', 60_000);
    const segs = await waitFor(async () => {
      const s = await repo.list(id);
      return s.filter((x) => x.start.getTime() > cleared).length >= 4 ? s : null;
    }, 60_000, 'four segments after the gap');
    firstStart = segs[0]!.start.getTime();
    const tl = (await app.api('GET', `/api/v1/cameras/${id}/timeline?from=${new Date(firstStart - 60_000).toISOString()}`)).body as Timeline;
    const g = tl.gaps.find((x) => x.cause === 'camera_offline');
    expect(g, JSON.stringify(tl)).to.not.equal(undefined);
    gap = { from: Date.parse(g!.from), to: Date.parse(g!.to) };
    postGapStart = segs.find((x) => x.start.getTime() > gap.from)!.start.getTime();
    thirdStart = segs[2]!.start.getTime();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
    });
    await signIn(page, app.url, 'admin', TEST_ADMIN_PASSWORD);
  });
  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await app?.stop();
    await expectNoIngestFfmpeg();
    await fleet?.stop();
    await site?.drop();
  });

  const clock = () => page.getByTestId('playback-clock');
  /** The player's state, for failure messages: what the video element and the page's player say. */
  const playerState = () =>
    page
      .evaluate(() => {
        const v = document.querySelector('[data-testid=playback-video]') as HTMLVideoElement | null;
        const c = document.querySelector('[data-testid=playback-clock]');
        const ranges = (r: TimeRanges | undefined) => Array.from({ length: r?.length ?? 0 }, (_, i) => `${r!.start(i).toFixed(2)}-${r!.end(i).toFixed(2)}`).join(' ');
        return JSON.stringify({
          phase: c?.getAttribute('data-phase'),
          error: c?.getAttribute('data-error'),
          started: c?.getAttribute('data-started'),
          currentTime: v?.currentTime,
          paused: v?.paused,
          ended: v?.ended,
          readyState: v?.readyState,
          rate: v?.playbackRate,
          buffered: ranges(v?.buffered),
          played: ranges(v?.played),
        });
      })
      .catch((e: Error) => `(no state: ${e.message})`);
  const wall = async () => Number((await clock().getAttribute('data-wall')) || 0);
  /**
   * The wall-clock time of the position a new playback started from: the first program-date-time
   * shown, less what the video played before it was read (the played range that holds the current
   * position starts where this playback began).
   */
  const firstWall = async () =>
    Number(
      await (
        await page.waitForFunction(
          () => {
            const wallAttr = document.querySelector('[data-testid=playback-clock]')?.getAttribute('data-wall');
            const v = document.querySelector('[data-testid=playback-video]') as HTMLVideoElement | null;
            if (!wallAttr || !v || v.played.length === 0) return null;
            // The played range holding the current position: hls.js may have shown position 0 for a
            // moment before its EXT-X-START seek, which leaves an earlier range.
            let from = v.played.start(0);
            for (let i = 0; i < v.played.length; i++) if (v.played.start(i) <= v.currentTime + 0.001) from = v.played.start(i);
            return Number(wallAttr) - (v.currentTime - from) * 1000;
          },
          undefined,
          { timeout: 60_000, polling: 'raf' },
        )
      ).jsonValue(),
    );

  /** Waits until the shown time is 1.5 s past `t`; the failure names the gap, the player's state and refused requests. */
  const playsPast = async (t: number, timeoutMs: number) => {
    let last = 0;
    let state = '';
    await waitFor(
      async () => {
        if ((last = await wall()) >= t + 1_500) return true;
        state = await playerState();
        return false;
      },
      timeoutMs,
      () => `playback past ${new Date(t).toISOString()} (at ${new Date(last).toISOString()}; gap ${new Date(gap.from).toISOString()}..${new Date(gap.to).toISOString()}; player ${state}; refused requests ${JSON.stringify(refused)})`,
    );
  };

  it('opens at a time and plays from it (program-date-time within one GOP of the request)', async () => {
    const at = firstStart + 3_000;
    await page.goto(`${app.url}/playback/${id}?at=${encodeURIComponent(new Date(at).toISOString())}`);
    await page.getByTestId('playback-page').waitFor({ timeout: 15_000 });
    // The timeline arrives after the page: wait for the gap to be drawn rather than counting at once.
    await page.locator(`[data-testid=playback-timeline] [data-kind=camera_offline]`).first().waitFor({ timeout: 15_000 });
    const first = await firstWall();
    console.log(`      requested ${new Date(at).toISOString()}, first frame shown at ${new Date(first).toISOString()}`);
    expect(Math.abs(first - at)).to.be.at.most(GOP_MS + 500);
  });

  it('plays across the gap at 8x: the shown time jumps over it', async () => {
    await page.getByTestId('playback-speed-8').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=playback-video]') as HTMLVideoElement | null)?.playbackRate === 8, undefined, { timeout: 15_000 });
    await playsPast(gap.to, 90_000);
    expect(await clock().getAttribute('data-phase')).to.not.equal('error');
    expect(await page.getByTestId('playback-video').evaluate((v) => (v as HTMLVideoElement).currentTime)).to.be.above(2);
  });

  it('the gap buttons jump to where recording resumes', async () => {
    await page.getByTestId('playback-speed-1').click();
    await page.getByTestId('playback-prev-gap').click();
    await waitFor(async () => Number(await clock().getAttribute('data-started')) === gap.to, 15_000, 'a new playback from the gap end');
    expect(Math.abs((await firstWall()) - gap.to)).to.be.at.most(GOP_MS + 500);
    expect(problems).to.deep.equal([]);
  });

  /**
   * Opens the page at `at` with the first playback's request for the file starting at `fileStart`
   * hanging (its URL carries the playback's range, from `at`; a playback started elsewhere gets it),
   * plays at `speed` and waits for the shown time to pass `past` by 1.5 s. Returns how often the
   * hanging file was asked for.
   */
  const stalledOn = async (at: number, fileStart: number, speed: number, past: number): Promise<number> => {
    let hung = 0;
    await page.route(
      (url) => url.pathname.includes(`/${at}-`) && url.pathname.endsWith(`/${fileStart}/media.m4s`),
      () => void hung++,
    );
    try {
      await page.goto(`${app.url}/playback/${id}?at=${encodeURIComponent(new Date(at).toISOString())}`);
      await page.getByTestId('playback-page').waitFor({ timeout: 15_000 });
      await page.getByTestId(`playback-speed-${speed}`).click();
      await playsPast(past, 30_000);
      return hung;
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  };

  it('a player stalled at the gap (the next file never comes) goes on from where recording resumes within seconds', async () => {
    const at = firstStart + 3_000;
    expect(await stalledOn(at, postGapStart, 8, gap.to), 'the file after the gap was asked for by the first playback').to.be.at.least(1);
    expect(Number(await clock().getAttribute('data-started')), 'a new playback from where recording resumes').to.be.at.least(gap.to);
  });

  it('a player stalled inside a span (one file never comes) starts afresh from where it stood within seconds', async () => {
    // A second before it: the first file may begin before the camera was registered, where the
    // timeline (and so the page) starts later.
    const at = thirdStart - 1_000;
    expect(await stalledOn(at, thirdStart, 1, thirdStart), 'the third file was asked for by the first playback').to.be.at.least(1);
    expect(Number(await clock().getAttribute('data-started')), 'a new playback from where the first stood').to.be.within(at + 1, thirdStart);
  });
});
