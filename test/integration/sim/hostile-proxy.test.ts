/**
 * The ingest RTSP auth proxy against the simulator's hostile mode: a camera offering Digest and
 * Basic gets Digest whatever the header order; a Basic-only camera gets the stored password only
 * when an operator allowed Basic for it. Loopback 127.0.12.0/29.
 */
import { createConnection } from 'node:net';
import { expect } from 'chai';
import { RtspFramer, type RtspMessage } from '@protocol/rtsp/framer';
import { startHostileDevice, type HostileDevice } from '@sim/index';
import { startRtspAuthProxy, type RtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';

const CREDS = { username: 'admin', password: 'secret-pw' };

function describe_(url: string): Promise<RtspMessage> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: u.hostname, port: Number(u.port) });
    const f = new RtspFramer();
    s.on('error', reject);
    s.on('connect', () => s.write(`DESCRIBE ${url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n`));
    s.on('data', (c: Buffer) => {
      const m = f.push(c).find((i) => i.type === 'message');
      if (m && m.type === 'message') {
        s.destroy();
        resolve(m);
      }
    });
  });
}

describe('integration/sim: hostile cameras behind the RTSP auth proxy', function () {
  this.timeout(30_000);
  let proxy: RtspAuthProxy;
  const devices: HostileDevice[] = [];

  before(async () => {
    proxy = await startRtspAuthProxy();
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.stop();
  });
  after(async () => {
    await proxy?.close();
  });

  const hostile = async (address: string, rtspChallenges: string[]) => {
    const d = await startHostileDevice({ address, endpointReference: `urn:uuid:${address}`, startDiscovery: false, rtspChallenges });
    devices.push(d);
    return d;
  };

  it('answers Digest when Basic is offered first', async () => {
    const cam = await hostile('127.0.12.2', ['Basic realm="h"', 'Digest realm="h", nonce="n1"']);
    const reg = proxy.register({ cameraUrl: cam.rtspUrl, credentials: CREDS, allowBasic: true });
    const res = await describe_(reg.localUrl);
    reg.unregister();
    expect(res.startLine).to.match(/ 200 /);
    expect(cam.authorizations).to.have.length(1);
    expect(cam.authorizations[0]).to.match(/^Digest /);
  });

  it('never sends the password as Basic unless the camera allows it', async () => {
    const cam = await hostile('127.0.12.3', ['Basic realm="h"']);
    const denied = proxy.register({ cameraUrl: cam.rtspUrl, credentials: CREDS });
    expect((await describe_(denied.localUrl)).startLine).to.match(/ 401 /);
    denied.unregister();
    expect(cam.authorizations).to.deep.equal([]);
    const allowed = proxy.register({ cameraUrl: cam.rtspUrl, credentials: CREDS, allowBasic: true });
    expect((await describe_(allowed.localUrl)).startLine).to.match(/ 200 /);
    allowed.unregister();
    expect(cam.authorizations).to.deep.equal([`Basic ${Buffer.from('admin:secret-pw').toString('base64')}`]);
  });
});
