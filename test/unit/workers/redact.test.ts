import { expect } from 'chai';
import { redact } from '@workers/ffmpeg/redact';
import { StderrRing } from '@workers/ffmpeg/ring';

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
});
