import { expect } from 'chai';
import type { Timeline } from '@common/timeline';
import { bars, dayOf, fromFraction, nextGap, parsePlaybackPath, pastGap, playableFrom, playbackPath, previousGap, resumeAfterStall, StallWatch, toFraction, zoomWindow } from '@web/playback/timelineModel';

const T = Date.parse('2026-11-30T08:00:00Z');
const iso = (s: number) => new Date(T + s * 1000).toISOString();
const tl: Timeline = {
  spans: [{ from: iso(0), to: iso(100) }, { from: iso(130), to: iso(300) }, { from: iso(400), to: iso(500) }],
  gaps: [{ from: iso(100), to: iso(130), cause: 'camera_offline' }, { from: iso(300), to: iso(400), cause: 'auth_failed' }, { from: iso(500), to: iso(505), cause: 'in_progress' }],
};

describe('web/playback: timeline model', () => {
  it('zoom keeps the window inside the day; positions map both ways', () => {
    const day = dayOf(T);
    expect(day.end - day.start).to.be.within(23 * 3_600_000, 25 * 3_600_000);
    const w = zoomWindow(day, 3_600_000, day.start + 60_000);
    expect(w).to.deep.equal({ start: day.start, end: day.start + 3_600_000 });
    expect(toFraction(w, day.start + 1_800_000)).to.equal(0.5);
    expect(fromFraction(w, 0.25)).to.equal(day.start + 900_000);
    expect(zoomWindow(day, 2 * 86_400_000, T)).to.deep.equal(day);
  });

  it('jumps to the next and previous loss gaps (never to the segment being written)', () => {
    expect(nextGap(tl, T)?.cause).to.equal('camera_offline');
    expect(nextGap(tl, T + 100_000)?.cause).to.equal('auth_failed');
    expect(nextGap(tl, T + 450_000)).to.equal(null);
    expect(previousGap(tl, T + 450_000)?.cause).to.equal('auth_failed');
    expect(previousGap(tl, T + 50_000)).to.equal(null);
  });

  it('a click in a gap plays from the next span; bars are in time order', () => {
    expect(playableFrom(tl, T + 50_000)).to.equal(T + 50_000);
    expect(playableFrom(tl, T + 110_000)).to.equal(T + 130_000);
    expect(playableFrom(tl, T + 600_000)).to.equal(null);
    expect(bars(tl).map((b) => b.kind)).to.deep.equal(['span', 'camera_offline', 'span', 'auth_failed', 'span', 'in_progress']);
  });

  it('a player standing still just before a gap goes on from the next span; inside a span or after the last it stays', () => {
    expect(pastGap(tl, T + 99_000)).to.equal(T + 130_000);
    expect(pastGap(tl, T + 298_500)).to.equal(T + 400_000);
    expect(pastGap(tl, T + 50_000)).to.equal(null);
    expect(pastGap(tl, T + 97_000)).to.equal(null);
    expect(pastGap(tl, T + 499_000)).to.equal(null);
  });

  it('the stall watch speaks once per 3 s of a picture standing still while it should play, never while paused', () => {
    const w = new StallWatch(3_000);
    const said = (steps: Array<[number, boolean, number]>) => steps.map(([now, moving, at]) => w.tick(now, moving, at));
    expect(said([[0, true, 1], [1_000, true, 2], [2_000, true, 3], [4_900, true, 3], [5_000, true, 3], [7_000, true, 3], [8_000, true, 3]])).to.deep.equal([false, false, false, false, true, false, true]);
    expect(said([[9_000, false, 3], [20_000, false, 3], [21_000, true, 3], [23_000, true, 3], [24_000, true, 3]])).to.deep.equal([false, false, false, false, true]);
    // A player nudging its position back and forth by a tenth of a second around a hole stands still.
    expect(said([[25_000, true, 5], [26_000, true, 5.1], [27_000, true, 5.2], [28_000, true, 5.1], [29_000, true, 5.3]])).to.deep.equal([false, false, false, true, false]);
  });

  it('a player stuck inside a span starts afresh from there, and moves on 2 s when it sticks there again; before a gap it goes past it', () => {
    expect(resumeAfterStall(tl, T + 50_000, null)).to.equal(T + 50_000);
    expect(resumeAfterStall(tl, T + 50_400, T + 50_000)).to.equal(T + 52_400);
    expect(resumeAfterStall(tl, T + 60_000, T + 50_000)).to.equal(T + 60_000);
    expect(resumeAfterStall(tl, T + 99_000, null)).to.equal(T + 130_000);
    expect(resumeAfterStall(tl, T + 97_500, T + 97_500)).to.equal(T + 99_500);
    expect(resumeAfterStall(tl, T + 499_000, T + 499_000)).to.equal(null);
  });

  it('the page address round-trips', () => {
    const p = playbackPath('abc', T);
    const [path, search] = p.split('?');
    expect(parsePlaybackPath(path!, `?${search}`)).to.deep.equal({ cameraId: 'abc', at: T });
    expect(parsePlaybackPath('/cameras', '')).to.equal(null);
  });
});
