import { expect } from 'chai';
import { authorizationHeader, digestResponse, parseChallenge, pickChallenge } from '@protocol/auth/digest';
import { RtspFramer, serialize } from '@protocol/rtsp/framer';
import { resolveRoute } from '@workers/rtsp-auth-proxy/proxy';

describe('workers/rtsp-auth-proxy digest and framing', () => {
  it('RFC 2617 section 3.5 example (qop=auth)', () => {
    expect(
      digestResponse({ username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: 1, cnonce: '0a4f113b' }),
    ).to.equal('6629fae49393a05397450978507c4ef1');
  });
  it('no-qop digest (RFC 2069 style, most IP cameras): the RFC 2069 example, corrected by its erratum', () => {
    const r = digestResponse({ username: 'Mufasa', password: 'CircleOfLife', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html' });
    expect(r).to.equal('1949323746fe6a43ef61f9606e7febea');
    expect(authorizationHeader({ scheme: 'digest', params: { realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093' } }, { username: 'Mufasa', password: 'CircleOfLife' }, 'GET', '/dir/index.html')).to.equal(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="1949323746fe6a43ef61f9606e7febea"',
    );
  });
  it('parses challenges and prefers Digest over Basic', () => {
    expect(parseChallenge('Digest realm="IP Camera(23)", nonce="a,b", qop="auth,auth-int", stale=FALSE')).to.deep.equal({
      scheme: 'digest',
      params: { realm: 'IP Camera(23)', nonce: 'a,b', qop: 'auth,auth-int', stale: 'FALSE' },
    });
    expect(pickChallenge(['Basic realm="x"', 'Digest realm="y", nonce="n"'], { allowBasic: true })?.scheme).to.equal('digest');
    expect(pickChallenge(['Digest realm="y", nonce="n"', 'Basic realm="x"'], { allowBasic: true })?.scheme).to.equal('digest');
    expect(pickChallenge(['Basic realm="x"'], { allowBasic: true })?.scheme).to.equal('basic');
    expect(pickChallenge(['Basic realm="x"'], { allowBasic: false })).to.equal(null);
    expect(authorizationHeader({ scheme: 'basic', params: {} }, { username: 'a', password: 'b' }, 'DESCRIBE', 'u')).to.equal('Basic YTpi');
  });
  it('qop=auth header carries nc and cnonce', () => {
    const h = authorizationHeader({ scheme: 'digest', params: { realm: 'r', nonce: 'n', qop: 'auth' } }, { username: 'u', password: 'p' }, 'SETUP', 'rtsp://h/t', 2, 'cc');
    expect(h).to.include('qop=auth').and.include('nc=00000002').and.include('cnonce="cc"');
  });
  it('framer separates interleaved frames from messages across chunk boundaries', () => {
    const msg = Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Length: 4\r\n\r\nabcd');
    const frame = Buffer.from([0x24, 0, 0, 3, 9, 8, 7]);
    const all = Buffer.concat([frame, msg, frame]);
    const f = new RtspFramer();
    const items = [...f.push(all.subarray(0, 5)), ...f.push(all.subarray(5, 20)), ...f.push(all.subarray(20))];
    expect(items.map((i) => i.type)).to.deep.equal(['frame', 'message', 'frame']);
    expect(items[0]!.type === 'frame' && items[0]!.raw.equals(frame)).to.equal(true);
    const m = items[1]!;
    expect(m.type === 'message' && m.body.toString()).to.equal('abcd');
    if (m.type === 'message') expect(serialize(m).toString()).to.equal(msg.toString());
  });
  it('framer hands a run of complete frames over as one slice, keeping a partial one for later', () => {
    const a = Buffer.from([0x24, 0, 0, 2, 1, 2]);
    const b = Buffer.from([0x24, 1, 0, 3, 3, 4, 5]);
    const c = Buffer.from([0x24, 0, 0, 4, 6, 7, 8, 9]);
    const f = new RtspFramer();
    const first = f.push(Buffer.concat([a, b, c.subarray(0, 5)]));
    expect(first).to.have.length(1);
    expect(first[0]!.type === 'frame' && first[0]!.raw.equals(Buffer.concat([a, b]))).to.equal(true);
    const rest = f.push(c.subarray(5));
    expect(rest[0]!.type === 'frame' && rest[0]!.raw.equals(c)).to.equal(true);
  });
  it('route: userinfo in the camera URL becomes credentials and is stripped', () => {
    const r = resolveRoute({ cameraUrl: 'rtsp://admin:p%40ss@10.0.0.9/Streaming/101' });
    expect(r).to.deep.include({ cameraBase: 'rtsp://10.0.0.9/Streaming/101', host: '10.0.0.9', port: 554, allowBasic: false });
    expect(r.credentials).to.deep.equal({ username: 'admin', password: 'p@ss' });
  });
});
