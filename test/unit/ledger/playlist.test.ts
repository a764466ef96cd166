import { expect } from 'chai';
import { buildVodPlaylist, initLength } from '@server/playback/playlist';

const box = (type: string, payload = 0) => {
  const b = Buffer.alloc(8 + payload);
  b.writeUInt32BE(8 + payload, 0);
  b.write(type, 4, 'latin1');
  return b;
};

describe('recorded playback playlist', () => {
  const T = Date.UTC(2026, 10, 30, 8, 0, 0);
  const text = buildVodPlaylist({
    segments: [
      { start: T + 10_000, end: T + 20_000 },
      { start: T, end: T + 10_000 },
      { start: T + 50_000, end: T + 58_500 },
    ],
    from: T + 4_000,
    initUri: (s) => `${s}/init.mp4?token=x`,
    mediaUri: (s) => `${s}/media.m4s?token=x`,
  });
  const lines = text.trim().split('\n');

  it('is a VOD fMP4 playlist: one map per file, program-date-time, ends with ENDLIST', () => {
    expect(lines[0]).to.equal('#EXTM3U');
    expect(lines).to.include('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(lines).to.include('#EXT-X-TARGETDURATION:10');
    expect(lines.at(-1)).to.equal('#EXT-X-ENDLIST');
    expect(lines.filter((l) => l.startsWith('#EXT-X-MAP:'))).to.deep.equal([`#EXT-X-MAP:URI="${T}/init.mp4?token=x"`, `#EXT-X-MAP:URI="${T + 10_000}/init.mp4?token=x"`, `#EXT-X-MAP:URI="${T + 50_000}/init.mp4?token=x"`]);
    expect(lines.filter((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))[2]).to.equal(`#EXT-X-PROGRAM-DATE-TIME:${new Date(T + 50_000).toISOString()}`);
    expect(lines.filter((l) => l.startsWith('#EXTINF:'))).to.deep.equal(['#EXTINF:10.000,', '#EXTINF:10.000,', '#EXTINF:8.500,']);
  });

  it('a discontinuity before every file after the first (each has its own init and timeline), start at the requested time', () => {
    expect(lines.filter((l) => l === '#EXT-X-DISCONTINUITY')).to.have.length(2);
    expect(lines.indexOf('#EXT-X-DISCONTINUITY')).to.be.below(lines.indexOf(`${T + 10_000}/media.m4s?token=x`));
    expect(lines).to.include('#EXT-X-START:TIME-OFFSET=4.000,PRECISE=YES');
  });

  it('finds where the init section ends', () => {
    expect(initLength(Buffer.concat([box('ftyp', 16), box('moov', 100), box('moof', 20), box('mdat', 50)]))).to.equal(24 + 108);
    expect(initLength(Buffer.concat([box('ftyp', 16), box('moov', 100)]))).to.equal(null);
    expect(initLength(box('ftyp', 16).subarray(0, 10))).to.equal(null);
  });
});
