import { expect } from 'chai';
import { createRequire } from 'node:module';
import { startFleet, type Fleet } from '@sim/index';
import { ffprobe, multicastProbe, testBaseOctet, withCreds } from './helpers';

const require = createRequire(import.meta.url);
 
const onvif = require('onvif') as { Cam: new (o: Record<string, unknown>, cb: (err: Error | null) => void) => OnvifCam };
interface OnvifCam {
  getDeviceInformation(cb: (err: Error | null, info: Record<string, unknown>) => void): void;
  getStreamUri(o: Record<string, unknown>, cb: (err: Error | null, r: { uri: string }) => void): void;
  getSnapshotUri(o: Record<string, unknown>, cb: (err: Error | null, r: { uri: string }) => void): void;
  profiles: Record<string, unknown>[];
}

function connectCam(hostname: string, port: number, username: string, password: string): Promise<OnvifCam> {
  return new Promise((resolve, reject) => {
    const cam: OnvifCam = new onvif.Cam({ hostname, port, username, password, timeout: 5000 }, (err) =>
      err ? reject(err) : resolve(cam),
    );
  });
}

describe('sim fleet (integration)', function () {
  this.timeout(40000);
  let fleet: Fleet;

  before(async () => {
    fleet = await startFleet({ cameras: 2, baseOctet: testBaseOctet(1), password: 'test-pw-1' });
  });
  after(async () => {
    await fleet?.stop();
  });

  it('describes the cameras', () => {
    const [a, b] = fleet.cameras;
    expect(a!.rtspMainUrl).to.match(/^rtsp:\/\/127\.0\.1\.\d+:8554\/main$/);
    expect(a!.onvifUrl).to.equal(`http://${a!.address}:8000/onvif/device_service`);
    expect(a!.endpointReference).to.match(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(a!.rtspMainUrl).not.to.include('test-pw-1');
    expect(b!.address).not.to.equal(a!.address);
  });

  it('serves h264 1280x720 over RTSP/TCP and RTSP/UDP with digest auth', async () => {
    const c = fleet.cameras[0]!;
    const url = withCreds(c.rtspMainUrl, c.username, c.password);
    for (const t of ['tcp', 'udp'] as const) {
      const r = await ffprobe(url, t);
      expect(r.ok, `${t}: ${r.stderr}`).to.equal(true);
      const s = (JSON.parse(r.stdout) as { streams: { codec_name: string; width: number; height: number }[] }).streams[0];
      expect(s, t).to.deep.include({ codec_name: 'h264', width: 1280, height: 720 });
    }
  });

  it('rejects a wrong password with 401', async () => {
    const c = fleet.cameras[1]!;
    const r = await ffprobe(withCreds(c.rtspMainUrl, c.username, 'nope'), 'tcp');
    expect(r.ok).to.equal(false);
    expect(r.stderr).to.match(/401|Unauthorized/);
  });

  it('works with the onvif npm package', async () => {
    const c = fleet.cameras[1]!;
    const cam = await connectCam(c.address, 8000, c.username, c.password);
    const info = await new Promise<Record<string, unknown>>((res, rej) =>
      cam.getDeviceInformation((e, i) => (e ? rej(e) : res(i))),
    );
    expect(info).to.include({ manufacturer: c.manufacturer, model: c.model, serialNumber: c.serial });
    expect(cam.profiles).to.have.length(2);
    const main = await new Promise<{ uri: string }>((res, rej) => cam.getStreamUri({ protocol: 'RTSP' }, (e, r) => (e ? rej(e) : res(r))));
    expect(main.uri).to.equal(c.rtspMainUrl);
    const sub = await new Promise<{ uri: string }>((res, rej) =>
      cam.getStreamUri({ protocol: 'RTSP', profileToken: 'Profile_2' }, (e, r) => (e ? rej(e) : res(r))),
    );
    expect(sub.uri).to.equal(c.rtspSubUrl);
  });

  it('onvif package gets a SOAP NotAuthorized fault for wrong credentials', async () => {
    const c = fleet.cameras[0]!;
    let err: unknown;
    try {
      await connectCam(c.address, 8000, c.username, 'wrong');
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/not authorized|NotAuthorized/i);
  });

  it('answers a multicast Probe with exactly the started cameras', async () => {
    const mine = new Set(fleet.cameras.map((c) => c.endpointReference));
    const matches = (await multicastProbe()).filter((m) => mine.has(m.endpointReference));
    expect(matches.map((m) => m.endpointReference).sort()).to.deep.equal([...mine].sort());
    for (const c of fleet.cameras) {
      expect(matches.find((m) => m.endpointReference === c.endpointReference)!.xaddrs).to.deep.equal([c.onvifUrl]);
    }
  });
});
