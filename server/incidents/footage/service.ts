/**
 * Footage requests: an investigator asks a household or shopfront camera's owner for one range of
 * its recordings for one incident; the owner approves or declines in their portal (socket.io
 * `footage:request`); approval releases exactly that range for that incident (gate.ts). Owners see
 * the request, never the incident. Every step audited, and kept in the incident's history.
 */
import type { FootageAccess, FootageRequest, SharingMode } from '@common/incidents';
import type { Config } from '@config/schema';
import { recordAudit } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import type { Database, Db } from '@server/db/database';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '@server/http/problem';
import type { EventBus } from '@server/realtime/bus';
import type { IncidentAccessControl } from '../access';
import * as incidents from '../repository';
import type { Actor } from '../service';
import { effectiveMode, FootageGateImpl } from './gate';
import * as repo from './repository';
import type { RequestRow } from './repository';

export interface FootageDeps {
  database: Pick<Database, 'db'>;
  config: Pick<Config, 'incidents'>;
  bus: Pick<EventBus, 'publish'>;
  access: IncidentAccessControl;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function toRequest(r: RequestRow, withIncident: boolean): FootageRequest {
  return {
    id: r.id,
    cameraId: r.camera_id,
    cameraName: r.camera_name,
    from: iso(r.from_at),
    to: iso(r.to_at),
    reason: r.reason,
    status: r.status as FootageRequest['status'],
    requestedBy: r.requested_by_name,
    requestedAt: iso(r.requested_at),
    decidedAt: r.decided_at ? iso(r.decided_at) : null,
    decisionNote: r.decision_note,
    incident: withIncident ? { id: r.incident_id, number: r.incident_number, title: r.incident_title } : null,
  };
}

export class FootageService {
  readonly gate: FootageGateImpl;

  constructor(private readonly deps: FootageDeps) {
    this.gate = new FootageGateImpl(() => this.db);
  }

  private get db(): Db {
    return this.deps.database.db;
  }

  /** The camera as `user` may see it for sharing: merchants only their own (404 otherwise). */
  private async ownCamera(user: AuthUser, cameraId: string) {
    const cam = await repo.camera(this.db, cameraId);
    if (!cam || (user.role === 'merchant' && cam.owner_user_id !== user.id)) throw notFound('Camera');
    return cam;
  }

  async sharing(user: AuthUser, cameraId: string): Promise<{ mode: SharingMode }> {
    return { mode: effectiveMode(await this.ownCamera(user, cameraId)) };
  }

  /** The owner (or staff recording the owner's choice at enrollment) sets the camera's sharing mode. */
  async setSharing(actor: Actor, cameraId: string, mode: SharingMode): Promise<{ mode: SharingMode }> {
    const { user } = actor;
    const cam = await this.ownCamera(user, cameraId);
    if (user.role === 'investigator') throw forbidden("Investigators do not choose a camera's sharing mode; its owner does.");
    if (cam.kind === 'road') throw badRequest('Road cameras are police cameras and always shared.', [{ field: 'mode', message: 'road cameras are always shared' }]);
    await this.db.transaction(async (tx) => {
      await repo.setMode(tx, cameraId, mode, user.id);
      await recordAudit(tx, actor.audit, { action: 'camera.sharing', targetType: 'camera', targetId: cameraId, details: { from: effectiveMode(cam), to: mode } });
    });
    return { mode };
  }

  async request(actor: Actor, incidentId: string, body: { cameraId: string; from: string; to: string; reason?: string }): Promise<FootageRequest> {
    const { user } = actor;
    await this.deps.access.check(user, incidentId, 'edit');
    const from = new Date(body.from);
    const to = new Date(body.to);
    const errors: FieldError[] = [];
    if (to.getTime() <= from.getTime()) errors.push({ field: 'to', message: 'must be after from' });
    else if (to.getTime() - from.getTime() > this.deps.config.incidents.maxWindow) errors.push({ field: 'to', message: 'range too long' });
    const cam = await repo.camera(this.db, body.cameraId);
    if (!cam) errors.push({ field: 'cameraId', message: 'unknown camera' });
    if (errors.length) throw badRequest('The footage request is not valid.', errors);
    const mode = effectiveMode(cam!);
    if (mode === 'shared') throw conflict('This camera is shared: its recordings need no request.', { mode });
    if (mode === 'live_only') throw conflict('The owner shares this camera live only; recordings cannot be requested.', { mode });
    const id = await this.db.transaction(async (tx) => {
      const row = await this.deps.access.check(user, incidentId, 'edit', tx, true);
      const newId = await repo.insertRequest(tx, { incidentId, cameraId: cam!.id, from, to, reason: body.reason ?? '', by: user.id });
      const details = { requestId: newId, cameraId: cam!.id, name: cam!.name, from: from.toISOString(), to: to.toISOString() };
      await incidents.addHistory(tx, incidentId, { id: user.id, name: user.username }, 'footage.request', details);
      await recordAudit(tx, actor.audit, { action: 'footage.request', targetType: 'incident', targetId: incidentId, details: { number: row.number, ...details } });
      return newId;
    });
    const r = (await repo.findRequest(this.db, id))!;
    if (r.owner_user_id) this.deps.bus.publish('footage:request', { ownerUserId: r.owner_user_id, request: toRequest(r, false) });
    return toRequest(r, true);
  }

  async forIncident(user: AuthUser, incidentId: string): Promise<{ items: FootageRequest[] }> {
    await this.deps.access.check(user, incidentId, 'view');
    return { items: (await repo.byIncident(this.db, incidentId)).map((r) => toRequest(r, true)) };
  }

  /** Owners: requests on their cameras (without the incident); admins: every request. */
  async incoming(user: AuthUser, status?: string): Promise<{ items: FootageRequest[] }> {
    if (user.role === 'merchant') return { items: (await repo.byOwner(this.db, user.id, status)).map((r) => toRequest(r, false)) };
    if (user.role === 'admin') return { items: (await repo.byOwner(this.db, null, status)).map((r) => toRequest(r, true)) };
    throw forbidden('Footage requests are answered by camera owners (and administrators).');
  }

  /** The owner approves or declines a pending request (admins only for cameras without an owner account). */
  async decide(actor: Actor, requestId: string, decision: 'approve' | 'decline', note: string | null): Promise<FootageRequest> {
    const { user } = actor;
    const r = await repo.findRequest(this.db, requestId);
    const owner = !!r && r.owner_user_id === user.id;
    if (!r || (user.role === 'merchant' && !owner)) throw notFound('Footage request');
    if (!owner && !(user.role === 'admin' && r.owner_user_id === null)) throw forbidden("Only the camera's owner answers this request.");
    const status = decision === 'approve' ? 'approved' : 'declined';
    await this.db.transaction(async (tx) => {
      if (!(await repo.decide(tx, requestId, status, user.id, note))) throw conflict('The request was already answered.');
      const details = { requestId, cameraId: r.camera_id, from: iso(r.from_at), to: iso(r.to_at), note };
      await incidents.addHistory(tx, r.incident_id, { id: user.id, name: user.username }, `footage.${status}`, details);
      await recordAudit(tx, actor.audit, { action: `footage.${status}`, targetType: 'footage_request', targetId: requestId, details: { incidentId: r.incident_id, ...details } });
    });
    const after = (await repo.findRequest(this.db, requestId))!;
    if (after.requested_by) this.deps.bus.publish('footage:decided', { requestedBy: after.requested_by, request: toRequest(after, true) });
    return toRequest(after, user.role !== 'merchant');
  }

  /** The sharing mode in force for each camera. */
  async modes(cameraIds: string[]): Promise<Map<string, SharingMode>> {
    return new Map((await repo.modes(this.db, cameraIds)).map((c) => [c.id, effectiveMode(c)]));
  }

  /** GET /incidents/{id}/footage-access: whether this incident may use the camera's range. */
  async accessFor(user: AuthUser, incidentId: string, cameraId: string, from: Date, to: Date): Promise<FootageAccess> {
    await this.deps.access.check(user, incidentId, 'view');
    return this.gate.check(incidentId, cameraId, from, to);
  }

  /**
   * GET /cameras/{id}/playback: the range `user` may replay. Outside an incident: road and shared
   * cameras and the owner's own; inside one the user may see (`incidentId`): what it was released.
   */
  async replay(user: AuthUser, cameraId: string, from: Date, to: Date, incidentId: string | null): Promise<{ from: Date; to: Date } | { refused: string }> {
    if (!incidentId) {
      const refused = await this.gate.replayable(user, cameraId);
      return refused ? { refused } : { from, to };
    }
    await this.deps.access.check(user, incidentId, 'view');
    return this.gate.replayRange(incidentId, cameraId, from, to);
  }
}
