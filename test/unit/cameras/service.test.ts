/**
 * Registry rules at the service level, with a fake repository, audit log and bus (no database):
 * who may create and change what, versions, audit in the change's transaction, events only
 * after commit, status writes only when their guard allows.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { AuthUser } from '@server/auth/types';
import { CamerasService } from '@server/cameras/status';
import type { CameraRepository } from '@server/cameras/service';
import type { CameraRow, NewCameraRow, Scope } from '@server/cameras/repository';
import type { CameraInput } from '@server/cameras/schemas';
import { HttpError } from '@server/http/problem';
import { createKeyring, parseKeySpec } from '@server/security/keyring';

const TX = { tx: true };

function fakes(opts: { auditFails?: boolean } = {}) {
  const rows = new Map<string, CameraRow>();
  const audit: Array<{ tx: unknown; action: string }> = [];
  const events: Array<{ topic: string; id: string }> = [];
  const statusWrites: string[] = [];
  let inTx = false;
  const visible = (r: CameraRow | undefined, scope: Scope = {}) => (r && (!scope.ownerUserId || r.ownerUserId === scope.ownerUserId) ? r : undefined);
  const repo: Partial<CameraRepository> = {
    async findCamera(_db, id, scope) {
      return visible(rows.get(id), scope);
    },
    async insertCameras(_db, values: NewCameraRow[]) {
      return values.map((v) => {
        const row = { id: randomUUID(), status: 'unknown', statusCause: null, statusChangedAt: null, enrollmentReason: null, createdAt: new Date(), updatedAt: new Date(), version: 1, ...v } as CameraRow;
        rows.set(row.id, row);
        return row;
      });
    },
    async updateCamera(_db, id, version, set) {
      const r = rows.get(id);
      if (!r || r.version !== version) return undefined;
      const next = { ...r, ...set, version: r.version + 1 } as CameraRow;
      rows.set(id, next);
      return next;
    },
    async deleteCamera(_db, id) {
      const r = rows.get(id);
      rows.delete(id);
      return r;
    },
    async lockCamera(_db, id) {
      return rows.has(id);
    },
    async setStatus(_db, id, status) {
      statusWrites.push(`${id}:${status}`);
      return { ownerUserId: rows.get(id)?.ownerUserId ?? null, at: new Date() };
    },
    async insertStatusHistory() {},
  };
  const database = {
    db: {
      async transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> {
        inTx = true;
        try {
          return await fn(TX); // a throw inside rolls back: nothing is published
        } finally {
          inTx = false;
        }
      },
    },
  };
  const svc = new CamerasService({
    ctx: { database, bus: { publish: (topic: string, e: { id?: string; cameraId?: string }) => void events.push({ topic, id: e.id ?? e.cameraId ?? '' }) }, logger: {}, config: { network: { allowedRanges: ['127.0.0.0/8'] }, cameras: { merchantMaxRetentionDays: 30 } } } as never,
    keyring: createKeyring(parseKeySpec(`k:${Buffer.alloc(32, 7).toString('base64')}`)),
    org: { index: async () => ({ codeById: { station: new Set(), policeRoom: new Set(), patrolZone: new Set(), grid: new Set() } }) as never },
    repo: repo as CameraRepository,
    recordAudit: async (tx, _actor, entry) => {
      if (!inTx || (tx as unknown) !== TX) throw new Error('audit outside the change transaction');
      if (opts.auditFails) throw new Error('audit log unavailable');
      audit.push({ tx, action: entry.action });
    },
  });
  /** Files a camera the way merchant enrollment does: createInTx inside the change's transaction. */
  const fileInTx = async (a: Parameters<CamerasService['createInTx']>[1], raw: unknown) => {
    const org = await svc.orgIndex();
    return database.db.transaction((tx) => svc.createInTx(tx as never, a, org, raw));
  };
  return { svc, rows, audit, events, statusWrites, fileInTx };
}

const user = (role: AuthUser['role'], id: string = randomUUID()): AuthUser => ({ id, username: role, role, displayName: role, via: 'bearer' }) as AuthUser;
const actor = (u: AuthUser) => ({ user: u, audit: { actorId: u.id, actorName: u.username, actorRole: u.role, ip: null, requestId: null } });
const input = (extra: Partial<CameraInput> = {}): CameraInput =>
  ({ name: 'Gate', kind: 'road', location: { lat: 34.09, lon: 119.35, coordSystem: 'wgs84' }, rtspUrl: 'rtsp://127.0.0.1/x', ...extra }) as CameraInput;

async function rejects(p: Promise<unknown>, status: number): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(HttpError);
    expect((e as HttpError).status).to.equal(status);
    return e as HttpError;
  }
  throw new Error(`expected HTTP ${status}`);
}

describe('cameras service rules (fakes)', () => {
  it('staff create: approved, audited in the same transaction, camera:created after commit', async () => {
    const f = fakes();
    const cam = await f.svc.create(actor(user('operator')), input());
    expect(cam.enrollmentState).to.equal('approved');
    expect(f.audit.map((a) => a.action)).to.deep.equal(['camera.create']);
    expect(f.events).to.deep.equal([{ topic: 'camera:created', id: cam.id }]);
  });

  it('a failed audit write rolls the change back: no event goes out', async () => {
    const f = fakes({ auditFails: true });
    try {
      await f.svc.create(actor(user('admin')), input());
      expect.fail('create should fail');
    } catch (e) {
      expect((e as Error).message).to.equal('audit log unavailable');
    }
    expect(f.events).to.deep.equal([]);
  });

  it('investigators cannot write; merchants file pending cameras they own (only through enrollment) and cannot set enrollment', async () => {
    const f = fakes();
    await rejects(f.svc.create(actor(user('investigator')), input()), 403);
    const merchant = user('merchant');
    await rejects(f.svc.create(actor(merchant), input()), 403);
    await rejects(f.fileInTx(actor(merchant), input({ enrollmentState: 'approved' } as Partial<CameraInput>)), 403);
    const own = await f.fileInTx(actor(merchant), input());
    expect(own.enrollmentState).to.equal('pending');
    expect(own.owner?.userId).to.equal(merchant.id);
    await rejects(f.svc.update(actor(merchant), own.id, { enrollmentState: 'approved' } as never, own.version), 403);
    await rejects(f.svc.setEnrollment(actor(merchant), own.id, 'approved'), 403);
    expect(f.audit.map((a) => a.action)).to.deep.equal(['camera.create']);
  });

  it("a merchant never sees another's camera (404)", async () => {
    const f = fakes();
    const theirs = await f.fileInTx(actor(user('merchant')), input());
    await rejects(f.svc.get(user('merchant'), theirs.id), 404);
    expect((await f.svc.get(user('investigator'), theirs.id)).id).to.equal(theirs.id);
  });

  it('updates need the version read; a stale one is 409 with the current version', async () => {
    const f = fakes();
    const op = actor(user('operator'));
    const cam = await f.svc.create(op, input());
    const missing = await rejects(f.svc.update(op, cam.id, { name: 'x' } as never, undefined), 400);
    expect(missing.errors?.[0]?.field).to.equal('version');
    const updated = await f.svc.update(op, cam.id, { name: 'North gate' } as never, cam.version);
    expect(updated.version).to.equal(cam.version + 1);
    const stale = await rejects(f.svc.update(op, cam.id, { name: 'y' } as never, cam.version), 409);
    expect(stale.extra).to.deep.include({ currentVersion: updated.version });
    expect(f.events.map((e) => e.topic)).to.deep.equal(['camera:created', 'camera:updated']);
  });

  it('a status write whose guard says no writes nothing and announces nothing', async () => {
    const f = fakes();
    const cam = await f.svc.create(actor(user('admin')), input());
    expect(await f.svc.updateStatus(cam.id, 'live', null, 'w1', async () => false)).to.equal(false);
    expect(f.statusWrites).to.deep.equal([]);
    expect(await f.svc.updateStatus(cam.id, 'live', null, 'w1', async () => true)).to.equal(true);
    expect(f.statusWrites).to.deep.equal([`${cam.id}:live`]);
    expect(f.events.map((e) => e.topic)).to.deep.equal(['camera:created', 'camera:status']);
  });
});
