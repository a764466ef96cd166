import { expect } from 'chai';
import { LIVE_FILE, liveContentType, rewritePlaylist } from '@server/live/playlist';

const TOKEN = 'v1.abc.def';

describe('live playlist rewriting', () => {
  it('adds the token to every segment URI and leaves tags alone', () => {
    const src = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:1', '#EXT-X-MEDIA-SEQUENCE:7', '#EXTINF:1.000000,', 'seg-7.ts', '#EXTINF:1.000000,', 'seg-8.ts', ''].join('\n');
    const out = rewritePlaylist(src, TOKEN).split('\n');
    expect(out.slice(0, 5)).to.deep.equal(['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:1', '#EXT-X-MEDIA-SEQUENCE:7', '#EXTINF:1.000000,']);
    expect(out[5]).to.equal('seg-7.ts?token=v1.abc.def');
    expect(out[7]).to.equal('seg-8.ts?token=v1.abc.def');
    expect(out[8]).to.equal('');
  });

  it('rewrites URI attributes (fMP4 init segment, parts) and CRLF playlists', () => {
    const src = '#EXTM3U\r\n#EXT-X-MAP:URI="init.mp4"\r\n#EXT-X-PART:DURATION=0.5,URI="p1.m4s"\r\n#EXTINF:1,\r\nseg1.m4s\r\n';
    const out = rewritePlaylist(src, TOKEN);
    expect(out).to.include('#EXT-X-MAP:URI="init.mp4?token=v1.abc.def"');
    expect(out).to.include('URI="p1.m4s?token=v1.abc.def"');
    expect(out).to.include('\nseg1.m4s?token=v1.abc.def');
  });

  it('replaces an existing token, keeps other query values, skips absolute URIs and comments', () => {
    const src = '#EXTM3U\n# a comment with seg.ts\nseg.ts?token=old&x=1\nhttps://cdn.example/seg.ts\n/abs/seg.ts\n';
    const out = rewritePlaylist(src, 'n e/w').split('\n');
    expect(out[1]).to.equal('# a comment with seg.ts');
    expect(out[2]).to.equal('seg.ts?x=1&token=n%20e%2Fw');
    expect(out[3]).to.equal('https://cdn.example/seg.ts');
    expect(out[4]).to.equal('/abs/seg.ts');
  });

  it('serves only playlist and segment names, never paths', () => {
    for (const ok of ['index.m3u8', 'seg-1.ts', 'init.mp4', 'p1.m4s']) expect(LIVE_FILE.test(ok), ok).to.equal(true);
    for (const bad of ['../x.ts', '.hidden.ts', 'a/b.ts', 'x.txt', 'seg.ts%2f', '']) expect(LIVE_FILE.test(bad), bad).to.equal(false);
    expect(liveContentType('index.m3u8')).to.equal('application/vnd.apple.mpegurl');
    expect(liveContentType('seg-1.ts')).to.equal('video/mp2t');
  });
});
