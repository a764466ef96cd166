/**
 * Saved walls: rules. A wall belongs to its owner (only they change or delete it; an administrator
 * may delete any). A shared wall is read by the staff of its station: merchants never see or
 * share one; a user without a station (county level: command centre, administrators) sees every
 * station's shared walls; a user with one sees that station's and may share only with it. Cameras
 * in a wall must be approved and visible to the writer; readers get null for cameras they may not
 * see (the tile stays empty, nothing about the camera shows). Sharing is audited in the write's
 * transaction: `wall.share` (shared, or moved to another station), `wall.unshare`, and the deletion
 * of a shared wall; private walls are the owner's own business.
 */
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import { badRequest, conflict, forbidden, HttpError, notFound, type FieldError } from '@server/http/problem';
import type { OnWritten, SharedScope, WallRepository, WallRow, WallValues } from './repository';
import type { Wall, WallInput, WallUpdate } from './schemas';

export interface WallPorts {
  /** The camera's enrollment state when `user` may see it, else null (the registry's rule). */
  camera(user: AuthUser, id: string): Promise<{ enrollmentState: string } | null>;
  /** The station a user belongs to; null when none (county level). Users carry no station yet. */
  stationOf(user: AuthUser): Promise<string | null>;
}

export const MAX_WALLS_PER_USER = 100;

/** The audit hook for a write: entries only where who may read the wall changed. */
function auditSharing(actor: AuditActor): OnWritten {
  return async (tx, { wallId, name, before, after }) => {
    const was = before?.shared ? before.stationId : null;
    const now = after?.shared ? after.stationId : null;
    if (was === now) return;
    const action = after === null ? 'wall.delete' : now === null ? 'wall.unshare' : 'wall.share';
    await recordAudit(tx, actor, { action, targetType: 'wall', targetId: wallId, details: { name, fromStationId: was, toStationId: now } });
  };
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export class WallsService {
  constructor(
    private readonly repo: WallRepository,
    private readonly ports: WallPorts,
    private readonly maxPerUser = MAX_WALLS_PER_USER,
  ) {}

  private async scopeOf(user: AuthUser): Promise<SharedScope> {
    if (user.role === 'merchant') return { kind: 'none' };
    const station = await this.ports.stationOf(user);
    return station ? { kind: 'station', stationId: station } : { kind: 'all' };
  }

  /** Per request: whether `user` may see each camera (one registry lookup per distinct id). */
  private visibility(user: AuthUser) {
    const seen = new Map<string, Promise<{ enrollmentState: string } | null>>();
    return (id: string) => {
      let p = seen.get(id);
      if (!p) {
        p = this.ports.camera(user, id).catch((e: unknown) => {
          if (e instanceof HttpError && (e.status === 404 || e.status === 403)) return null;
          throw e;
        });
        seen.set(id, p);
      }
      return p;
    };
  }

  private async present(user: AuthUser, row: WallRow, see: ReturnType<WallsService['visibility']>): Promise<Wall> {
    const cameras = await Promise.all(row.cameras.map(async (id) => (id && (await see(id)) ? id : null)));
    return {
      id: row.id,
      name: row.name,
      layout: row.layout,
      mode: row.mode as Wall['mode'],
      cameras,
      shared: row.shared,
      stationId: row.station_id,
      owner: { id: row.owner_user_id, name: row.owner_name },
      mine: row.owner_user_id === user.id,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      version: row.version,
    };
  }

  async list(user: AuthUser): Promise<Wall[]> {
    const rows = await this.repo.listVisible(user.id, await this.scopeOf(user));
    const see = this.visibility(user);
    return Promise.all(rows.map((r) => this.present(user, r, see)));
  }

  async get(user: AuthUser, id: string): Promise<Wall> {
    const row = await this.repo.findVisible(id, user.id, await this.scopeOf(user));
    if (!row) throw notFound('Wall');
    return this.present(user, row, this.visibility(user));
  }

  /** Checks a wall's content against the writer's rights; field errors name what is wrong. */
  private async values(user: AuthUser, input: WallInput): Promise<WallValues> {
    const errors: FieldError[] = [];
    if (input.cameras.length > input.layout) errors.push({ field: 'cameras', message: `has more cameras than the layout's ${input.layout} tiles` });
    const see = this.visibility(user);
    const seen = new Set<string>();
    await Promise.all(
      input.cameras.map(async (id, i) => {
        if (id === null) return;
        if (seen.has(id)) return errors.push({ field: `cameras.${i}`, message: 'is already on this wall' });
        seen.add(id);
        const cam = await see(id);
        if (!cam) errors.push({ field: `cameras.${i}`, message: 'camera does not exist or you may not see it' });
        else if (cam.enrollmentState !== 'approved') errors.push({ field: `cameras.${i}`, message: 'camera is not approved (pending, rejected or suspended cameras are not put on a wall)' });
      }),
    );
    if (input.shared && input.stationId === null) errors.push({ field: 'stationId', message: 'is required to share a wall' });
    if (errors.length) throw badRequest('The wall cannot be saved like this.', errors.sort((a, b) => a.field.localeCompare(b.field)));
    if (input.shared) {
      if (user.role === 'merchant') throw forbidden('Merchants cannot share walls.');
      const own = await this.ports.stationOf(user);
      if (own && own !== input.stationId) throw forbidden('You may share walls only with your own station.');
    }
    return { name: input.name, layout: input.layout, mode: input.mode, cameras: input.cameras, shared: input.shared, stationId: input.stationId };
  }

  private refused(reason: 'limit' | 'duplicate' | 'no_station' | 'missing' | 'version'): HttpError {
    switch (reason) {
      case 'limit':
        return conflict(`You have ${this.maxPerUser} saved walls already; delete one first.`);
      case 'duplicate':
        return conflict('You already have a wall with this name.');
      case 'no_station':
        return badRequest('The station does not exist.', [{ field: 'stationId', message: 'no such station' }]);
      case 'missing':
        return notFound('Wall');
      case 'version':
        return conflict('The wall was changed meanwhile; reload it and try again.');
    }
  }

  async create(user: AuthUser, input: WallInput, audit: AuditActor): Promise<Wall> {
    const values = await this.values(user, input);
    const r = await this.repo.create(user.id, values, this.maxPerUser, auditSharing(audit));
    if (!r.ok) throw this.refused(r.reason);
    return this.present(user, r.row, this.visibility(user));
  }

  /** The owner replaces their wall; a reader of a shared wall gets 403, anyone else 404. */
  async update(user: AuthUser, id: string, input: WallUpdate, audit: AuditActor): Promise<Wall> {
    const visible = await this.repo.findVisible(id, user.id, await this.scopeOf(user));
    if (!visible) throw notFound('Wall');
    if (visible.owner_user_id !== user.id) throw forbidden('Only its owner may change a wall.');
    const values = await this.values(user, input);
    const r = await this.repo.update(id, user.id, input.version, values, auditSharing(audit));
    if (!r.ok) throw this.refused(r.reason);
    return this.present(user, r.row, this.visibility(user));
  }

  async delete(user: AuthUser, id: string, audit: AuditActor): Promise<void> {
    const visible = await this.repo.findVisible(id, user.id, await this.scopeOf(user));
    if (!visible) throw notFound('Wall');
    const admin = user.role === 'admin';
    if (visible.owner_user_id !== user.id && !admin) throw forbidden('Only its owner may delete a wall.');
    if (!(await this.repo.delete(id, admin ? null : user.id, auditSharing(audit)))) throw notFound('Wall');
  }
}
