/**
 * Incident rules: numbering per station and year (atomic under parallel creates), who may create,
 * see and change what (access.ts, checked on every path and again under the row lock), and every
 * change kept twice in its transaction: in the incident's history and in the audit log.
 * Assignees, cameras by hand and station membership live in team.ts.
 */
import type { Clock } from '@common/clock';
import { INCIDENT_STATUSES, type Incident, type IncidentCameraList, type IncidentHistoryEntry, type IncidentList, type IncidentMeta } from '@common/incidents';
import type { Config } from '@config/schema';
import type { AuditActor } from '@server/audit/audit-repository';
import { recordAudit } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import { decodeCursor, encodeCursor } from '@server/cameras/cursor';
import type { Database, Db } from '@server/db/database';
import { badRequest, conflict, forbidden, type FieldError } from '@server/http/problem';
import { IncidentAccessControl, notFoundIncident } from './access';
import type { IncidentCameraFinder } from './cameras';
import { toHistory, toIncident } from './mapper';
import { formatNumber, numberScope, yearIn } from './numbering';
import * as repo from './repository';
import type { IncidentRow, PatchField } from './repository';
import type { CreateIncidentInput, ListQuery, PatchIncidentInput } from './schemas';

export interface Actor {
  user: AuthUser;
  audit: AuditActor;
}

export interface IncidentsDeps {
  database: Pick<Database, 'db'>;
  config: Pick<Config, 'incidents'>;
  clock: Clock;
  finder: IncidentCameraFinder;
}

export const historyActor = (a: Actor) => ({ id: a.user.id, name: a.user.username });

export class IncidentsService {
  readonly access: IncidentAccessControl;

  constructor(protected readonly deps: IncidentsDeps) {
    this.access = new IncidentAccessControl(() => this.db);
  }

  protected get db(): Db {
    return this.deps.database.db;
  }

  meta(): IncidentMeta {
    const c = this.deps.config.incidents;
    return { categories: [...c.categories], statuses: [...INCIDENT_STATUSES], maxRadius: c.maxRadius };
  }

  /** Rules that need config: category, radius, window. */
  protected ruleErrors(v: { category?: string; radius?: number; from?: Date; to?: Date }): FieldError[] {
    const c = this.deps.config.incidents;
    const errors: FieldError[] = [];
    if (v.category !== undefined && !c.categories.includes(v.category)) errors.push({ field: 'category', message: `must be one of ${c.categories.join(', ')}` });
    if (v.radius !== undefined && v.radius > c.maxRadius) errors.push({ field: 'radius', message: `at most ${c.maxRadius} metres` });
    if (v.from && v.to) {
      if (v.to.getTime() <= v.from.getTime()) errors.push({ field: 'to', message: 'must be after from' });
      else if (v.to.getTime() - v.from.getTime() > c.maxWindow) errors.push({ field: 'to', message: `the window may span at most ${Math.round(c.maxWindow / 3_600_000)} hours` });
    }
    return errors;
  }

  protected async withAssignees(rows: IncidentRow[], db: Db = this.db): Promise<Incident[]> {
    const people = await repo.assignees(db, rows.map((r) => r.id));
    return rows.map((r) => toIncident(r, people.filter((p) => p.incident_id === r.id)));
  }

  async get(user: AuthUser, id: string): Promise<Incident> {
    const row = await this.access.check(user, id, 'view');
    return (await this.withAssignees([row]))[0]!;
  }

  async list(user: AuthUser, q: ListQuery): Promise<IncidentList> {
    if (user.role === 'merchant') throw notFoundIncident();
    const after = q.cursor ? decodeCursor(q.cursor, 'c') : undefined;
    const rows = await repo.listIncidents(
      this.db,
      await this.access.visibilityOf(user),
      {
        status: q.status,
        category: q.category,
        stationId: q.stationId,
        assignedTo: q.assigned === 'me' ? user.id : undefined,
        q: q.q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      q.limit + 1,
      after,
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: await this.withAssignees(page), nextCursor: rows.length > q.limit && last ? encodeCursor({ k: 'c', t: last.sort_ts, id: last.id }) : null };
  }

  /** The station a new incident belongs to: as asked (staff any, investigators their own), else the creator's, else the nearest camera's. */
  protected async stationFor(user: AuthUser, asked: string | null | undefined, where: { lat: number; lon: number; radius: number }): Promise<string | null> {
    const mine = await this.access.stationOf(user);
    if (asked !== undefined && asked !== null) {
      if (!(await repo.station(this.db, asked))) throw badRequest('No such station.', [{ field: 'stationId', message: 'unknown station' }]);
      if (user.role === 'investigator' && asked !== mine) throw forbidden('Investigators create incidents for their own station only.');
      return asked;
    }
    if (asked === null) return null;
    return mine ?? (await this.deps.finder.nearestStation(user, where));
  }

  async create(actor: Actor, input: CreateIncidentInput): Promise<Incident> {
    const { user } = actor;
    if (user.role === 'merchant') throw notFoundIncident();
    const from = new Date(input.from);
    const to = new Date(input.to);
    const errors = this.ruleErrors({ category: input.category, radius: input.radius, from, to });
    if (errors.length) throw badRequest('The incident may not be created like this.', errors);
    const where = { lat: input.location.lat, lon: input.location.lon, radius: input.radius };
    const stationId = await this.stationFor(user, input.stationId, where);
    const cfg = this.deps.config.incidents;
    const id = await this.db.transaction(async (tx) => {
      const prefix = stationId ? ((await repo.station(tx, stationId))?.name ?? cfg.numberPrefix) : cfg.numberPrefix;
      const year = yearIn(this.deps.clock.now(), cfg.numberTimeZone);
      const number = formatNumber(prefix, year, await repo.nextNumber(tx, numberScope(stationId), year));
      const values = {
        number,
        stationId,
        category: input.category,
        title: input.title,
        description: input.description ?? '',
        from,
        to,
        ...where,
        address: input.location.address ?? input.address ?? null,
        createdBy: user.id,
      };
      const newId = await repo.insertIncident(tx, values);
      // An investigator's own incident stays theirs even without a station.
      if (user.role === 'investigator') await repo.addAssignee(tx, newId, user.id, user.id);
      const details = { number, title: values.title, category: values.category, stationId, from: from.toISOString(), to: to.toISOString(), lat: values.lat, lon: values.lon, radius: values.radius };
      await repo.addHistory(tx, newId, historyActor(actor), 'create', details);
      await recordAudit(tx, actor.audit, { action: 'incident.create', targetType: 'incident', targetId: newId, details });
      return newId;
    });
    return this.get(user, id);
  }

  async update(actor: Actor, id: string, patch: PatchIncidentInput): Promise<Incident> {
    const { user } = actor;
    await this.access.check(user, id, 'edit');
    if (patch.stationId !== undefined && user.role !== 'admin' && user.role !== 'operator') throw forbidden('Only administrators and operators move incidents to another station.');
    if (patch.stationId && !(await repo.station(this.db, patch.stationId))) throw badRequest('No such station.', [{ field: 'stationId', message: 'unknown station' }]);
    const rowAfter = await this.db.transaction(async (tx) => {
      const row = await this.access.check(user, id, 'edit', tx, true);
      if (patch.version !== undefined && patch.version !== Number(row.version)) {
        throw conflict(`The incident changed since you read it (your version ${patch.version}, now ${row.version}); reload and retry.`, { currentVersion: Number(row.version) });
      }
      const next: Partial<Record<PatchField, unknown>> = {
        title: patch.title,
        category: patch.category,
        description: patch.description,
        status: patch.status,
        from: patch.from ? new Date(patch.from) : undefined,
        to: patch.to ? new Date(patch.to) : undefined,
        lat: patch.location?.lat,
        lon: patch.location?.lon,
        address: patch.location && patch.location.address !== undefined ? patch.location.address : undefined,
        radius: patch.radius,
        stationId: patch.stationId,
      };
      const errors = this.ruleErrors({
        category: patch.category,
        radius: patch.radius,
        from: (next.from as Date | undefined) ?? new Date(row.from_at),
        to: (next.to as Date | undefined) ?? new Date(row.to_at),
      });
      if (errors.length) throw badRequest('The incident may not be changed like this.', errors);
      const changes = diff(row, next);
      if (!Object.keys(changes).length) return row;
      const set = Object.fromEntries(Object.keys(changes).map((k) => [k, next[k as PatchField]]));
      await repo.updateIncident(tx, id, set);
      await repo.addHistory(tx, id, historyActor(actor), 'update', changes);
      await recordAudit(tx, actor.audit, { action: 'incident.update', targetType: 'incident', targetId: id, details: { number: row.number, changes } });
      return (await repo.findIncident(tx, id))!;
    });
    return (await this.withAssignees([rowAfter]))[0]!;
  }

  async history(user: AuthUser, id: string): Promise<{ items: IncidentHistoryEntry[] }> {
    await this.access.check(user, id, 'view');
    return { items: (await repo.history(this.db, id)).map(toHistory) };
  }

  async cameras(user: AuthUser, id: string): Promise<IncidentCameraList> {
    const row = await this.access.check(user, id, 'view');
    const manual = await repo.manualCameras(this.db, id);
    return this.deps.finder.list(user, { lat: Number(row.lat), lon: Number(row.lon), radius: Number(row.radius_m), from: new Date(row.from_at), to: new Date(row.to_at) }, manual);
  }
}

const CURRENT: Record<PatchField, (r: IncidentRow) => unknown> = {
  title: (r) => r.title,
  category: (r) => r.category,
  description: (r) => r.description,
  status: (r) => r.status,
  from: (r) => new Date(r.from_at).toISOString(),
  to: (r) => new Date(r.to_at).toISOString(),
  lat: (r) => Number(r.lat),
  lon: (r) => Number(r.lon),
  address: (r) => r.address,
  radius: (r) => Number(r.radius_m),
  stationId: (r) => r.station_id,
};

/** field -> {from, to} for every field the patch really changes. */
export function diff(row: IncidentRow, next: Partial<Record<PatchField, unknown>>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(CURRENT) as PatchField[]) {
    const v = next[k];
    if (v === undefined) continue;
    const to = v instanceof Date ? v.toISOString() : v;
    const from = CURRENT[k](row);
    if (from !== to) out[k] = { from, to };
  }
  return out;
}
