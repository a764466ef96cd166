/**
 * Discovery against the real simulator and a real database (PGlite, or SKYEYE_TEST_DB=postgres):
 * multicast and unicast scans, credentials, faults, enrollment, re-discovery, merchant enrollment.
 * Uses its own loopback block (127.0.7.0/28) so other engineers' fleets do not collide.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { systemClock } from '@common/clock';
import { loadConfig } from '@config/load';
import type { AppContext } from '@server/context';
import { openDatabase, type Database } from '@server/db/database';
import { cameras, users } from '@server/db/schema/index';
import { createCamerasService, type CamerasService } from '@server/cameras/index';
import { OrgRepository } from '@server/org/repository';
import { auditLog } from '@server/db/schema/index';
import { discoveryRepository } from '@server/discovery/discovery-repository';
import { proposalService } from '@server/discovery/proposal-service';
import { DiscoveryService } from '@server/discovery/discovery-service';
import { enrollService } from '@server/discovery/enroll-service';
import { merchantEnrollmentService } from '@server/enrollment/merchant-service';
import { createLogger } from '@server/http/logger';
import { EventBus } from '@server/realtime/bus';
import { createKeyring } from '@server/security/keyring';
import { startFleet, type Fleet } from '@sim/index';
import { scratchDatabase, type ScratchDatabase } from '@test/helpers/database';

const ADDRS = ['127.0.7.2', '127.0.7.3', '127.0.7.4', '127.0.7.5', '127.0.7.6'];
const RANGE = '127.0.7.0/28';
const CREDS = { username: 'admin', password: 'skyeye-sim-123' };

describe('integration/discovery (simulator)', function () {
  this.timeout(120_000);
  let fleet: Fleet;
  let database: Database;
  let scratch: ScratchDatabase;
  let ctx: AppContext;
  let svc: DiscoveryService;
  let camerasSvc: CamerasService;
  let actor: { user: { id: string; username: string; role: 'operator'; displayName: string; via: 'bearer' }; audit: { actorId: string; actorName: string; actorRole: string; ip: null; requestId: null } };
  const keyring = createKeyring([['t1', randomBytes(32)]]);
  const events: string[] = [];

  before(async () => {
    fleet = await startFleet({ cameras: 5, addresses: ADDRS, faults: { 2: 'wrong-credentials', 3: { slowSoap: 4000 }, 4: 'malformed-xml' } });
    scratch = await scratchDatabase();
    const config = loadConfig({
      env: { SKYEYE_DATA_DIR: '/tmp/skyeye-discovery-test', SKYEYE_DISCOVERY_SOAP_TIMEOUT: '1500ms', SKYEYE_DISCOVERY_PROBE_TIMEOUT: '1500ms', SKYEYE_DISCOVERY_SCAN_TIMEOUT: '20s', ...(scratch.url ? { DATABASE_URL: scratch.url } : {}) },
    });
    database = await openDatabase({ url: config.database.url, dataDir: config.dataDir, inMemory: true });
    const bus = new EventBus();
    for (const e of ['discovery:device', 'discovery:progress', 'discovery:done'] as const) bus.subscribe(e, () => events.push(e));
    ctx = { instanceId: 'discovery-test', config, database, store: undefined as never, logger: createLogger('silent'), metrics: undefined as never, clock: systemClock, bus, shuttingDown: () => false };
    svc = new DiscoveryService(ctx);
    camerasSvc = createCamerasService(ctx, keyring, new OrgRepository(database));
    const [op] = await database.db.insert(users).values({ username: `op-${randomBytes(3).toString('hex')}`, role: 'operator', passwordHash: 'x' }).returning();
    actor = { user: { id: op!.id, username: op!.username, role: 'operator', displayName: '', via: 'bearer' }, audit: { actorId: op!.id, actorName: op!.username, actorRole: 'operator', ip: null, requestId: null } };
  });

  after(async () => {
    await svc?.stop();
    await fleet?.stop();
    await database?.close();
    await scratch?.drop();
  });

  async function scan(input: Parameters<DiscoveryService['startScan']>[0]) {
    const t0 = Date.now();
    const { id } = await svc.startScan(input, null);
    expect((await svc.getScan(id)).status).to.equal('running');
    await svc.idle();
    const s = await svc.getScan(id);
    expect(s.status).to.equal('done');
    return { ...s, ms: Date.now() - t0, mine: s.devices.filter((d) => ADDRS.includes(d.address)) };
  }

  it('unicast scan finds exactly the cameras present, with stream URIs and classified failures', async () => {
    const s = await scan({ method: 'unicast', range: RANGE, ...CREDS });
    expect(s.devices.map((d) => d.address).sort()).to.deep.equal([...ADDRS].sort());
    expect(s.ms).to.be.below(20_000);
    const byAddr = Object.fromEntries(s.devices.map((d) => [d.address, d]));
    const c0 = fleet.cameras[0]!;
    expect(byAddr[c0.address]).to.deep.include({ endpoint: c0.endpointReference, manufacturer: c0.manufacturer, model: c0.model, serial: c0.serial, error: null });
    expect(byAddr[c0.address]!.streamUris).to.deep.equal({ main: c0.rtspMainUrl, sub: c0.rtspSubUrl });
    expect(byAddr[c0.address]!.snapshotUri).to.be.a('string');
    expect(byAddr[ADDRS[2]!]!.error).to.equal('auth_failed');
    expect(byAddr[ADDRS[3]!]!.error).to.equal('timeout');
    expect(byAddr[ADDRS[4]!]!.error).to.equal('malformed_response');
    expect(JSON.stringify(s)).to.not.contain(CREDS.password);
    expect(events).to.include.members(['discovery:device', 'discovery:done']);
  });

  it('multicast scan finds every camera of the fleet within seconds; without credentials they are listed with an error', async () => {
    const s = await scan({ method: 'multicast' });
    expect(s.ms).to.be.below(10_000);
    expect(s.mine.map((d) => d.address).sort()).to.deep.equal([...ADDRS].sort());
    const d0 = s.mine.find((d) => d.address === ADDRS[0])!;
    expect(d0.endpoint).to.equal(fleet.cameras[0]!.endpointReference);
    expect(d0.error).to.equal('auth_failed');
    expect(d0.errorDetail).to.match(/no credentials/);
    expect(d0.streamUris.main).to.equal(null);
  });

  it('refuses ranges outside the allowed ones', async () => {
    try {
      await svc.startScan({ method: 'unicast', range: '10.0.0.0/28' }, null);
      expect.fail('should throw');
    } catch (e) {
      expect((e as { status: number }).status).to.equal(400);
      expect((e as { errors: Array<{ field: string }> }).errors[0]!.field).to.equal('range');
    }
  });

  it('enrolls with encrypted credentials; re-discovery proposes (audited) instead of rewriting, and only an operator applies', async () => {
    const enroll = enrollService(ctx, svc, camerasSvc);
    const first = await scan({ method: 'unicast', range: '127.0.7.0/29', ...CREDS });
    const dev = first.devices.find((d) => d.address === ADDRS[0])!;
    const other = first.devices.find((d) => d.address === ADDRS[1])!;
    const bad = first.devices.find((d) => d.address === ADDRS[2])!;
    // A bulk enroll with one device that cannot be verified enrolls nothing.
    try {
      await enroll.enroll({ deviceIds: [other.id, bad.id], kind: 'road', location: { lat: 30, lon: 120 } }, actor);
      expect.fail('should throw');
    } catch (e) {
      expect((e as { status: number }).status).to.equal(422);
    }
    expect(await database.db.select().from(cameras)).to.have.length(0);
    const r = await enroll.enroll({ deviceIds: [dev.id], kind: 'road', location: { lat: 30, lon: 120 } }, actor);
    const [cam] = await database.db.select().from(cameras).where(eq(cameras.id, r.enrolled[0]!.cameraId));
    expect(cam!.rtspUrl).to.equal(fleet.cameras[0]!.rtspMainUrl);
    expect(cam!.rtspSubUrl).to.equal(fleet.cameras[0]!.rtspSubUrl);
    expect(cam!.credentialsUsername).to.equal('admin');
    expect(cam!.credentialsSecret).to.not.contain(CREDS.password);
    expect(keyring.decrypt(cam!.credentialsSecret!)).to.equal(CREDS.password);
    // The registry says the camera is elsewhere: re-discovery proposes, it does not rewrite.
    await database.db.update(cameras).set({ onvifUrl: 'http://127.0.7.99:8000/onvif/device_service' }).where(eq(cameras.id, cam!.id));
    const again = await scan({ method: 'unicast', range: '127.0.7.0/29', ...CREDS });
    const seen = again.devices.find((d) => d.address === ADDRS[0])!;
    expect(seen.state).to.equal('known');
    expect(seen.cameraId).to.equal(cam!.id);
    expect(seen.identityClash).to.equal(true);
    expect(seen.changes.address).to.deep.equal({ from: '127.0.7.99', to: ADDRS[0] });
    expect(await database.db.select().from(cameras)).to.have.length(1);
    const [untouched] = await database.db.select().from(cameras).where(eq(cameras.id, cam!.id));
    expect(untouched!.onvifUrl).to.equal('http://127.0.7.99:8000/onvif/device_service');
    expect(untouched!.version).to.equal(cam!.version);
    const proposals = proposalService(ctx, discoveryRepository(database.db), camerasSvc);
    const open = (await proposals.list('open')).filter((p) => p.cameraId === cam!.id);
    expect(open).to.have.length(1);
    expect(open[0]!.kind).to.equal('identity_clash');
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.action, 'discovery.proposal'));
    expect(audits.map((a) => a.targetId)).to.include(cam!.id);
    // A second scan does not pile up the same proposal.
    await scan({ method: 'unicast', range: '127.0.7.0/29', ...CREDS });
    expect((await proposals.list('open')).filter((p) => p.cameraId === cam!.id)).to.have.length(1);
    const applied = await proposals.apply(actor, open[0]!.id, { version: untouched!.version });
    expect(applied.status).to.equal('applied');
    const [moved] = await database.db.select().from(cameras).where(eq(cameras.id, cam!.id));
    expect(moved!.onvifUrl).to.equal(fleet.cameras[0]!.onvifUrl);
    expect(moved!.version).to.equal(untouched!.version + 1);
    expect((await database.db.select().from(auditLog).where(eq(auditLog.action, 'discovery.proposal.apply'))).map((a) => a.actorId)).to.include(actor.user.id);
  });

  it('merchant self-enrollment verifies the camera and files it as pending with consent', async () => {
    const [merchant] = await database.db.insert(users).values({ username: `m-${randomBytes(3).toString('hex')}`, role: 'merchant', passwordHash: 'x' }).returning();
    const m = merchantEnrollmentService(ctx, camerasSvc);
    const mActor = { user: { id: merchant!.id, username: merchant!.username, role: 'merchant' as const, displayName: '', via: 'bearer' as const }, audit: { actorId: merchant!.id, actorName: merchant!.username, actorRole: 'merchant', ip: null, requestId: null } };
    const base = { name: 'Shop', kind: 'shopfront' as const, location: { lat: 30, lon: 120 }, owner: { name: 'Li' }, consent: true as const };
    const viaRtsp = await m.enroll({ ...base, rtspUrl: fleet.cameras[1]!.rtspMainUrl, credentials: CREDS }, mActor);
    expect(viaRtsp.enrollmentState).to.equal('pending');
    expect(viaRtsp.verification.codec).to.equal('H264');
    const viaOnvif = await m.enroll({ ...base, onvifUrl: fleet.cameras[1]!.onvifUrl, credentials: CREDS }, mActor);
    const [cam] = await database.db.select().from(cameras).where(eq(cameras.id, viaOnvif.cameraId));
    expect(cam).to.deep.include({ enrollmentState: 'pending', ownerUserId: merchant!.id, rtspUrl: fleet.cameras[1]!.rtspMainUrl });
    expect(cam!.consentAt).to.be.instanceOf(Date);
    try {
      await m.enroll({ ...base, rtspUrl: fleet.cameras[1]!.rtspMainUrl, credentials: { username: 'admin', password: 'wrong' } }, mActor);
      expect.fail('should throw');
    } catch (e) {
      // The merchant learns only that it failed; staff find the reason in the audit log.
      expect(JSON.stringify(e)).to.not.match(/auth_failed|refused|ECONN/);
      expect((e as { status: number }).status).to.equal(422);
    }
    const failed = await database.db.select().from(auditLog).where(eq(auditLog.action, 'enrollment.merchant.failed'));
    expect(failed).to.have.length(1);
    expect((failed[0]!.details as { code: string }).code).to.equal('auth_failed');
  });
});
