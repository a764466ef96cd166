import { expect } from 'chai';
import { digestResponse, HttpAuthenticator, parseAuthParams } from '@sim/auth/http-auth';
import { findParameterSets, profileLevelId, spropParameterSets } from '@sim/media/h264';
import { loopPublishArgs } from '@sim/media/ffmpeg-args';
import { parseTransport, RtspParser } from '@sim/rtsp/parser';
import { buildSdp } from '@sim/rtsp/sdp';
import { streamPath } from '@sim/rtsp/server';

describe('sim rtsp units', () => {
  it('builds an SDP with sprop-parameter-sets and a track control', () => {
    const sdp = buildSdp({ address: '127.0.1.5', sessionId: '7', name: 'x', payloadType: 96, sprop: 'Z00=,aO4=',
      profileLevelId: '4D401F', width: 1280, height: 720, fps: 25 });
    expect(sdp).to.include('m=video 0 RTP/AVP 96\r\n');
    expect(sdp).to.include('a=rtpmap:96 H264/90000');
    expect(sdp).to.include('packetization-mode=1;profile-level-id=4D401F;sprop-parameter-sets=Z00=,aO4=');
    expect(sdp).to.include('a=control:trackID=0');
  });

  it('extracts SPS/PPS from Annex B', () => {
    const sps = Buffer.from([0x67, 0x4d, 0x40, 0x1f, 0xda]);
    const pps = Buffer.from([0x68, 0xef, 0x3c, 0x80]);
    const buf = Buffer.concat([Buffer.from([0, 0, 0, 1]), sps, Buffer.from([0, 0, 1]), pps, Buffer.from([0, 0, 1, 0x65, 1, 2])]);
    const ps = findParameterSets(buf);
    expect(ps.sps.equals(sps)).to.equal(true);
    expect(profileLevelId(ps.sps)).to.equal('4D401F');
    expect(spropParameterSets(ps)).to.equal(`${sps.toString('base64')},${pps.toString('base64')}`);
  });

  it('computes RFC 2617 digest responses (RFC example)', () => {
    const r = digestResponse({ username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life', method: 'GET',
      uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' });
    expect(r).to.equal('6629fae49393a05397450978507c4ef1');
  });

  it('verifies digest and basic authorization against current credentials', () => {
    const a = new HttpAuthenticator('digest', 'SkyEyeSim');
    const creds = { username: 'admin', password: 'pw' };
    const ch = a.check(undefined, 'DESCRIBE', creds);
    expect(ch.ok).to.equal(false);
    const nonce = parseAuthParams(ch.challenge!.slice(7)).nonce!;
    const resp = (pw: string) => digestResponse({ username: 'admin', realm: 'SkyEyeSim', password: pw, method: 'DESCRIBE', uri: 'rtsp://h/main', nonce });
    const hdr = (pw: string) => `Digest username="admin", realm="SkyEyeSim", nonce="${nonce}", uri="rtsp://h/main", response="${resp(pw)}"`;
    expect(a.check(hdr('pw'), 'DESCRIBE', creds).ok).to.equal(true);
    expect(a.check(hdr('bad'), 'DESCRIBE', creds).ok).to.equal(false);
    const tampered = `${nonce.slice(0, -1)}${nonce.endsWith('0') ? '1' : '0'}`; // always differs from the real nonce
    expect(a.check(hdr('pw').replace(nonce, tampered), 'DESCRIBE', creds).ok).to.equal(false);
    const b = new HttpAuthenticator('basic', 'r');
    expect(b.check(`Basic ${Buffer.from('admin:pw').toString('base64')}`, 'X', creds).ok).to.equal(true);
    expect(b.check(`Basic ${Buffer.from('admin:no').toString('base64')}`, 'X', creds).ok).to.equal(false);
    expect(new HttpAuthenticator('none', 'r').check(undefined, 'X', creds).ok).to.equal(true);
  });

  it('expires digest nonces', () => {
    let now = 1_000_000;
    const a = new HttpAuthenticator('digest', 'r', () => now, 1000);
    const n = a.makeNonce();
    expect(a.nonceValid(n)).to.equal(true);
    now += 2000;
    expect(a.nonceValid(n)).to.equal(false);
  });

  it('parses requests and interleaved frames from one stream, split anywhere', () => {
    const raw = Buffer.concat([
      Buffer.from('OPTIONS rtsp://h/main RTSP/1.0\r\nCSeq: 1\r\n\r\n'),
      Buffer.from([0x24, 1, 0, 2, 9, 9]),
      Buffer.from('SET_PARAMETER rtsp://h/main RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 3\r\n\r\nabc'),
    ]);
    const p = new RtspParser();
    const items = [...p.push(raw.subarray(0, 10)), ...p.push(raw.subarray(10, 50)), ...p.push(raw.subarray(50))];
    expect(items.map((i) => i.kind)).to.deep.equal(['request', 'interleaved', 'request']);
    const last = items[2]!;
    expect(last.kind === 'request' && last.req.body.toString()).to.equal('abc');
  });

  it('parses transports and stream paths', () => {
    expect(parseTransport('RTP/AVP/TCP;unicast;interleaved=2-3')).to.deep.equal({ tcp: true, interleaved: [2, 3] });
    expect(parseTransport('RTP/AVP;unicast;client_port=5000-5001')).to.deep.equal({ tcp: false, clientPorts: [5000, 5001] });
    expect(parseTransport('RTP/AVP;multicast')).to.equal(undefined);
    expect(streamPath('rtsp://127.0.1.2:8554/main/trackID=0')).to.equal('/main');
    expect(streamPath('rtsp://127.0.1.2:8554/v2/sub/')).to.equal('/v2/sub');
  });

  it('never puts credentials on the publisher command line', () => {
    const args = loopPublishArgs('/c/main.mp4', { url: 'rtsp://127.0.0.1:5000/publish' });
    expect(args.join(' ')).to.include('-stream_loop -1 -i /c/main.mp4');
    expect(args.slice(-5, -1)).to.deep.equal(['-f', 'rtsp', '-rtsp_transport', 'tcp']);
    expect(args.at(-1)).to.equal('rtsp://127.0.0.1:5000/publish');
    expect(args.join(' ')).not.to.match(/@|password/);
  });
});
