import { expect } from 'chai';
import { computeGaps } from '@workers/recorder/gaps';
import { parseSegmentListLine } from '@workers/recorder/segment-list';
import { judgeProbe } from '@workers/recorder/validate';
import { assertSafeCameraId, createIngestStore } from '@workers/store/paths';

describe('workers/store and recorder helpers', () => {
  const store = createIngestStore('/data');
  it('owns the paths', () => {
    expect(store.livePlaylist('cam-1')).to.equal('/data/live/cam-1/index.m3u8');
    expect(store.cacheSegmentPath('cam-1', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).to.equal('/data/cache/cam-1/20240102-030405.mp4');
    expect(store.cacheSegmentPattern('cam-1')).to.equal('/data/cache/cam-1/%Y%m%d-%H%M%S.mp4');
    expect(store.parseCacheSegmentName('/x/20240102-030405.mp4')?.toISOString()).to.equal('2024-01-02T03:04:05.000Z');
    expect(store.parseCacheSegmentName('.segments-a.csv')).to.equal(null);
  });
  it('rejects camera ids that could escape dataDir', () => {
    for (const bad of ['../x', 'a/b', '', '.hidden', 'a..b']) expect(() => assertSafeCameraId(bad), bad).to.throw();
    expect(() => store.segmentListPath('c', '../x')).to.throw();
  });
  it('parses csv segment list lines', () => {
    expect(parseSegmentListLine('20240102-030405.mp4,0.000000,3.960000')).to.deep.equal({ name: '20240102-030405.mp4', startSec: 0, endSec: 3.96 });
    expect(parseSegmentListLine('"a,b.mp4",1.5,2')).to.deep.equal({ name: 'a,b.mp4', startSec: 1.5, endSec: 2 });
    expect(parseSegmentListLine('garbage')).to.equal(null);
  });
  it('judges probe results', () => {
    const ok = { durationSec: 4, videoCodec: 'h264', audioCodec: null, width: 1, height: 1 };
    expect(judgeProbe(ok, 100, 13)).to.equal(null);
    expect(judgeProbe(ok, 0, 13)).to.equal('empty file');
    expect(judgeProbe({ ...ok, videoCodec: null }, 100, 13)).to.equal('no video stream');
    expect(judgeProbe({ ...ok, durationSec: 0 }, 100, 13)).to.equal('no duration');
    expect(judgeProbe({ ...ok, durationSec: 99 }, 100, 13)).to.match(/exceeds/);
  });
  it('computes gaps between segments', () => {
    const t = (s: number) => new Date(s * 1000);
    const segs = [{ start: t(0), end: t(4) }, { start: t(4.5), end: t(8) }, { start: t(20), end: t(24) }];
    expect(computeGaps(segs, 1000).map((g) => [g.start.getTime() / 1000, g.end.getTime() / 1000])).to.deep.equal([[8, 20]]);
    expect(computeGaps(segs, 1000, t(-10), t(30)).map((g) => [g.start.getTime() / 1000, g.end.getTime() / 1000])).to.deep.equal([[-10, 0], [8, 20], [24, 30]]);
  });
});
