/**
 * Enrollment rules of the discovery enroll service, with fakes for the repository, the cameras
 * service and the database transaction: one device is one camera; a stream on another host needs
 * explicit approval and then no credentials; all or nothing.
 */
import { expect } from 'chai';
import type { Actor, CamerasService } from '@server/cameras/index';
import type { AppContext } from '@server/context';
import type { DeviceRow } from '@server/discovery/discovery-repository';
import type { DiscoveryService } from '@server/discovery/discovery-service';
import { enrollService } from '@server/discovery/enroll-service';

const CREDS = { username: 'admin', password: 'scan-pass' };
const actor = { user: { id: 'u1', username: 'op', role: 'operator', displayName: '', via: 'bearer' }, audit: { actorId: 'u1', actorName: 'op', actorRole: 'operator', ip: null, requestId: null } } as unknown as Actor;
const input = { kind: 'road' as const, location: { lat: 30, lon: 120 } };

function row(id: string, over: Partial<DeviceRow> = {}): DeviceRow {
  return {
    id,
    scanId: 's1',
    endpointReference: `urn:uuid:${id}`,
    address: '127.0.10.2',
    onvifUrl: 'http://127.0.10.2:8000/onvif/device_service',
    rtspMainUrl: 'rtsp://127.0.10.2:554/main',
    rtspSubUrl: null,
    snapshotUri: null,
    manufacturer: 'M',
    model: 'X',
    firmware: '1',
    serial: `SN-${id}`,
    mediaHostMismatch: false,
    cameraId: null,
    state: 'new',
    ...over,
  } as DeviceRow;
}

function setup(rows: DeviceRow[], o: { failCreateAt?: number; createError?: unknown } = {}) {
  const created: Array<Record<string, unknown>> = [];
  const audits: unknown[] = [];
  const published: string[] = [];
  const marked: string[] = [];
  const tx = { insert: () => ({ values: async (v: unknown) => void audits.push(v) }) };
  const ctx = {
    clock: { now: () => new Date('2025-01-01T00:00:00Z') },
    bus: { publish: (topic: string) => void published.push(topic) },
    database: { db: { transaction: async (fn: (t: unknown) => Promise<unknown>) => fn(tx) } },
    config: { discovery: { allowedRanges: ['127.0.0.0/8'], soapTimeout: 1000, maxResponseBytes: 65536 } },
  } as unknown as AppContext;
  const repo = {
    getDevices: async (ids: string[]) => rows.filter((r) => ids.includes(r.id)),
    enrolledByEndpoint: async (eps: string[]) => rows.filter((r) => r.cameraId && eps.includes(r.endpointReference)),
    setDeviceMedia: async () => undefined,
    markEnrolled: async (_tx: unknown, id: string) => void marked.push(id),
  };
  const discovery = { repo, scanCredentials: () => CREDS } as unknown as DiscoveryService;
  const cameras = {
    orgIndex: async () => ({}),
    createInTx: async (_tx: unknown, _a: unknown, _o: unknown, body: Record<string, unknown>) => {
      if (o.failCreateAt === created.length) throw o.createError ?? new Error('registry refused');
      created.push(body);
      return { id: `cam-${created.length}`, owner: null };
    },
  } as unknown as CamerasService;
  return { svc: enrollService(ctx, discovery, cameras), created, audits, published, marked };
}

const status = (e: unknown) => (e as { status?: number }).status;

describe('discovery/enroll-service', () => {
  it('enrolls a device once, with the scan credentials, audited, then announces the camera', async () => {
    const f = setup([row('d1')]);
    const r = await f.svc.enroll({ ...input, deviceIds: ['d1'] }, actor);
    expect(r.enrolled).to.deep.equal([{ deviceId: 'd1', cameraId: 'cam-1' }]);
    expect(f.created[0]!.credentials).to.deep.equal(CREDS);
    expect(f.marked).to.deep.equal(['d1']);
    expect(f.audits).to.have.length(1);
    expect(f.published).to.deep.equal(['camera:created']);
  });

  it('one device is one camera: a device linked to a camera, or the same endpoint twice, is refused (409) before anything is created', async () => {
    const linked = setup([row('d1', { cameraId: 'cam-x' })]);
    expect(status(await linked.svc.enroll({ ...input, deviceIds: ['d1'] }, actor).catch((e: unknown) => e))).to.equal(409);
    expect(linked.created).to.deep.equal([]);
    const twice = setup([row('d1', { endpointReference: 'urn:uuid:same' }), row('d2', { endpointReference: 'urn:uuid:same' })]);
    expect(status(await twice.svc.enroll({ ...input, deviceIds: ['d1', 'd2'] }, actor).catch((e: unknown) => e))).to.equal(409);
    expect(twice.created).to.deep.equal([]);
  });

  it('a concurrent enrollment (unique violation) is a 409, not a 500', async () => {
    const f = setup([row('d1')], { failCreateAt: 0, createError: Object.assign(new Error('dup'), { cause: { code: '23505' } }) });
    expect(status(await f.svc.enroll({ ...input, deviceIds: ['d1'] }, actor).catch((e: unknown) => e))).to.equal(409);
  });

  it('a stream on another host needs approveForeignMediaHost (422) and is then enrolled without credentials', async () => {
    const f = setup([row('d1', { mediaHostMismatch: true, rtspMainUrl: 'rtsp://127.0.0.9:554/x' })]);
    const e = (await f.svc.enroll({ ...input, deviceIds: ['d1'] }, actor).catch((x: unknown) => x)) as { status: number; errors: Array<{ field: string }> };
    expect(e.status).to.equal(422);
    expect(e.errors.map((x) => x.field)).to.deep.equal(['approveForeignMediaHost']);
    expect(f.created).to.deep.equal([]);
    await f.svc.enroll({ ...input, deviceIds: ['d1'], approveForeignMediaHost: true, credentials: null }, actor);
    expect(f.created[0]!.credentials).to.equal(null);
    expect(f.created[0]!.rtspUrl).to.equal('rtsp://127.0.0.9:554/x');
  });

  it('all or nothing: when the registry refuses one camera, none is announced', async () => {
    const f = setup([row('d1'), row('d2', { address: '127.0.10.3' })], { failCreateAt: 1 });
    const e = await f.svc.enroll({ ...input, deviceIds: ['d1', 'd2'] }, actor).catch((x: unknown) => x);
    expect((e as Error).message).to.equal('registry refused');
    expect(f.published).to.deep.equal([]);
  });
});
