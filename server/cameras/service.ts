/**
 * Camera registry rules: who may see and change which camera, optimistic concurrency, audit in
 * the same transaction, bus events after commit. Import/export live in import.ts, status and
 * ingest specs in status.ts; this class wires them together as one service.
 */
import type { AuditActor } from '@server/audit/audit-repository';
import { recordAudit } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import type { AppContext } from '@server/context';
import type { Db } from '@server/db/database';
import { badRequest, conflict, forbidden, notFound, validationError, type FieldError } from '@server/http/problem';
import type { OrgIndex, OrgRepository } from '@server/org/repository';
import type { Keyring } from '@server/security/keyring';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { forViewer, roundMetres, toCamera } from './mapper';
import * as repository from './repository';
import { isStaff, newRow, orgRefErrors, patchSet } from './rows';
import { CameraInputSchema, CameraPatchSchema, type Camera, type CameraFilter, type CameraInput, type CameraPatch, type ListQuery } from './schemas';
import { ADDRESS_FIELDS, addressErrors } from './urls';

export interface Actor {
  user: AuthUser;
  audit: AuditActor;
}

/** The cameras table's SQL (repository.ts): the service's only way to the database. */
export type CameraRepository = typeof repository;

export interface CameraDeps {
  ctx: Pick<AppContext, 'config' | 'database' | 'bus' | 'logger'>;
  keyring: Keyring;
  org: Pick<OrgRepository, 'index'>;
  /** Default: repository.ts (unit tests give fakes). */
  repo?: CameraRepository;
  /** Default: the audit log's recordAudit (in the change's transaction). */
  recordAudit?: typeof recordAudit;
}

export const scopeOf = (user: AuthUser): repository.Scope => (user.role === 'merchant' ? { ownerUserId: user.id } : {});

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

/** Why a merchant's camera waits for approval again after they changed where it is dialled. */
export const ADDRESS_CHANGED_REASON = 'The owner changed the camera address; it waits for approval again.';

export class CameraCrud {
  constructor(protected readonly deps: CameraDeps) {}

  /**
   * Rules on what a role may write, beyond the schema: every address inside network.allowedRanges
   * (every role), merchants' retention at most cameras.merchantMaxRetentionDays.
   */
  protected writeErrors(user: AuthUser, input: Partial<CameraInput>): FieldError[] {
    const { network, cameras } = this.deps.ctx.config;
    const errors = addressErrors(input, network.allowedRanges);
    const days = input.recording?.retentionDays;
    if (user.role === 'merchant' && days !== undefined && days > cameras.merchantMaxRetentionDays) {
      errors.push({ field: 'recording.retentionDays', message: `merchants may keep recordings at most ${cameras.merchantMaxRetentionDays} days` });
    }
    return errors;
  }

  protected get db() {
    return this.deps.ctx.database.db;
  }

  protected get repo(): CameraRepository {
    return this.deps.repo ?? repository;
  }

  protected get recordAudit(): typeof recordAudit {
    return this.deps.recordAudit ?? recordAudit;
  }

  async list(user: AuthUser, q: ListQuery): Promise<{ items: Camera[]; nextCursor: string | null }> {
    const { page, nextCursor } = await this.page(user, q, this.repo.listCameras);
    return { items: page.map((r) => forViewer(user, toCamera(r, r.distance))), nextCursor };
  }

  /**
   * list()'s answer as JSON text, for the route: the database writes each camera's JSON
   * (repository listCamerasJson), node only joins them. Merchants get list() (their status causes
   * are generalised, forViewer).
   */
  async listJson(user: AuthUser, q: ListQuery): Promise<string> {
    if (user.role === 'merchant') return JSON.stringify(await this.list(user, q));
    const { page, nextCursor } = await this.page(user, q, this.repo.listCamerasJson);
    // distanceMeters as toCamera gives it, added before the object's closing brace.
    const items = page.map((r) => (r.distance === null ? r.json : `${r.json.slice(0, -1)},"distanceMeters":${JSON.stringify(roundMetres(r.distance))}}`));
    return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  }

  /** One page of `fetch` (one more row than the limit, to know whether another page follows) and its next cursor. */
  private async page<R extends { id: string; sortTs: string; distance: number | null }>(
    user: AuthUser,
    q: ListQuery,
    fetch: (db: Db, f: CameraFilter, scope: repository.Scope, limit: number, after?: Cursor) => Promise<R[]>,
  ): Promise<{ page: R[]; nextCursor: string | null }> {
    const { limit, cursor, ...filter } = q;
    const radius = filter.radius !== undefined;
    const after = cursor ? decodeCursor(cursor, radius ? 'd' : 'c') : undefined;
    const rows = await fetch(this.db, filter, scopeOf(user), limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeCursor(radius ? { k: 'd', d: last.distance!, id: last.id } : { k: 'c', t: last.sortTs, id: last.id }) : null;
    return { page, nextCursor };
  }

  async get(user: AuthUser, id: string): Promise<Camera> {
    const row = await this.repo.findCamera(this.db, id, scopeOf(user));
    if (!row) throw notFound('Camera');
    return forViewer(user, toCamera(row));
  }

  /** get() as the JSON text the route sends, with its ETag's parts (staff: written by the database). */
  async getJson(user: AuthUser, id: string): Promise<repository.CameraJson> {
    if (user.role === 'merchant') {
      const cam = await this.get(user, id);
      return { json: JSON.stringify(cam), version: cam.version, statusChangedAt: cam.statusChangedAt };
    }
    const found = await this.repo.findCameraJson(this.db, id);
    if (!found) throw notFound('Camera');
    return found;
  }

  async create(actor: Actor, input: CameraInput): Promise<Camera> {
    const { user } = actor;
    assertCanWrite(user);
    // A merchant's camera is filed only after the device was verified and consent recorded.
    if (user.role === 'merchant') throw forbidden('Merchants register their cameras through verified enrollment with consent (POST /api/v1/enrollment/merchant).');
    const rejected = this.writeErrors(user, input);
    if (rejected.length) throw badRequest('The camera may not be registered like this.', rejected);
    const errors = orgRefErrors(input, await this.deps.org.index());
    if (errors.length) throw badRequest('Referenced organisation units do not exist.', errors);
    const values = newRow(input, user, this.deps.keyring);
    const camera = await this.db.transaction(async (tx) => {
      const [row] = await this.repo.insertCameras(tx, [values]);
      const cam = toCamera(row!);
      await this.recordAudit(tx, actor.audit, {
        action: 'camera.create',
        targetType: 'camera',
        targetId: cam.id,
        details: { name: cam.name, kind: cam.kind, enrollmentState: cam.enrollmentState, hasCredentials: cam.credentials !== null },
      });
      return cam;
    });
    this.deps.ctx.bus.publish('camera:created', { id: camera.id, ownerUserId: camera.owner?.userId ?? null, camera });
    return forViewer(user, camera);
  }

  /**
   * Creates a camera inside the caller's transaction (discovery and merchant enrollment): the
   * registry's own schema validation (400 naming the field), role rules and audit entry, all in
   * `tx`. `org` is read before the transaction (orgIndex()): PGlite has one connection. The caller
   * publishes `camera:created` after its transaction commits.
   */
  async createInTx(tx: Db, actor: Actor, org: OrgIndex, raw: unknown, details: Record<string, unknown> = {}): Promise<Camera> {
    const parsed = CameraInputSchema.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error, 'camera');
    const input = parsed.data;
    assertCanWrite(actor.user);
    if (actor.user.role === 'merchant' && input.enrollmentState !== undefined && input.enrollmentState !== 'pending') {
      throw forbidden('Merchants cannot set the enrollment state; new cameras wait for approval.');
    }
    const rejected = this.writeErrors(actor.user, input);
    if (rejected.length) throw badRequest('The camera may not be registered like this.', rejected);
    const errors = orgRefErrors(input, org);
    if (errors.length) throw badRequest('Referenced organisation units do not exist.', errors);
    const [row] = await this.repo.insertCameras(tx, [newRow(input, actor.user, this.deps.keyring)]);
    const cam = toCamera(row!);
    await this.recordAudit(tx, actor.audit, {
      action: 'camera.create',
      targetType: 'camera',
      targetId: cam.id,
      details: { ...details, name: cam.name, kind: cam.kind, enrollmentState: cam.enrollmentState, hasCredentials: cam.credentials !== null },
    });
    return cam;
  }

  /**
   * Applies a validated patch inside the caller's transaction (an operator applying a discovery
   * proposal), checking `version` when given; audit in `tx`; the caller publishes after commit.
   */
  async updateInTx(tx: Db, actor: Actor, org: OrgIndex, id: string, raw: unknown, version: number | undefined, details: Record<string, unknown> = {}): Promise<Camera> {
    assertStaff(actor.user, 'apply changes found by discovery');
    const parsed = CameraPatchSchema.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error, 'camera');
    const { version: _v, ...fields } = parsed.data;
    const rejected = this.writeErrors(actor.user, fields);
    if (rejected.length) throw badRequest('The camera may not be changed like this.', rejected);
    const errors = orgRefErrors(fields, org);
    if (errors.length) throw badRequest('Referenced organisation units do not exist.', errors);
    const existing = await this.repo.findCamera(tx, id);
    if (!existing) throw notFound('Camera');
    if (version !== undefined && existing.version !== version) {
      throw conflict(`The camera changed since you read it (your version ${version}, now ${existing.version}); reload and retry.`, { currentVersion: existing.version });
    }
    const row = await this.repo.updateCamera(tx, id, existing.version, patchSet(fields, this.deps.keyring, existing.address));
    if (!row) throw conflict('The camera changed meanwhile; retry.', { currentVersion: existing.version });
    const cam = toCamera(row);
    await this.recordAudit(tx, actor.audit, {
      action: 'camera.update',
      targetType: 'camera',
      targetId: id,
      details: { ...details, fields: Object.keys(fields).sort(), fromVersion: existing.version, toVersion: cam.version },
    });
    return cam;
  }

  /** The organisation index createInTx/updateInTx check references against (read it before the transaction). */
  orgIndex(): Promise<OrgIndex> {
    return this.deps.org.index();
  }

  async update(actor: Actor, id: string, patch: CameraPatch, version: number | undefined): Promise<Camera> {
    const { user } = actor;
    assertCanWrite(user);
    if (version === undefined) throw badRequest('Send the version you read, in the body or an If-Match header.', [{ field: 'version', message: 'required (or If-Match)' }]);
    if (user.role === 'merchant' && patch.enrollmentState !== undefined) throw forbidden('Merchants cannot change the enrollment state.');
    const { version: _v, ...fields } = patch;
    const rejected = this.writeErrors(user, fields);
    if (rejected.length) throw badRequest('The camera may not be changed like this.', rejected);
    const errors = orgRefErrors(fields, await this.deps.org.index());
    if (errors.length) throw badRequest('Referenced organisation units do not exist.', errors);
    const camera = await this.db.transaction(async (tx) => {
      const existing = await this.repo.findCamera(tx, id, scopeOf(user));
      if (!existing) throw notFound('Camera');
      const set = patchSet(fields, this.deps.keyring, existing.address);
      // A merchant who points an approved camera somewhere else files it again: staff approve addresses.
      if (user.role === 'merchant' && ADDRESS_FIELDS.some((f) => set[f] !== undefined && set[f] !== existing[f]) && existing.enrollmentState !== 'pending') {
        set.enrollmentState = 'pending';
        set.enrollmentReason = ADDRESS_CHANGED_REASON;
      }
      const row = existing.version === version ? await this.repo.updateCamera(tx, id, version, set) : undefined;
      if (!row) {
        const now = await this.repo.findCamera(tx, id);
        if (!now) throw notFound('Camera');
        throw conflict(`The camera changed since you read it (your version ${version}, now ${now.version}); reload and retry.`, { currentVersion: now.version });
      }
      const cam = toCamera(row);
      await this.recordAudit(tx, actor.audit, {
        action: 'camera.update',
        targetType: 'camera',
        targetId: id,
        details: {
          fields: Object.keys(fields).sort(),
          fromVersion: version,
          toVersion: cam.version,
          ...(cam.enrollmentState !== existing.enrollmentState ? { enrollment: { from: existing.enrollmentState, to: cam.enrollmentState } } : {}),
        },
      });
      return cam;
    });
    this.deps.ctx.bus.publish('camera:updated', { id, ownerUserId: camera.owner?.userId ?? null, camera });
    return forViewer(user, camera);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    assertCanWrite(actor.user);
    const deleted = await this.db.transaction(async (tx) => {
      const existing = await this.repo.findCamera(tx, id, scopeOf(actor.user));
      if (!existing) throw notFound('Camera');
      const row = await this.repo.deleteCamera(tx, id);
      if (!row) throw notFound('Camera');
      await this.recordAudit(tx, actor.audit, { action: 'camera.delete', targetType: 'camera', targetId: id, details: { name: row.name, kind: row.kind } });
      return row;
    });
    this.deps.ctx.bus.publish('camera:deleted', { id, ownerUserId: deleted.ownerUserId });
  }

  /**
   * The owning merchant withdraws consent: recorded, then the camera is disabled and retired in one
   * transaction (ingest stops at once; its recordings stay until retention, held ranges for good).
   */
  async withdrawConsent(actor: Actor, id: string, reason: string | null): Promise<void> {
    if (actor.user.role !== 'merchant') throw forbidden('Only the merchant who owns a camera withdraws consent; staff suspend or remove cameras.');
    const deleted = await this.db.transaction(async (tx) => {
      const existing = await this.repo.findCamera(tx, id, scopeOf(actor.user));
      if (!existing) throw notFound('Camera');
      const audit = (action: string, details: Record<string, unknown>) => this.recordAudit(tx, actor.audit, { action, targetType: 'camera', targetId: id, details });
      await audit('camera.consent_withdrawn', { name: existing.name, consentAt: existing.consentAt?.toISOString() ?? null, reason });
      await audit('camera.enrollment', { from: existing.enrollmentState, to: 'disabled', reason: 'consent withdrawn' });
      const row = await this.repo.deleteCamera(tx, id);
      if (!row) throw notFound('Camera');
      await audit('camera.delete', { name: row.name, kind: row.kind, retired: 'consent withdrawn' });
      return row;
    });
    this.deps.ctx.bus.publish('camera:deleted', { id, ownerUserId: deleted.ownerUserId });
  }

  async setEnrollment(actor: Actor, id: string, state: Camera['enrollmentState'], reason?: string): Promise<Camera> {
    assertStaff(actor.user, 'approve, reject or suspend cameras');
    const camera = await this.db.transaction(async (tx) => {
      const existing = await this.repo.findCamera(tx, id);
      if (!existing) throw notFound('Camera');
      const row = await this.repo.updateCamera(tx, id, existing.version, { enrollmentState: state, enrollmentReason: reason ?? null });
      if (!row) throw conflict('The camera changed meanwhile; retry.', { currentVersion: existing.version });
      await this.recordAudit(tx, actor.audit, {
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
