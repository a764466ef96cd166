/**
 * Alarm rules: who sees which alarms, acknowledgement (audited, once), raise and resolve (each
 * with its webhook event in the same transaction, then pushed on the bus after commit).
 *
 * Visibility follows the camera registry: admins, operators and investigators see every alarm;
 * a merchant sees the alarms of their own cameras (without the operator's note or name). Only
 * admins and operators acknowledge: an alarm is the monitoring room's to close, not the shop's.
 */
import type { Alarm } from '@common/alarms';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import type { Database, Db } from '@server/db/database';
import { conflict, forbidden, notFound } from '@server/http/problem';
import type { EventBus } from '@server/realtime/bus';
import { countByOwner, eachOrSummary } from '@server/realtime/burst';
import type { AlarmRecord, AlarmsRepository, NewAlarm } from './repository';

export interface AlarmActor {
  user: AuthUser;
  audit: AuditActor;
}

export interface AlarmsServiceDeps {
  database: Pick<Database, 'db'>;
  repo: AlarmsRepository;
  bus: Pick<EventBus, 'publish'>;
  /** Whether a webhook is configured (events go to the outbox only then). */
  webhook: boolean;
  /** Called after an event was queued for the webhook (kicks its delivery loop). */
  onQueued?(): void;
}

export type WebhookEvent = 'alarm.raised' | 'alarm.acknowledged' | 'alarm.resolved';

export const LIST_LIMIT = 500;
/** Alarms raised or resolved in one transaction. */
const BATCH = 500;

/** The API shape: merchants get neither the note nor who acknowledged. */
export function alarmView(user: Pick<AuthUser, 'role'> | null, r: AlarmRecord): Alarm {
  const merchant = user?.role === 'merchant';
  return {
    id: r.id,
    cameraId: r.cameraId,
    cameraName: r.cameraName,
    kind: r.kind,
    since: r.since,
    raisedAt: r.raisedAt,
    resolvedAt: r.resolvedAt,
    acknowledgedAt: r.acknowledgedAt,
    acknowledgedBy: merchant ? null : r.acknowledgedBy,
    note: merchant ? null : r.note,
  };
}

const canAcknowledge = (u: AuthUser) => u.role === 'admin' || u.role === 'operator';
const ownerScope = (u: AuthUser) => (u.role === 'merchant' ? u.id : undefined);

export class AlarmsService {
  constructor(private readonly deps: AlarmsServiceDeps) {}

  async list(user: AuthUser, state: 'open' | 'all'): Promise<Alarm[]> {
    const rows = await this.deps.repo.list({ open: state === 'open', ownerUserId: ownerScope(user), limit: LIST_LIMIT });
    return rows.map((r) => alarmView(user, r));
  }

  /** 404 when the user may not see it, 403 for roles that may not acknowledge, 409 when already acknowledged. */
  async acknowledge(actor: AlarmActor, id: string, note: string | null): Promise<Alarm> {
    const { user } = actor;
    const { repo } = this.deps;
    const visible = await repo.get(this.deps.database.db, id, ownerScope(user));
    if (!visible) throw notFound('Alarm');
    if (!canAcknowledge(user)) throw forbidden('Only administrators and operators may acknowledge alarms.');
    const after = await this.deps.database.db.transaction(async (tx) => {
      if (!(await repo.acknowledge(tx, id, user.id, note))) return null;
      const r = (await repo.get(tx, id))!;
      await recordAudit(tx, actor.audit, { action: 'alarm.acknowledge', targetType: 'alarm', targetId: id, details: { cameraId: r.cameraId, kind: r.kind, raisedAt: r.raisedAt, note } });
      await this.queue(tx, 'alarm.acknowledged', [r]);
      return r;
    });
    if (!after) throw conflict('This alarm was already acknowledged.');
    this.published('alarm:updated', after);
    return alarmView(user, after);
  }

  /** Raises an alarm once per outage; null when it already exists (another pass or process raised it). */
  async raise(a: NewAlarm): Promise<AlarmRecord | null> {
    return (await this.raiseAll([a]))[0] ?? null;
  }

  /** The camera is back (or recording resumed): the alarm stays listed until acknowledged. */
  async resolve(id: string): Promise<AlarmRecord | null> {
    return (await this.resolveAll([id]))[0] ?? null;
  }

  /**
   * raise() for many (a county-wide outage raises 100,000 at once): BATCH alarms a transaction,
   * each with its webhook event; returns those raised (not already there).
   */
  raiseAll(alarms: readonly NewAlarm[]): Promise<AlarmRecord[]> {
    return this.inBatches(alarms, 'alarm.raised', (tx, batch) => this.deps.repo.insertMany(tx, batch));
  }

  /** resolve() for many; returns those resolved now (not already resolved). */
  resolveAll(ids: readonly string[]): Promise<AlarmRecord[]> {
    return this.inBatches(ids, 'alarm.resolved', (tx, batch) => this.deps.repo.resolveMany(tx, batch));
  }

  private async inBatches<T>(items: readonly T[], event: 'alarm.raised' | 'alarm.resolved', write: (tx: Db, batch: readonly T[]) => Promise<string[]>): Promise<AlarmRecord[]> {
    const { repo } = this.deps;
    const done: AlarmRecord[] = [];
    try {
      for (let i = 0; i < items.length; i += BATCH) {
        const batch = items.slice(i, i + BATCH);
        done.push(
          ...(await this.deps.database.db.transaction(async (tx) => {
            const records = await repo.getMany(tx, await write(tx, batch));
            await this.queue(tx, event, records);
            return records;
          })),
        );
      }
    } finally {
      // What committed is announced even when a later batch failed.
      this.announce(event, done);
    }
    return done;
  }

  private async queue(tx: Db, event: WebhookEvent, records: readonly AlarmRecord[]): Promise<void> {
    if (!this.deps.webhook) return;
    const occurredAt = new Date().toISOString();
    await this.deps.repo.enqueue(tx, records.map((r) => ({ alarmId: r.id, event, payload: { type: event, occurredAt, alarm: { ...alarmView(null, r), cause: r.cause } } })));
  }

  /**
   * A few changes go out one event per alarm; many (an outage across the county) as one
   * 'alarms:changed' summary, each owner counted apart: consoles reload their list once.
   */
  private announce(event: 'alarm.raised' | 'alarm.resolved', records: readonly AlarmRecord[]): void {
    const raised = event === 'alarm.raised';
    eachOrSummary(
      records,
      (r) => this.published(raised ? 'alarm:raised' : 'alarm:updated', r),
      (all) => {
        this.deps.bus.publish('alarms:changed', { change: raised ? 'raised' : 'resolved', count: all.length, byOwner: countByOwner(all) });
        if (this.deps.webhook) this.deps.onQueued?.();
      },
    );
  }

  private published(name: 'alarm:raised' | 'alarm:updated', r: AlarmRecord): void {
    this.deps.bus.publish(name, { alarm: alarmView(null, r), ownerUserId: r.ownerUserId });
    if (this.deps.webhook) this.deps.onQueued?.();
  }
}
