/**
 * The discovery API as outside checks call it: POST /api/v1/discovery/scans, poll
 * GET /api/v1/discovery/scans/{id} until "done", enroll a device, against a real simulator fleet
 * on its own loopback block (127.0.9.0/29), with progress on socket.io and role checks.
 */
import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import { startFleet, type Fleet } from '@sim/index';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';

const ADDRS = ['127.0.9.2', '127.0.9.3', '127.0.9.4'];
const CREDS = { username: 'admin', password: 'skyeye-sim-123' };

describe(`discovery over HTTP (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let fleet: Fleet;
  let w: World;

  before(async () => {
    fleet = await startFleet({ cameras: ADDRS.length, addresses: ADDRS });
    w = await startWorld({ discovery: { probeTimeout: '1500ms', soapTimeout: '2s' } });
  });
  after(async () => {
    await w?.srv.close();
    await fleet?.stop();
  });

  async function runScan(body: Record<string, unknown>) {
    const started = await w.as.operator.json('POST', '/api/v1/discovery/scans', body);
    expect(started.status, JSON.stringify(started.body)).to.be.oneOf([200, 201, 202]);
    const id = started.body.id as string;
    const t0 = Date.now();
    for (;;) {
      const { body: scan } = await w.as.operator.json('GET', `/api/v1/discovery/scans/${id}`);
      if (scan.status !== 'running') return { scan, ms: Date.now() - t0 };
      if (Date.now() - t0 > 30_000) throw new Error('scan did not finish in 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('unicast scan of a range finds exactly the cameras present, with device details and stream URIs, streamed over socket.io', async () => {
    const socket = connect(w.srv.url, { path: '/socket.io', transports: ['websocket'], auth: { token: w.as.operator.token }, reconnection: false });
    const seen: string[] = [];
    socket.on('discovery:device', (p: { device: { address: string } }) => seen.push(p.device.address));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    try {
      const { scan } = await runScan({ method: 'unicast', range: '127.0.9.0/29', ...CREDS });
      expect(scan.status).to.equal('done');
      expect(scan.devices.map((d: { address: string }) => d.address).sort()).to.deep.equal(ADDRS);
      for (const d of scan.devices) {
        const cam = fleet.cameras.find((c) => c.address === d.address)!;
        expect(d.endpoint).to.equal(cam.endpointReference);
        expect(d.manufacturer).to.be.a('string').and.not.empty;
        expect(d.model).to.be.a('string').and.not.empty;
        expect(d.serial).to.be.a('string').and.not.empty;
        expect(d.profiles).to.be.an('array').that.is.not.empty;
        expect(d.streamUris.main).to.match(/^rtsp:\/\/127\.0\.9\./);
        expect(d.snapshotUri).to.be.a('string');
        expect(d.error).to.equal(null);
      }
      expect(JSON.stringify(scan)).to.not.include(CREDS.password);
      expect(w.srv.logs()).to.not.include(CREDS.password);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen.sort()).to.deep.equal(ADDRS);
    } finally {
      socket.close();
    }
  });

  it('multicast scan without credentials ends within seconds and lists the cameras with the error saying why', async () => {
    const { scan, ms } = await runScan({ method: 'multicast' });
    expect(scan.status).to.equal('done');
    expect(ms).to.be.below(10_000);
    const mine = scan.devices.filter((d: { address: string }) => ADDRS.includes(d.address));
    expect(mine.map((d: { address: string }) => d.address).sort()).to.deep.equal(ADDRS);
    for (const d of mine) {
      expect(d.endpoint).to.be.a('string').and.not.empty;
      expect(d.streamUris.main).to.equal(null);
      expect(d.error).to.be.a('string');
    }
  });

  it('validates input and roles: ranges outside the allowed subnets, merchants and investigators cannot scan', async () => {
    const outside = await w.as.operator.json('POST', '/api/v1/discovery/scans', { method: 'unicast', range: '10.0.0.0/24' });
    expect(outside.status).to.equal(400);
    expect(JSON.stringify(outside.body.errors ?? outside.body)).to.include('range');
    const bad = await w.as.operator.json('POST', '/api/v1/discovery/scans', { method: 'broadcast' });
    expect(bad.status).to.equal(400);
    expect((await w.as.merchant.json('POST', '/api/v1/discovery/scans', { method: 'multicast' })).status).to.equal(403);
    expect((await w.as.investigator.json('POST', '/api/v1/discovery/scans', { method: 'multicast' })).status).to.equal(403);
    expect((await w.as.merchant.json('GET', '/api/v1/discovery/scans')).status).to.equal(403);
  });

  it('enrolls a discovered device into the registry with its stream URIs; the password stays secret', async () => {
    const { scan } = await runScan({ method: 'unicast', range: '127.0.9.0/29', ...CREDS });
    const device = scan.devices.find((d: { address: string }) => d.address === ADDRS[0]);
    const res = await w.as.operator.json('POST', `/api/v1/discovery/devices/${device.id}/enroll`, { kind: 'road', location: { lat: 34.09, lon: 119.35 }, credentials: CREDS, enrollmentState: 'approved' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const cameraId = res.body.enrolled[0].cameraId as string;
    const cam = await w.as.operator.json('GET', `/api/v1/cameras/${cameraId}`);
    expect(cam.body.rtspUrl).to.equal(device.streamUris.main);
    expect(cam.body.onvifUrl).to.equal(device.onvifUrl);
    expect(JSON.stringify(cam.body)).to.not.include(CREDS.password);
    const again = await runScan({ method: 'unicast', range: '127.0.9.0/29', ...CREDS });
    const d2 = again.scan.devices.find((d: { address: string }) => d.address === ADDRS[0]);
    expect(d2.state, 're-discovery matches the registered camera instead of offering a duplicate').to.equal('known');
    expect(d2.cameraId).to.equal(cameraId);
  });

  it('a camera registered by hand with the device\'s ONVIF address is recognised, not offered as new', async () => {
    const cam = fleet.cameras[1]!;
    const created = await w.as.operator.json('POST', '/api/v1/cameras', { name: 'Hand-registered', kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: cam.rtspMainUrl, onvifUrl: cam.onvifUrl });
    expect(created.status).to.equal(201);
    const { scan } = await runScan({ method: 'unicast', range: '127.0.9.0/29', ...CREDS });
    const d = scan.devices.find((x: { address: string }) => x.address === cam.address);
    expect(d).to.include({ state: 'known', cameraId: created.body.id });
  });
});
