import { expect } from 'chai';
import { planRetention, type CachedSegment } from '@workers/recorder/retention';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const DAY = 86_400_000;
const seg = (cameraId: string, ageMs: number, bytes = 100, mtimeAgeMs = ageMs): CachedSegment => ({
  cameraId,
  path: `/cache/${cameraId}/${NOW - ageMs}.mp4`,
  start: new Date(NOW - ageMs),
  bytes,
  mtimeMs: NOW - mtimeAgeMs,
});
const names = (d: ReturnType<typeof planRetention>) => d.map((x) => `${x.segment.cameraId}@${(NOW - x.segment.start.getTime()) / 1000}:${x.reason}`);

describe('recording cache retention plan', () => {
  const base = { retentionDays: new Map([['a', 7], ['b', 1]]), freeBytes: 10_000, minFreeBytes: 1_000, now: NOW, busyMs: 180_000 };

  it('deletes what is past each camera\'s retention, and files of cameras no longer registered', () => {
    const plan = planRetention({ ...base, segments: [seg('a', 8 * DAY), seg('a', 6 * DAY), seg('b', 2 * DAY), seg('b', DAY / 2), seg('gone', 3600_000)] });
    expect(names(plan)).to.deep.equal([`a@${(8 * DAY) / 1000}:retention`, `b@${(2 * DAY) / 1000}:retention`, 'gone@3600:deleted_camera']);
  });

  it('below the free-space floor deletes the oldest first, across cameras, only as much as needed', () => {
    const segments = [seg('a', 50_000_000, 300), seg('b', 40_000_000, 300), seg('a', 30_000_000, 300), seg('b', 20_000_000, 300)];
    // 500 free, floor 1,000: two oldest (600 bytes) bring it to 1,100.
    expect(names(planRetention({ ...base, segments, freeBytes: 500 }))).to.deep.equal(['a@50000:disk', 'b@40000:disk']);
    // Space freed by retention counts first.
    const withOld = [...segments, seg('b', 3 * DAY, 600)];
    expect(names(planRetention({ ...base, segments: withOld, freeBytes: 500 }))).to.deep.equal([`b@${(3 * DAY) / 1000}:retention`]);
  });

  it('never touches a file still being written, even when the disk is full', () => {
    const busy = seg('a', 10_000, 5_000, 1_000);
    const plan = planRetention({ ...base, segments: [busy, seg('a', 9 * DAY, 10, 1_000)], freeBytes: 0, minFreeBytes: 1e12 });
    expect(plan).to.deep.equal([]);
  });

  it('does nothing when everything is within retention and the disk has room', () => {
    expect(planRetention({ ...base, segments: [seg('a', DAY), seg('b', 3600_000)] })).to.deep.equal([]);
  });
});
