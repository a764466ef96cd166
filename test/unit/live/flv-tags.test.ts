import { expect } from 'chai';
import { classifyTag, FlvTagScanner } from '@workers/rtmp/flv-tags';
import { FLV_HEADER as HEADER, flvTag as tag, flvVideo as video } from '@test/helpers/flv';


describe('FLV tag scanner (on-demand republish)', () => {
  const meta = tag(18, Buffer.from('onMetaData-ish'));
  const seq = video(0x17, 0, 30, 0);
  const gop1 = [video(0x17, 1, 5000, 0), video(0x27, 1, 700, 40), video(0x27, 1, 900, 80)];
  const gop2 = [video(0x17, 1, 6000, 120), video(0x27, 1, 100, 160)];
  const stream = Buffer.concat([HEADER, meta, seq, ...gop1, ...gop2]);

  for (const chunk of [1, 3, 7, 13, 64, 4096, stream.length]) {
    it(`keeps header, metadata, sequence header and the last GOP (chunks of ${chunk} bytes)`, () => {
      const s = new FlvTagScanner();
      const seen: string[] = [];
      s.onTag = (_p, k) => seen.push(k);
      for (let i = 0; i < stream.length; i += chunk) s.push(stream.subarray(i, i + chunk));
      expect(Buffer.concat(s.startPieces()).equals(Buffer.concat([HEADER, meta, seq, ...gop2]))).to.equal(true);
      expect(seen).to.deep.equal(['meta', 'seq', 'key', 'frame', 'frame', 'key', 'frame']);
      expect(s.bytes).to.equal(stream.length);
    });
  }

  for (const chunk of [1, 7, 64, 4096]) {
    it(`keeps nothing of a pushed chunk: the caller may reuse its memory at once (chunks of ${chunk} bytes)`, () => {
      const s = new FlvTagScanner();
      const tags: Buffer[] = [];
      s.onTag = (p) => tags.push(Buffer.concat(p));
      const scratch = Buffer.alloc(chunk);
      for (let i = 0; i < stream.length; i += chunk) {
        const n = stream.copy(scratch, 0, i, i + chunk);
        s.push(scratch.subarray(0, n));
        scratch.fill(0xee); // the next read overwrites the memory
      }
      expect(Buffer.concat([s.header!, ...tags]).equals(stream)).to.equal(true);
      expect(Buffer.concat(s.startPieces()).equals(Buffer.concat([HEADER, meta, seq, ...gop2]))).to.equal(true);
    });
  }

  it('tags shorter than the classifying bytes do not lose the next tag', () => {
    const tiny = tag(8, Buffer.from([0xaf]));
    const s = new FlvTagScanner();
    const seen: string[] = [];
    s.onTag = (p, k) => seen.push(`${k}:${Buffer.concat(p).length}`);
    s.push(Buffer.concat([HEADER, tiny, gop2[0]!, tiny]));
    expect(seen).to.deep.equal([`other:${tiny.length}`, `key:${gop2[0]!.length}`, `other:${tiny.length}`]);
  });

  it('classifies legacy and enhanced video tags', () => {
    expect(classifyTag(9, 0x17, 0)).to.equal('seq');
    expect(classifyTag(9, 0x17, 1)).to.equal('key');
    expect(classifyTag(9, 0x27, 1)).to.equal('frame');
    expect(classifyTag(9, 0x90, 0)).to.equal('seq'); // enhanced, keyframe, SequenceStart
    expect(classifyTag(9, 0x91, 0)).to.equal('key'); // enhanced, keyframe, CodedFrames
    expect(classifyTag(9, 0xa3, 0)).to.equal('frame');
    expect(classifyTag(18, undefined, undefined)).to.equal('meta');
    expect(classifyTag(8, 0xaf, 1)).to.equal('other');
  });

  it('refuses a stream that is not FLV', () => {
    expect(() => new FlvTagScanner().push(Buffer.alloc(20))).to.throw(/not an FLV/);
  });
});
