import { expect } from 'chai';
import { planCache, type CachedSegment } from '@workers/recorder/retention';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const H = 3_600_000;
const seg = (name: string, ageMs: number, o: Partial<CachedSegment> = {}): CachedSegment => ({
  cameraId: 'a',
  cacheKey: `a/${name}`,
  start: new Date(NOW - ageMs),
  bytes: 100,
  mtimeMs: NOW - ageMs,
  archivedAt: null,
  held: false,
  uploading: false,
  ...o,
});
const names = (d: ReturnType<typeof planCache>) => d.map((x) => `${x.segment.cacheKey}:${x.reason}`);

describe('recording cache plan (hot tier)', () => {
  const base = { freeBytes: 10_000, minFreeBytes: 1_000, cacheKeepMs: H, now: NOW, busyMs: 180_000 };

  it('archived copies go after cacheKeep; un-archived ones stay while the disk has room', () => {
    const plan = planCache({ ...base, segments: [seg('old', 3 * H, { archivedAt: NOW - 2 * H }), seg('fresh', 3 * H, { archivedAt: NOW - H / 2 }), seg('unarch', 9 * H)] });
    expect(names(plan)).to.deep.equal(['a/old:archived']);
  });

  it('below the floor: archived copies go first (oldest first), never un-archived while an archived one is left', () => {
    const segments = [seg('u1', 9 * H), seg('a2', 2 * H, { archivedAt: NOW - 60_000 }), seg('a1', 3 * H, { archivedAt: NOW - 60_000 }), seg('u2', 8 * H)];
    expect(names(planCache({ ...base, segments, freeBytes: 850 }))).to.deep.equal(['a/a1:disk', 'a/a2:disk']);
  });

  it('with only un-archived data left it drops the oldest, but never held, uploading or busy ones', () => {
    const segments = [seg('held', 10 * H, { held: true }), seg('up', 9 * H, { uploading: true }), seg('u1', 8 * H), seg('u2', 7 * H), seg('busy', 1000)];
    expect(names(planCache({ ...base, segments, freeBytes: 0, minFreeBytes: 150 }))).to.deep.equal(['a/u1:disk_unarchived', 'a/u2:disk_unarchived']);
    expect(names(planCache({ ...base, segments, freeBytes: 0, minFreeBytes: 1e12 }))).to.deep.equal(['a/u1:disk_unarchived', 'a/u2:disk_unarchived']);
  });

  it('does nothing with room and nothing archived past cacheKeep', () => {
    expect(planCache({ ...base, segments: [seg('u', H), seg('a', H, { archivedAt: NOW - 1000 })] })).to.deep.equal([]);
  });
});
