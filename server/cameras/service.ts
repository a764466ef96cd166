/**
 * Camera registry rules: who may see and change which camera, optimistic concurrency, audit in
 * the same transaction, bus events after commit. Import/export live in import.ts, status and
 * ingest specs in status.ts; this class wires them together as one service.
 */
import type { AuditActor } from '@server/audit/audit-repository';
import { recordAudit } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import type { AppContext } from '@server/context';
import { badRequest, conflict, forbidden, notFound } from '@server/http/problem';
import type { OrgRepository } from '@server/org/repository';
import type { Keyring } from '@server/security/keyring';
import { decodeCursor, encodeCursor } from './cursor';
import { toCamera } from './mapper';
import * as repo from './repository';
import { isStaff, newRow, orgRefErrors, patchSet } from './rows';
import type { Camera, CameraInput, CameraPatch, ListQuery } from './schemas';

export interface Actor {
  user: AuthUser;
  audit: AuditActor;
}

export interface CameraDeps {
  ctx: AppContext;
  keyring: Keyring;
  org: OrgRepository;
}

export const scopeOf = (user: AuthUser): repo.Scope => (user.role === 'merchant' ? { ownerUserId: user.id } : {});

export function assertCanWrite(user: AuthUser): void {
  if (!isStaff(user) && user.role !== 'merchant') throw forbidden('Investigators have read-only access to the camera registry.');
}

/** Registry-wide reads (export): every role but merchant. */
export function assertNotMerchant(user: AuthUser, what: string): void {
  if (user.role === 'merchant') throw forbidden(`Merchants may not ${what}.`);
}

export function assertStaff(user: AuthUser, what: string): void {
  if (!isStaff(user)) throw forbidden(`Only administrators and operators may ${what}.`);
}

export class CameraCrud {
  constructor(protected readonly deps: CameraDeps) {}

  protected get db() {
    return this.deps.ctx.database.db;
  }

  async list(user: AuthUser, q: ListQuery): Promise<{ items: Camera[]; nextCursor: string | null }> {
    const { limit, cursor, ...filter } = q;
    const radius = filter.radius !== undefined;
    const after = cursor ? decodeCursor(cursor, radius ? 'd' : 'c') : undefined;
    const rows = await repo.listCameras(this.db, filter, scopeOf(user), limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeCursor(radius ? { k: 'd', d: last.distance!, id: last.id } : { k: 'c', t: last.sortTs, id: last.id }) : null;
    return { items: page.map((r) => toCamera(r, r.distance)), nextCursor };
  }

  async get(user: AuthUser, id: string): Promise<Camera> {
    const row = await repo.findCamera(this.db, id, scopeOf(user));
    if (!row) throw notFound('Camera');
    return toCamera(row);
  }

  async create(actor: Actor, input: CameraInput): Promise<Camera> {
    const { user } = actor;
    assertCanWrite(user);
    if (user.role === 'merchant' && input.enrollmentState !== undefined && input.enrollmentState !== 'pending') {
      throw forbidden('Merchants cannot set the enrollment state; new cameras wait for approval.');
    }
    const errors = orgRefErrors(input, await this.deps.org.index());
    if (errors.length) throw badRequest('Referenced organisation units do not exist.', errors);
    const values = newRow(input, user, this.deps.keyring);
    const camera = await this.db.transaction(async (tx) => {
      const [row] = await repo.insertCameras(tx, [values]);
      const cam = toCamera(row!);
      await recordAudit(tx, actor.audit, {
        action: 'camera.create',
        targetType: 'camera',
        targetId: cam.id,
        details: { name: cam.name, kind: cam.kind, enrollmentState: cam.enrollmentState, hasCredentials: cam.credentials !== null },
      });
      return cam;
    });
    this.deps.ctx.bus.publish('camera:created', { id: camera.id, ownerUserId: camera.owner?.userId ?? null, camera });
    return camera;
  }

  async update(actor: Actor, id: string, patch: CameraPatch, version: number | undefined): Promise<Camera> {
    const { user } = actor;
    assertCanWrite(user);
    if (version === undefined) throw badRequest('Send the version you read, in the body or an If-Match header.', [{ field: 'version', message: 'required (or If-Match)' }]);
    if (user.role === 'merchant' && patch.enrollmentState !== undefined) throw forbidden('Merchants cannot change the enrollment state.');
    const { version: _v, ...fields } = patch;
    const errors = orgRefErrors(fields, await this.deps.org.index());
    if (errors.length) throw badRequest('Referenced organisation units do not exist.', errors);
    const camera = await this.db.transaction(async (tx) => {
      const existing = await repo.findCamera(tx, id, scopeOf(user));
      if (!existing) throw notFound('Camera');
      const set = patchSet(fields, this.deps.keyring, existing.address);
      const row = existing.version === version ? await repo.updateCamera(tx, id, version, set) : undefined;
      if (!row) {
        const now = await repo.findCamera(tx, id);
        if (!now) throw notFound('Camera');
        throw conflict(`The camera changed since you read it (your version ${version}, now ${now.version}); reload and retry.`, { currentVersion: now.version });
      }
      const cam = toCamera(row);
      await recordAudit(tx, actor.audit, {
        action: 'camera.update',
        targetType: 'camera',
        targetId: id,
        details: { fields: Object.keys(fields).sort(), fromVersion: version, toVersion: cam.version },
      });
      return cam;
    });
    this.deps.ctx.bus.publish('camera:updated', { id, ownerUserId: camera.owner?.userId ?? null, camera });
    return camera;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    assertCanWrite(actor.user);
    const deleted = await this.db.transaction(async (tx) => {
      const existing = await repo.findCamera(tx, id, scopeOf(actor.user));
      if (!existing) throw notFound('Camera');
      const row = await repo.deleteCamera(tx, id);
      if (!row) throw notFound('Camera');
      await recordAudit(tx, actor.audit, { action: 'camera.delete', targetType: 'camera', targetId: id, details: { name: row.name, kind: row.kind } });
      return row;
    });
    this.deps.ctx.bus.publish('camera:deleted', { id, ownerUserId: deleted.ownerUserId });
  }

  async setEnrollment(actor: Actor, id: string, state: Camera['enrollmentState'], reason?: string): Promise<Camera> {
    assertStaff(actor.user, 'approve, reject or suspend cameras');
    const camera = await this.db.transaction(async (tx) => {
      const existing = await repo.findCamera(tx, id);
      if (!existing) throw notFound('Camera');
      const row = await repo.updateCamera(tx, id, existing.version, { enrollmentState: state, enrollmentReason: reason ?? null });
      if (!row) throw conflict('The camera changed meanwhile; retry.', { currentVersion: existing.version });
      await recordAudit(tx, actor.audit, {
        action: 'camera.enrollment',
        targetType: 'camera',
        targetId: id,
        details: { from: existing.enrollmentState, to: state, reason: reason ?? null },
      });
      return toCamera(row);
    });
    this.deps.ctx.bus.publish('camera:updated', { id, ownerUserId: camera.owner?.userId ?? null, camera });
    return camera;
  }
}
