import { expect } from 'chai';
import { clipArgs, clipTimes, concatList, keyframeAtOrBefore, parseKeyframes, planClip, statsTime } from '@workers/clipper/plan';
import { byteRange } from '@server/clips/inputs';

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const s = (sec: number) => T0 + sec * 1000;
/** Files of 10 s covering [a, b) seconds. */
const files = (a: number, b: number) => Array.from({ length: Math.ceil((b - a) / 10) }, (_, i) => ({ start: s(a + i * 10), end: s(Math.min(b, a + i * 10 + 10)), input: `f${a + i * 10}` }));

describe('clip planning', () => {
  it('reads the files overlapping the window, in from the first, out of the last', () => {
    const p = planClip(files(0, 60), s(12.5), s(41));
    expect(p.pieces.map((x) => x.file.input)).to.deep.equal(['f10', 'f20', 'f30', 'f40']);
    expect(p.pieces.map((x) => [x.inpoint, x.outpoint])).to.deep.equal([[2.5, null], [null, null], [null, null], [null, 1]]);
    expect(p.gaps).to.deep.equal([]);
  });

  it('lists gaps inside the window (leading, inner, trailing) and ignores seams under the tolerance', () => {
    const f = [...files(10, 30), { start: s(30.4), end: s(40), input: 'seam' }, ...files(50, 60)];
    const p = planClip(f, s(5), s(70));
    expect(p.gaps).to.deep.equal([{ start: s(5), end: s(10) }, { start: s(40), end: s(50) }, { start: s(60), end: s(70) }]);
    expect(p.pieces[0]!.inpoint).to.equal(null);
    expect(p.pieces.at(-1)!.outpoint).to.equal(null);
  });

  it('drops a file lying inside the one before it, and gives nothing for an empty window', () => {
    const p = planClip([...files(0, 20), { start: s(12), end: s(18), input: 'dup' }], s(0), s(20));
    expect(p.pieces.map((x) => x.file.input)).to.deep.equal(['f0', 'f10']);
    expect(planClip(files(0, 20), s(100), s(200)).pieces).to.deep.equal([]);
  });

  it('starts at the keyframe at or before the in point', () => {
    expect(keyframeAtOrBefore([0, 2, 4, 6], 3.3)).to.equal(2);
    expect(keyframeAtOrBefore([0, 2, 4, 6], 4)).to.equal(4);
    expect(keyframeAtOrBefore([0, 2, 4], 9)).to.equal(4);
    expect(keyframeAtOrBefore([], 3)).to.equal(0);
  });

  it('states the actual start, end and media length', () => {
    const p = planClip(files(0, 30), s(13), s(25));
    expect(clipTimes(p.pieces, 2)).to.deep.equal({ actualFrom: s(12), actualTo: s(25), mediaMs: 13_000 });
    const gap = planClip([...files(0, 10), ...files(20, 30)], s(5), s(25));
    expect(clipTimes(gap.pieces, 4)).to.deep.equal({ actualFrom: s(4), actualTo: s(25), mediaMs: 11_000 });
  });

  it('writes the concat script with quoted names and refuses line breaks', () => {
    expect(concatList([{ input: "/a/it's.mp4", inpoint: 2, outpoint: null }, { input: 'http://127.0.0.1:1/x/2.mp4', inpoint: null, outpoint: 1.5 }])).to.equal(
      "ffconcat version 1.0\nfile '/a/it'\\''s.mp4'\ninpoint 2.000000\nfile 'http://127.0.0.1:1/x/2.mp4'\noutpoint 1.500000\n",
    );
    expect(() => concatList([{ input: 'a\nfile /etc/passwd', inpoint: null, outpoint: null }])).to.throw(/line break/);
  });

  it('builds a stream-copy, faststart MP4 command', () => {
    const a = clipArgs('/w/list', '/w/out.mp4');
    expect(a.join(' ')).to.match(/-c copy -movflags \+faststart -f mp4 -y \/w\/out\.mp4$/);
    expect(a.join(' ')).to.contain('-f concat -safe 0 -protocol_whitelist file,http,tcp -i /w/list');
  });

  it('parses keyframes, progress and byte ranges', () => {
    expect(parseKeyframes('0.000000,K__\n0.040000,___\n2.000000,K_\n')).to.deep.equal([0, 2]);
    expect(statsTime('frame=1 time=00:00:01.50 bitrate\rframe=2 time=00:01:02.25 bitrate')).to.equal(62.25);
    expect(statsTime('nothing')).to.equal(null);
    expect(byteRange(undefined, 100)).to.equal(null);
    expect(byteRange('bytes=0-9', 100)).to.deep.equal({ start: 0, end: 10 });
    expect(byteRange('bytes=90-', 100)).to.deep.equal({ start: 90, end: 100 });
    expect(byteRange('bytes=-10', 100)).to.deep.equal({ start: 90, end: 100 });
    expect(byteRange('bytes=100-', 100)).to.equal('bad');
    expect(byteRange('bytes=5-2', 100)).to.equal('bad');
    expect(byteRange('items=0-1', 100)).to.equal('bad');
  });
});
