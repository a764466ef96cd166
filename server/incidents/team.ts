/**
 * Who works an incident and what it looks at: assigned investigators, cameras added by hand, and
 * the station each user belongs to. Same rules as service.ts: access checked again under the
 * incident's row lock, history and audit in the change's transaction.
 */
import type { Incident, IncidentCameraList, IncidentPerson } from '@common/incidents';
import { recordAudit } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import { UUID } from '@common/uuid';
import { badRequest, forbidden, notFound, type FieldError } from '@server/http/problem';
import type { FootageService } from './footage/service';
import { toPerson } from './mapper';
import * as repo from './repository';
import { historyActor, IncidentsService, type Actor } from './service';

export class IncidentTeamService extends IncidentsService {
  /** Footage requests and sharing (set once by buildIncidentsService). */
  footage!: FootageService;

  /** The incident's cameras, each with the sharing mode in force (on_request cameras need a footage request). */
  override async cameras(user: AuthUser, id: string): Promise<IncidentCameraList> {
    const list = await super.cameras(user, id);
    const modes = await this.footage.modes(list.items.map((c) => c.cameraId));
    return { ...list, items: list.items.map((c) => ({ ...c, sharing: modes.get(c.cameraId) ?? 'shared' })) };
  }

  /** Replaces the assigned investigators (each an enabled investigator). */
  async setAssignees(actor: Actor, id: string, userIds: string[]): Promise<Incident> {
    await this.access.check(actor.user, id, 'edit');
    const wanted = [...new Set(userIds)];
    const found = new Map((await repo.people(this.db, wanted)).map((p) => [p.id, p]));
    const errors: FieldError[] = [];
    userIds.forEach((u, i) => {
      const p = found.get(u);
      if (!p) errors.push({ field: `userIds.${i}`, message: 'no such user' });
      else if (p.role !== 'investigator' || p.disabled) errors.push({ field: `userIds.${i}`, message: 'must be an enabled investigator' });
    });
    if (errors.length) throw badRequest('Only enabled investigators can be assigned.', errors);
    await this.db.transaction(async (tx) => {
      const row = await this.access.check(actor.user, id, 'edit', tx, true);
      const current = (await repo.assignees(tx, [id])).map((p) => p.id);
      const added = wanted.filter((u) => !current.includes(u));
      const removed = current.filter((u) => !wanted.includes(u));
      if (!added.length && !removed.length) return;
      for (const u of added) await repo.addAssignee(tx, id, u, actor.user.id);
      for (const u of removed) await repo.removeAssignee(tx, id, u);
      await repo.updateIncident(tx, id, {});
      const names = async (ids: string[]) => (await repo.people(tx, ids)).map((p) => p.username).sort();
      const changes = { added: await names(added), removed: await names(removed) };
      await repo.addHistory(tx, id, historyActor(actor), 'assign', changes);
      await recordAudit(tx, actor.audit, { action: 'incident.assign', targetType: 'incident', targetId: id, details: { number: row.number, ...changes } });
    });
    return this.get(actor.user, id);
  }

  /** Adds a camera by hand (any camera the caller may see, wherever it is). */
  async addCamera(actor: Actor, id: string, cameraId: string): Promise<{ cameraId: string; manual: true; added: boolean }> {
    await this.access.check(actor.user, id, 'edit');
    const camera = await this.deps.finder.findCamera(actor.user, cameraId);
    if (!camera) throw badRequest('No such camera.', [{ field: 'cameraId', message: 'unknown camera' }]);
    const added = await this.db.transaction(async (tx) => {
      const row = await this.access.check(actor.user, id, 'edit', tx, true);
      if (!(await repo.addCamera(tx, id, cameraId, actor.user.id))) return false;
      const changes = { cameraId, name: camera.name };
      await repo.addHistory(tx, id, historyActor(actor), 'camera.add', changes);
      await recordAudit(tx, actor.audit, { action: 'incident.camera.add', targetType: 'incident', targetId: id, details: { number: row.number, ...changes } });
      return true;
    });
    return { cameraId, manual: true, added };
  }

  async removeCamera(actor: Actor, id: string, cameraId: string): Promise<void> {
    await this.access.check(actor.user, id, 'edit');
    await this.db.transaction(async (tx) => {
      const row = await this.access.check(actor.user, id, 'edit', tx, true);
      if (!(await repo.removeCamera(tx, id, cameraId))) throw notFound('Camera added by hand');
      await repo.addHistory(tx, id, historyActor(actor), 'camera.remove', { cameraId });
      await recordAudit(tx, actor.audit, { action: 'incident.camera.remove', targetType: 'incident', targetId: id, details: { number: row.number, cameraId } });
    });
  }

  /** Enabled investigators (the assignment picker), with their station. */
  async investigators(user: AuthUser): Promise<{ items: Array<IncidentPerson & { stationId: string | null }> }> {
    if (user.role === 'merchant') throw notFound('Investigators');
    return { items: (await repo.investigators(this.db)).map((p) => ({ ...toPerson(p), stationId: p.station_id })) };
  }

  async stationOfUser(user: AuthUser, userId: string): Promise<{ stationId: string | null }> {
    if (user.role !== 'admin' && user.id !== userId) throw forbidden('Only administrators see other users\' stations.');
    if (!UUID.test(userId)) throw notFound('User');
    return { stationId: await repo.stationOf(this.db, userId) };
  }

  /** Puts a user in a station (or none): admins only, audited. */
  async setStationOfUser(actor: Actor, userId: string, stationId: string | null): Promise<{ stationId: string | null }> {
    if (actor.user.role !== 'admin') throw forbidden('Only administrators assign users to stations.');
    const [person] = await repo.people(this.db, [userId]);
    if (!person) throw notFound('User');
    if (stationId && !(await repo.station(this.db, stationId))) throw badRequest('No such station.', [{ field: 'stationId', message: 'unknown station' }]);
    await this.db.transaction(async (tx) => {
      const before = await repo.stationOf(tx, userId);
      if (before === stationId) return;
      await repo.setStation(tx, userId, stationId);
      await recordAudit(tx, actor.audit, { action: 'user.station', targetType: 'user', targetId: userId, details: { username: person.username, from: before, to: stationId } });
    });
    return { stationId };
  }
}
