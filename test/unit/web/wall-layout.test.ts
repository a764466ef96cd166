/** Live wall (issue 12): layout geometry, the bookmarkable URL, fill/swap, keys, tour, saved walls, snapshot names. */
import { expect } from 'chai';
import { geometryOf, LAYOUTS, layoutFor, layoutLabel, moveSelection, parseLayout } from '@web/wall/layout';
import { DEFAULT_WALL, fillWall, swapSlots, wallFromQuery, wallQuery, type WallSettings } from '@web/wall/wallState';
import { keyAction } from '@web/wall/useWallKeys';
import { isSmallTile, pickStream, wantsSub } from '@web/wall/streamChoice';
import { advanceTour, currentGroup, pruneTour, startTour, tourSeconds } from '@web/wall/tour';
import { fromSaved, toSavedInput } from '@web/wall/savedWall';
import { snapshotName } from '@web/wall/snapshot';
import type { SavedWall } from '@web/api/walls';
import { expectKey } from './i18n-keys';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

describe('web/wall: layouts 1/4/9/16/25 and 1+5/1+7', () => {
  it('has one area per tile, none overlapping, filling the grid', () => {
    for (const l of LAYOUTS) {
      const g = geometryOf(l);
      expect(g.areas, `layout ${l}`).to.have.length(l);
      const cells = new Set<string>();
      for (const a of g.areas) {
        for (let r = a.row; r < a.row + a.rowSpan; r++) {
          for (let c = a.col; c < a.col + a.colSpan; c++) {
            const k = `${r},${c}`;
            expect(cells.has(k), `layout ${l} cell ${k} twice`).to.equal(false);
            cells.add(k);
          }
        }
      }
      expect(cells.size, `layout ${l} fills its grid`).to.equal(g.columns * g.columns);
    }
  });

  it('puts the large tile first: 2x2 of 3x3 for 1+5, 3x3 of 4x4 for 1+7', () => {
    expect(geometryOf(6).areas[0]).to.deep.equal({ row: 1, col: 1, rowSpan: 2, colSpan: 2 });
    expect(geometryOf(6).columns).to.equal(3);
    expect(geometryOf(8).areas[0]).to.deep.equal({ row: 1, col: 1, rowSpan: 3, colSpan: 3 });
    expect(geometryOf(8).columns).to.equal(4);
    expect(geometryOf(25).columns).to.equal(5);
    expect(layoutLabel(6)).to.equal('1+5');
    expect(layoutLabel(8)).to.equal('1+7');
    expect(layoutLabel(25)).to.equal('25');
  });

  it('parses layouts from the URL and picks the smallest square that holds n cameras', () => {
    expect(['1', '4', '9', '16', '25', '1+5', '1+7', '6', '8'].map(parseLayout)).to.deep.equal([1, 4, 9, 16, 25, 6, 8, 6, 8]);
    expect(['', '2', '36', 'x', '1+6', '-4', '4.0', null].map((v) => parseLayout(v))).to.deep.equal([null, null, null, null, null, null, null, null]);
    expect([0, 1, 2, 5, 10, 17, 25, 40].map(layoutFor)).to.deep.equal([1, 1, 4, 9, 16, 25, 25, 25]);
  });

  it('moves the selection with arrows by position, staying put at the edges', () => {
    expect(moveSelection(9, 0, 'right')).to.equal(1);
    expect(moveSelection(9, 0, 'down')).to.equal(3);
    expect(moveSelection(9, 0, 'left')).to.equal(0);
    expect(moveSelection(9, 8, 'down')).to.equal(8);
    expect(moveSelection(25, 12, 'up')).to.equal(7);
    // 1+5: right of the large tile is the first small one beside it; down from it, the bottom row.
    expect(moveSelection(6, 0, 'right')).to.equal(1);
    expect(moveSelection(6, 0, 'down')).to.be.oneOf([3, 4]);
    expect(moveSelection(6, 2, 'left')).to.equal(0);
  });

  it('maps keys: 1-9 select (within the layout), arrows move, F wall full screen, Enter tile full screen', () => {
    expect(keyAction('3', 4, 0)).to.deep.equal({ select: 2 });
    expect(keyAction('9', 4, 0)).to.equal(null);
    expect(keyAction('9', 16, 0)).to.deep.equal({ select: 8 });
    expect(keyAction('0', 16, 0)).to.equal(null);
    expect(keyAction('ArrowRight', 4, 0)).to.deep.equal({ select: 1 });
    expect(keyAction('f', 4, 0)).to.deep.equal({ fullscreen: 'wall' });
    expect(keyAction('F', 4, 0)).to.deep.equal({ fullscreen: 'wall' });
    expect(keyAction('Enter', 4, 2)).to.deep.equal({ fullscreen: 'tile' });
    expect(keyAction('x', 4, 0)).to.equal(null);
  });
});

describe('web/wall: the bookmarkable wall URL', () => {
  const base: WallSettings = { ...DEFAULT_WALL, layout: 9, mode: 'hls' };

  it('opens /wall?layout=N&cameras=...&mode=ll|hls', () => {
    const w = wallFromQuery(`?layout=9&cameras=${A},,${B}&mode=ll`, DEFAULT_WALL)!;
    expect(w.layout).to.equal(9);
    expect(w.mode).to.equal('flv');
    expect(w.slots.slice(0, 4)).to.deep.equal([A, null, B, null]);
    expect(wallFromQuery('?layout=1%2B5&mode=hls', base)).to.deep.include({ layout: 6, mode: 'hls' });
  });

  it('ignores a query naming no wall, keeps what it leaves out, repairs junk', () => {
    expect(wallFromQuery('', base)).to.equal(null);
    expect(wallFromQuery('?other=1', base)).to.equal(null);
    expect(wallFromQuery('?mode=ll', base)).to.deep.include({ layout: 9, mode: 'flv' });
    expect(wallFromQuery('?layout=7&mode=rtsp', base)).to.deep.include({ layout: 9, mode: 'hls' });
    const w = wallFromQuery(`?cameras=${A},${A},<x>,${B}`, base)!;
    expect(w.slots.slice(0, 4)).to.deep.equal([A, null, null, B]);
  });

  it('grows a layout too small for the cameras given', () => {
    const many = Array.from({ length: 10 }, (_, i) => `cam-${i}`).join(',');
    expect(wallFromQuery(`?layout=4&cameras=${many}`, DEFAULT_WALL)!.layout).to.equal(16);
    expect(wallFromQuery(`?cameras=${many}`, DEFAULT_WALL)!.layout).to.equal(16);
    const tooMany = Array.from({ length: 40 }, (_, i) => `cam-${i}`).join(',');
    const w = wallFromQuery(`?layout=25&cameras=${tooMany}`, DEFAULT_WALL)!;
    expect(w.layout).to.equal(25);
    expect(w.slots).to.have.length(25);
  });

  it('writes the query back (round trip, trailing empty tiles dropped)', () => {
    const w = wallFromQuery(`?layout=9&cameras=${A},,${B}&mode=ll`, DEFAULT_WALL)!;
    expect(wallQuery(w)).to.equal(`?layout=9&mode=ll&cameras=${A},,${B}`);
    expect(wallFromQuery(wallQuery(w), base)).to.deep.equal(w);
    expect(wallQuery(DEFAULT_WALL)).to.equal('?layout=4&mode=ll');
  });
});

describe('web/wall: fill, swap, saved walls', () => {
  it('fills the wall from a group in one action, growing the layout to fit', () => {
    const w = fillWall(DEFAULT_WALL, [A, B, C]);
    expect(w.layout).to.equal(4);
    expect(w.slots.slice(0, 4)).to.deep.equal([A, B, C, null]);
    const big = fillWall(DEFAULT_WALL, Array.from({ length: 30 }, (_, i) => `cam-${i}`));
    expect(big.layout).to.equal(25);
    expect(big.slots.filter(Boolean)).to.have.length(25);
    expect(fillWall({ ...DEFAULT_WALL, layout: 16 }, [A], true).layout).to.equal(16);
    expect(fillWall(DEFAULT_WALL, []).layout).to.equal(1);
  });

  it('swaps two tiles (a tile dragged onto another)', () => {
    const w = fillWall(DEFAULT_WALL, [A, B]);
    expect(swapSlots(w, 0, 3).slots.slice(0, 4)).to.deep.equal([null, B, null, A]);
    expect(swapSlots(w, 0, 99)).to.equal(w);
  });

  it('turns a saved wall into the wall on screen and back', () => {
    const saved: SavedWall = {
      id: 'w1', name: 'Night', layout: 6, mode: 'll', cameras: [A, null, B], shared: false, stationId: null,
      owner: { id: 'u', name: 'U' }, mine: true, createdAt: '', updatedAt: '', version: 3,
    };
    const w = fromSaved(saved);
    expect(w).to.deep.include({ layout: 6, mode: 'flv' });
    expect(w.slots.slice(0, 3)).to.deep.equal([A, null, B]);
    expect(toSavedInput(w, '  Night ', true, 'st')).to.deep.equal({ name: 'Night', layout: 6, mode: 'll', cameras: [A, null, B], shared: true, stationId: 'st' });
    expect(toSavedInput(w, 'x', false, 'st').stationId).to.equal(null);
    // A stored layout too small for its cameras (or unknown) grows to fit.
    expect(fromSaved({ ...saved, layout: 1 }).layout).to.equal(4);
    expect(fromSaved({ ...saved, mode: 'hls', layout: 5 })).to.deep.include({ layout: 4, mode: 'hls' });
  });

  it('names snapshots by camera and local time, safely', () => {
    expect(snapshotName('路口 1/东', new Date(2026, 0, 2, 3, 4, 5))).to.equal('路口_1_东_20260102-030405.png');
    expect(snapshotName('', new Date(2026, 0, 2, 3, 4, 5))).to.equal('camera_20260102-030405.png');
  });
});

describe('web/wall: tour mode', () => {
  it('cycles the groups every N seconds, catching up after a sleep', () => {
    const s = startTour(['a', 'b', 'a', 'c'], 10, 1000)!;
    expect(s.groups).to.deep.equal(['a', 'b', 'c']);
    expect(currentGroup(s)).to.equal('a');
    expect(advanceTour(s, 10_999)).to.equal(s);
    const s1 = advanceTour(s, 11_000);
    expect(currentGroup(s1)).to.equal('b');
    expect(s1.nextAt).to.equal(21_000);
    // Slept past three steps (21 s: c, 31 s: a, 41 s: b): one jump to where the tour is now.
    const s2 = advanceTour(s1, 41_500);
    expect(currentGroup(s2)).to.equal('b');
    expect(s2.nextAt).to.equal(51_000);
    expect(startTour([], 10, 0)).to.equal(null);
  });

  it('clamps the interval and drops deleted groups', () => {
    expect([0, -3, 2, 5, 30, 99_999].map(tourSeconds)).to.deep.equal([30, 30, 5, 5, 30, 3600]);
    expect(tourSeconds('abc')).to.equal(30);
    expect(tourSeconds(' 12 ')).to.equal(12);
    const s = advanceTour(startTour(['a', 'b', 'c'], 5, 0)!, 5000);
    expect(currentGroup(s)).to.equal('b');
    const p = pruneTour(s, (id) => id !== 'a')!;
    expect(p.groups).to.deep.equal(['b', 'c']);
    expect(currentGroup(p)).to.equal('b');
    expect(pruneTour(s, () => false)).to.equal(null);
  });
});

describe('web/wall: which stream a tile plays (issue 12: sub stream in small tiles)', () => {
  const urls = { hls: '/h?token=t', flv: '/api/v1/live/c.flv?token=t', sub: { flv: '/api/v1/live/c/sub.flv?token=t' }, expiresAt: '2026-01-01T00:00:00Z' };
  it('small tiles are every tile of 9/16/25 and the small tiles of 1+5/1+7; 1 and 4 have none', () => {
    const small = (l: 1 | 4 | 9 | 16 | 25 | 6 | 8) => Array.from({ length: l }, (_, i) => isSmallTile(l, i));
    expect(small(1)).to.deep.equal([false]);
    expect(small(4)).to.deep.equal([false, false, false, false]);
    for (const l of [9, 16, 25] as const) expect(small(l).every(Boolean), `layout ${l}`).to.equal(true);
    expect(small(6)).to.deep.equal([false, true, true, true, true, true]);
    expect(small(8)).to.deep.equal([false, true, true, true, true, true, true, true]);
  });
  it('a small tile wants the sub stream, unless in full screen or in HLS mode', () => {
    expect(wantsSub(9, 3, false, 'flv')).to.equal(true);
    expect(wantsSub(9, 3, true, 'flv')).to.equal(false);
    expect(wantsSub(9, 3, false, 'hls')).to.equal(false);
    expect(wantsSub(6, 0, false, 'flv')).to.equal(false);
    expect(wantsSub(4, 1, false, 'flv')).to.equal(false);
  });
  it('plays the sub FLV when wanted and present, else main; a failed sub falls back to main', () => {
    expect(pickStream(urls, true, false)).to.deep.equal({ stream: 'sub', urls: { ...urls, flv: urls.sub.flv } });
    expect(pickStream(urls, false, false)).to.deep.equal({ stream: 'main', urls });
    expect(pickStream(urls, true, true)).to.deep.equal({ stream: 'main', urls });
    const { sub: _none, ...noSub } = urls;
    expect(pickStream(noSub, true, false)).to.deep.equal({ stream: 'main', urls: noSub });
  });
});

describe('web/wall: texts', () => {
  it('has the wall tool texts in both languages', () => {
    for (const k of ['wall.fullscreen', 'wall.snapshot', 'wall.cameraList', 'wall.dragHint', 'wall.fill.station', 'wall.fill.zone', 'wall.fill.grid', 'wall.fill.tag', 'wall.fill.saved', 'wall.saved.save', 'wall.saved.share', 'wall.tour.start', 'wall.tour.running']) expectKey(k);
  });
});
