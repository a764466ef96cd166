/**
 * Hostile devices (sim/hostile: real loopback peers) against discovery and enrollment, on a real
 * database: replayed identities, foreign stream hosts, Basic-after-Digest, spoofed replies from
 * outside the scan, one device enrolled twice, absurd clocks, long serials, numeric-looking firmware.
 * Loopback block 127.0.11.0/28 (spoofer at 127.0.11.20, outside the scanned /28).
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { systemClock } from '@common/clock';
import { loadConfig } from '@config/load';
import { createCamerasService, type CamerasService } from '@server/cameras/index';
import { OrgRepository } from '@server/org/repository';
import type { AppContext } from '@server/context';
import { openDatabase, type Database } from '@server/db/database';
import { cameras, users } from '@server/db/schema/index';
import { DiscoveryService } from '@server/discovery/discovery-service';
import { enrollService } from '@server/discovery/enroll-service';
import { merchantEnrollmentService } from '@server/enrollment/merchant-service';
import { createLogger } from '@server/http/logger';
import { EventBus } from '@server/realtime/bus';
import { createKeyring } from '@server/security/keyring';
import { startHostileDevice, type HostileDevice } from '@sim/index';
import { scratchDatabase, type ScratchDatabase } from '@test/helpers/database';

const CREDS = { username: 'admin', password: 'hostile-pass' };

describe('integration/discovery: hostile devices', function () {
  this.timeout(120_000);
  let database: Database;
  let scratch: ScratchDatabase;
  let ctx: AppContext;
  let svc: DiscoveryService;
  let camerasSvc: CamerasService;
  const devices: HostileDevice[] = [];
  let actor: Parameters<CamerasService['createInTx']>[1];
  const keyring = createKeyring([['t1', randomBytes(32)]]);

  before(async () => {
    scratch = await scratchDatabase();
    const config = loadConfig({
      env: { SKYEYE_DATA_DIR: '/tmp/skyeye-hostile-test', SKYEYE_DISCOVERY_SOAP_TIMEOUT: '1500ms', SKYEYE_DISCOVERY_PROBE_TIMEOUT: '1000ms', SKYEYE_DISCOVERY_SCAN_TIMEOUT: '20s', SKYEYE_DISCOVERY_ONVIF_PORTS: '1', ...(scratch.url ? { DATABASE_URL: scratch.url } : {}) },
    });
    database = await openDatabase({ url: config.database.url, dataDir: config.dataDir, inMemory: true });
    ctx = { instanceId: 'hostile-test', config, database, store: undefined as never, logger: createLogger('silent'), metrics: undefined as never, clock: systemClock, bus: new EventBus(), shuttingDown: () => false };
    svc = new DiscoveryService(ctx);
    camerasSvc = createCamerasService(ctx, keyring, new OrgRepository(database));
    const [op] = await database.db.insert(users).values({ username: `op-${randomBytes(3).toString('hex')}`, role: 'operator', passwordHash: 'x' }).returning();
    actor = { user: { id: op!.id, username: op!.username, role: 'operator', displayName: '', via: 'bearer' }, audit: { actorId: op!.id, actorName: op!.username, actorRole: 'operator', ip: null, requestId: null } };
  });

  afterEach(async () => {
    for (const d of devices.splice(0)) await d.stop();
  });

  after(async () => {
    await svc?.stop();
    await database?.close();
    await scratch?.drop();
  });

  async function hostile(o: Parameters<typeof startHostileDevice>[0]) {
    const d = await startHostileDevice(o);
    devices.push(d);
    return d;
  }

  async function scan(range: string) {
    const { id } = await svc.startScan({ method: 'unicast', range, ...CREDS }, actor.user.id);
    await svc.idle();
    return svc.getScan(id);
  }

  const enroll = () => enrollService(ctx, svc, camerasSvc);
  const base = { kind: 'road' as const, location: { lat: 30, lon: 120 } };

  it('a replayed endpoint or a copied serial from another address never rewrites the approved camera', async () => {
    const real = await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:real-cam', serial: 'SN-REAL' });
    const first = await scan('127.0.11.0/30');
    const dev = first.devices.find((d) => d.address === real.o.address)!;
    const { enrolled } = await enroll().enroll({ ...base, deviceIds: [dev.id] }, actor);
    const cameraId = enrolled[0]!.cameraId;
    const [before] = await database.db.select().from(cameras).where(eq(cameras.id, cameraId));
    await real.stop();
    devices.splice(0);
    await hostile({ address: '127.0.11.5', endpointReference: 'urn:uuid:real-cam', serial: 'OTHER' });
    await hostile({ address: '127.0.11.6', endpointReference: 'urn:uuid:new-endpoint', serial: 'SN-REAL' });
    const again = await scan('127.0.11.4/30');
    const [after] = await database.db.select().from(cameras).where(eq(cameras.id, cameraId));
    expect(after!.version).to.equal(before!.version);
    expect(after!.rtspUrl).to.equal(before!.rtspUrl);
    expect(after!.onvifUrl).to.equal(before!.onvifUrl);
    for (const addr of ['127.0.11.5', '127.0.11.6']) {
      const d = again.devices.find((x) => x.address === addr)!;
      expect(d.identityClash, addr).to.equal(true);
      expect(d.cameraId).to.equal(cameraId);
    }
  });

  it('one endpoint or one serial answering from two addresses in one scan lists both devices, flagged as a clash', async () => {
    await hostile({ address: '127.0.11.33', endpointReference: 'urn:uuid:twin', serial: 'SN-TWIN-A' });
    await hostile({ address: '127.0.11.34', endpointReference: 'urn:uuid:twin', serial: 'SN-TWIN-B' });
    await hostile({ address: '127.0.11.35', endpointReference: 'urn:uuid:serial-a', serial: 'SN-COPIED' });
    await hostile({ address: '127.0.11.36', endpointReference: 'urn:uuid:serial-b', serial: 'SN-COPIED' });
    await hostile({ address: '127.0.11.37', endpointReference: 'urn:uuid:honest', serial: 'SN-HONEST' });
    const s = await scan('127.0.11.32/29');
    const flags = Object.fromEntries(s.devices.map((d) => [d.address, d.identityClash]));
    expect(flags).to.deep.equal({ '127.0.11.33': true, '127.0.11.34': true, '127.0.11.35': true, '127.0.11.36': true, '127.0.11.37': false });
  });

  it('a stream URI on another host than the device needs explicit approval and then gets no credentials', async () => {
    await hostile({ address: '127.0.11.9', endpointReference: 'urn:uuid:foreign-media', serial: 'SN-FOREIGN', streamUri: 'rtsp://127.0.0.1:5432/stream' });
    const s = await scan('127.0.11.8/30');
    const d = s.devices.find((x) => x.address === '127.0.11.9')!;
    expect(d.mediaHostMismatch).to.equal(true);
    try {
      await enroll().enroll({ ...base, deviceIds: [d.id] }, actor);
      expect.fail('should need approval');
    } catch (e) {
      expect((e as { status: number }).status).to.equal(422);
      expect(JSON.stringify((e as { errors: unknown }).errors)).to.contain('approveForeignMediaHost');
    }
    const { enrolled } = await enroll().enroll({ ...base, deviceIds: [d.id], approveForeignMediaHost: true }, actor);
    const [cam] = await database.db.select().from(cameras).where(eq(cameras.id, enrolled[0]!.cameraId));
    expect(cam!.rtspUrl).to.equal('rtsp://127.0.0.1:5432/stream');
    expect(cam!.credentialsUsername).to.equal(null);
    expect(cam!.credentialsSecret).to.equal(null);
  });

  it('one device is one camera: two scans, enrolled one by one, together, or at once', async () => {
    await hostile({ address: '127.0.11.13', endpointReference: 'urn:uuid:twice', serial: 'SN-TWICE' });
    const a = (await scan('127.0.11.12/30')).devices.find((x) => x.address === '127.0.11.13')!;
    const b = (await scan('127.0.11.12/30')).devices.find((x) => x.address === '127.0.11.13')!;
    expect(a.id).to.not.equal(b.id);
    const bulk = await enroll().enroll({ ...base, deviceIds: [a.id, b.id] }, actor).catch((e: { status: number }) => e);
    expect((bulk as { status: number }).status).to.equal(409);
    const both = await Promise.allSettled([enroll().enroll({ ...base, deviceIds: [a.id] }, actor), enroll().enroll({ ...base, deviceIds: [b.id] }, actor)]);
    expect(both.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.status).to.equal(409);
    const mine = (await database.db.select().from(cameras)).filter((c) => c.rtspUrl?.includes('127.0.11.13'));
    expect(mine).to.have.length(1);
  });

  it('replies from outside the scanned addresses are dropped and get no credentials', async () => {
    const spoofer = await hostile({ address: '127.0.11.20', endpointReference: 'urn:uuid:spoofer', serial: 'SN-SPOOF', startDiscovery: false });
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:inside', serial: 'SN-INSIDE', alsoReplyFrom: [{ address: '127.0.11.20', endpointReference: 'urn:uuid:spoofer', xaddr: spoofer.onvifUrl }] });
    const s = await scan('127.0.11.0/30');
    expect(s.devices.map((d) => d.address)).to.deep.equal(['127.0.11.2']);
    expect(s.repliesDropped).to.be.greaterThan(0);
    expect(spoofer.onvifRequests).to.deep.equal([]);
  });

  it('a clock reset to 1970, a 2,800-character serial and firmware "1.10" are stored as they can be', async () => {
    const serial = 'S'.repeat(2800);
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:odd', serial, firmware: '1.10', clock: () => new Date(0) });
    const s = await scan('127.0.11.0/30');
    expect(s.failures).to.deep.equal([]);
    const d = s.devices.find((x) => x.address === '127.0.11.2')!;
    expect(d.error).to.equal(null);
    expect(d.firmware).to.equal('1.10');
    expect(d.clockOffsetMs).to.be.below(-50 * 365 * 86400_000);
    expect(d.serial!.length).to.be.at.most(128);
    expect(d.serial!.startsWith('SSSS')).to.equal(true);
  });

  it('merchant RTSP enrollment answers Digest when a camera offers Digest then Basic; Basic-only is refused over plain RTSP', async () => {
    const [merchant] = await database.db.insert(users).values({ username: `m-${randomBytes(3).toString('hex')}`, role: 'merchant', passwordHash: 'x' }).returning();
    const mActor = { user: { id: merchant!.id, username: merchant!.username, role: 'merchant' as const, displayName: '', via: 'bearer' as const }, audit: { actorId: merchant!.id, actorName: merchant!.username, actorRole: 'merchant', ip: null, requestId: null } };
    const m = merchantEnrollmentService(ctx, camerasSvc);
    const shop = { name: 'Shop', kind: 'shopfront' as const, location: { lat: 30, lon: 120 }, owner: { name: 'Li' }, consent: true as const, credentials: CREDS };
    const both = await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:rtsp1', startDiscovery: false, rtspChallenges: ['Digest realm="h", nonce="abc"', 'Basic realm="h"'] });
    await m.enroll({ ...shop, rtspUrl: both.rtspUrl }, mActor);
    expect(both.authorizations).to.have.length(1);
    expect(both.authorizations[0]).to.match(/^Digest /);
    const basic = await hostile({ address: '127.0.11.3', endpointReference: 'urn:uuid:rtsp2', startDiscovery: false, rtspChallenges: ['Basic realm="h"'] });
    const e = await m.enroll({ ...shop, rtspUrl: basic.rtspUrl }, mActor).catch((x: unknown) => x);
    expect((e as { status: number }).status).to.equal(422);
    expect(basic.authorizations).to.deep.equal([]);
  });
  it('a flood of ProbeMatch entries is capped per datagram and per scan, and the result says so', async () => {
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:flood', serial: 'SN-FLOOD', matchesPerReply: 150, repliesPerProbe: 5 });
    const s = await scan('127.0.11.0/30');
    expect(s.devices.length).to.equal(16);
    expect(s.repliesDropped).to.be.at.least(134);
    const small = new DiscoveryService({ ...ctx, config: { ...ctx.config, discovery: { ...ctx.config.discovery, maxDevicesPerScan: 5 } } });
    const { id } = await small.startScan({ method: 'unicast', range: '127.0.11.0/30', ...CREDS }, actor.user.id);
    await small.idle();
    const capped = await small.getScan(id);
    expect(capped.devices).to.have.length(5);
    expect(capped.capped).to.match(/more than 5 devices/);
  });

  it('one datagram with 600 ProbeMatch entries yields at most maxMatchesPerReply devices and the drops are counted', async () => {
    await hostile({ address: '127.0.11.2', endpointReference: 'u:f', serial: 'SN-FLOOD600', matchesPerReply: 600, compactMatches: true });
    const s = await scan('127.0.11.0/30');
    const max = ctx.config.discovery.maxMatchesPerReply;
    expect(max).to.be.below(600);
    expect(s.devices.length).to.be.at.most(max);
    expect(s.devices.length).to.be.greaterThan(0);
    expect(s.repliesDropped).to.be.at.least(600 - max);
  });

  it('an oversized stream URI and device name never reach the registry', async () => {
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:huge', serial: 'SN-HUGE', manufacturer: 'M'.repeat(100_000), streamUri: `rtsp://127.0.11.2:554/${'a'.repeat(100_000)}` });
    const s = await scan('127.0.11.0/30');
    const d = s.devices.find((x) => x.address === '127.0.11.2')!;
    expect(d.manufacturer!.length).to.be.at.most(128);
    expect(d.streamUris.main).to.equal(null);
    const before = (await database.db.select().from(cameras)).length;
    const e = await enroll().enroll({ ...base, deviceIds: [d.id] }, actor).catch((x: unknown) => x);
    expect((e as { status: number }).status).to.equal(422);
    expect((await database.db.select().from(cameras)).length).to.equal(before);
  });

  it('a profile without a VideoSourceConfiguration is reported as what it is, not as a timeout', async () => {
    const bare =
      '<trt:GetProfilesResponse><trt:Profiles token="main" fixed="true"><tt:Name>main</tt:Name>' +
      '<tt:VideoEncoderConfiguration token="enc"><tt:Name>enc</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>' +
      '<tt:Resolution><tt:Width>1280</tt:Width><tt:Height>720</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration>' +
      '</trt:Profiles></trt:GetProfilesResponse>';
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:no-source', serial: 'SN-NOSRC', override: { GetProfiles: bare } });
    const s = await scan('127.0.11.0/30');
    const d = s.devices.find((x) => x.address === '127.0.11.2')!;
    expect(d.error).to.equal('malformed_response');
    expect(d.errorDetail).to.match(/video source/i);
  });

  it('an oversized GetProfiles reply is reported as an error, not as a device with no profiles', async () => {
    const huge = `<trt:GetProfilesResponse>${'<trt:Profiles token="p"><tt:Name>p</tt:Name></trt:Profiles>'.repeat(40_000)}</trt:GetProfilesResponse>`;
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:huge-profiles', serial: 'SN-HUGEP', override: { GetProfiles: huge } });
    const s = await scan('127.0.11.0/30');
    const d = s.devices.find((x) => x.address === '127.0.11.2')!;
    expect(d.error).to.equal('malformed_response');
    expect(d.errorDetail).to.match(/larger than allowed/);
  });

  it('raw fault or OpenSSL text a device sends never reaches errorDetail', async () => {
    const marker = 'error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed LEAKME';
    const fault = `<s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">${marker}</s:Text></s:Reason></s:Fault>`;
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:leak', serial: 'SN-LEAK', override: { GetDeviceInformation: fault } });
    const s = await scan('127.0.11.0/30');
    const d = s.devices.find((x) => x.address === '127.0.11.2')!;
    expect(d.error).to.not.equal(null);
    expect(JSON.stringify(d)).to.not.match(/LEAKME|0A000086|routines/);
  });

  it('a device whose row cannot be stored is listed in the scan failures and logged; the other devices are kept', async () => {
    await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:store-ok', serial: 'SN-STORE-OK' });
    await hostile({ address: '127.0.11.1', endpointReference: 'urn:uuid:store-bad', serial: 'SN-STORE-BAD' });
    // A real refusal from the database for one address (test-only trigger, removed afterwards).
    await database.query(
      `CREATE OR REPLACE FUNCTION hostile_refuse_device() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.address = '127.0.11.1' THEN RAISE EXCEPTION 'hostile test refuses this row'; END IF; RETURN NEW; END $$`,
    );
    await database.query('CREATE TRIGGER hostile_refuse BEFORE INSERT ON discovered_devices FOR EACH ROW EXECUTE FUNCTION hostile_refuse_device()');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const logged = new DiscoveryService({ ...ctx, logger });
    try {
      const { id } = await logged.startScan({ method: 'unicast', range: '127.0.11.0/30', ...CREDS }, actor.user.id);
      await logged.idle();
      const s = await logged.getScan(id);
      expect(s.devices.map((d) => d.address)).to.deep.equal(['127.0.11.2']);
      expect(s.failures.map((f) => f.address)).to.deep.equal(['127.0.11.1']);
      expect(s.failures[0]!.message).to.match(/could not store the device/);
      expect(s.failures[0]!.message, 'database text stays in the log').not.to.include('hostile test refuses');
      const warn = lines.map((l) => JSON.parse(l) as { address?: string; msg?: string; err?: { message?: string } }).find((l) => l.address === '127.0.11.1');
      expect(warn?.msg).to.match(/could not be probed or stored/);
      expect(warn?.err?.message).to.include('hostile test refuses');
    } finally {
      await logged.stop();
      await database.query('DROP TRIGGER hostile_refuse ON discovered_devices');
      await database.query('DROP FUNCTION hostile_refuse_device()');
    }
  });

  it('merchant enrollment tells a closed port, a non-ONVIF service and a wrong password apart only to staff', async () => {
    const [merchant] = await database.db.insert(users).values({ username: `m-${randomBytes(3).toString('hex')}`, role: 'merchant', passwordHash: 'x' }).returning();
    const mActor = { user: { id: merchant!.id, username: merchant!.username, role: 'merchant' as const, displayName: '', via: 'bearer' as const }, audit: { actorId: merchant!.id, actorName: merchant!.username, actorRole: 'merchant', ip: null, requestId: null } };
    const m = merchantEnrollmentService(ctx, camerasSvc);
    const cam = await hostile({ address: '127.0.11.2', endpointReference: 'urn:uuid:merchant-scan', serial: 'SN-M', startDiscovery: false });
    const shop = { name: 'Shop', kind: 'shopfront' as const, location: { lat: 30, lon: 120 }, owner: { name: 'Li' }, consent: true as const, credentials: { username: 'admin', password: 'wrong' } };
    const rtspPort = new URL(cam.rtspUrl).port;
    const answers = [];
    for (const onvifUrl of ['http://127.0.11.3:9/onvif/device_service', `http://127.0.11.2:${rtspPort}/onvif/device_service`, cam.onvifUrl]) {
      const e = (await m.enroll({ ...shop, onvifUrl }, mActor).catch((x: unknown) => x)) as { status: number; detail: string; errors: unknown };
      expect(e.status).to.equal(422);
      answers.push(JSON.stringify({ detail: e.detail, errors: e.errors }));
    }
    expect(new Set(answers).size).to.equal(1);
    expect(answers[0]).to.not.match(/ECONN|unreachable|auth_failed|not_onvif|RTSP|expected/);
  });
});
