import { expect } from 'chai';
import { redact } from '@workers/ffmpeg/redact';
import { KEEP_PER_KIND, REPEAT_SUMMARY_EVERY, StderrRing } from '@workers/ffmpeg/ring';

describe('workers/ffmpeg redact and stderr ring', () => {
  const table: Array<[string, string]> = [
    ['Opening rtsp://admin:s3cret@10.0.0.5:554/ch1', 'Opening rtsp://***@10.0.0.5:554/ch1'],
    ['url rtmp://127.0.0.1:1935/live/c1?key=abcdef&x=1', 'url rtmp://127.0.0.1:1935/live/c1?key=***&x=1'],
    ['Authorization: Digest username="admin", response="abc"', 'Authorization: ***'],
    ['WWW-Authenticate: Digest realm="r", nonce="n123"', 'WWW-Authenticate: Digest realm="r", nonce="***"'],
    ['http://u@host/path', 'http://***@host/path'],
    ['nothing secret here', 'nothing secret here'],
  ];
  for (const [input, out] of table) it(input.slice(0, 40), () => expect(redact(input)).to.equal(out));

  it('scrubs literal secrets, raw and URL-encoded', () => {
    expect(redact('failed for p@ss/word and p%40ss%2Fword', ['p@ss/word'])).to.equal('failed for *** and ***');
  });

  it('ring splits lines across chunks, caps lines and bytes, scrubs', () => {
    const ring = new StderrRing(3, 1000, ['hunter22']);
    ring.push('line1\nli');
    ring.push('ne2 hunter22\r\nline3\n');
    ring.push('line4\npartial');
    expect(ring.tail()).to.deep.equal(['line2 ***', 'line3', 'line4']);
    ring.end();
    expect(ring.tail()).to.deep.equal(['line3', 'line4', 'partial']);
    const small = new StderrRing(100, 20);
    small.push('aaaaaaaaaa\nbbbbbbbbbb\ncccccccccc\n');
    expect(small.tail()).to.deep.equal(['bbbbbbbbbb', 'cccccccccc']);
  });

  it('ring keeps a repeated kind of line a few times, then only counts it (a summary every so often), and keeps what came before', () => {
    const ring = new StderrRing(50, 64 * 1024, ['hunter22']);
    ring.push('[rtsp @ 0x55aa] method DESCRIBE failed: 401 Unauthorized hunter22\n');
    let chunk = '';
    for (let i = 0; i < 2 * REPEAT_SUMMARY_EVERY; i++) chunk += `[tee @ 0x5628d69b2080] [warning] Non-monotonous DTS in output stream 2:0; previous: ${i}, current: ${i}; changing to ${i + 1}.\n`;
    const added = ring.push(chunk);
    expect(added).to.have.length(KEEP_PER_KIND + 2);
    expect(added.slice(-1)[0]).to.match(/^\(seen 2000 times\) \[tee @ 0x5628d69b2080\] \[warning\] Non-monotonous DTS .* previous: 1999/);
    ring.push('[hls @ 0x1] [error] Opening segment failed\n');
    const tail = ring.tail();
    expect(tail[0], 'the first error is still there, scrubbed').to.equal('[rtsp @ 0x55aa] method DESCRIBE failed: 401 Unauthorized ***');
    expect(tail).to.have.length(1 + KEEP_PER_KIND + 2 + 1);
    expect(tail.at(-1)).to.equal('[hls @ 0x1] [error] Opening segment failed');
  });
});
