/**
 * The only owner of the alarms and alarm_outbox tables' SQL, and the reads of camera status
 * history the evaluator needs. Methods taking `tx` join the caller's transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Alarm, AlarmKind } from '@common/alarms';
import { statusKeySql } from '@server/cameras/repository';
import { byCamera, queryRows, type Db } from '@server/db/database';
import { TROUBLE_STATUSES, STATUS_ALARM_KINDS, type HistoryRow } from './outage';

export type AlarmFamily = 'status' | 'recording';

export interface AlarmRecord extends Alarm {
  family: AlarmFamily;
  ownerUserId: string | null;
  cause: string | null;
}

interface AlarmRow {
  id: string;
  camera_id: string;
  camera_name: string | null;
  owner_user_id: string | null;
  family: AlarmFamily;
  kind: AlarmKind;
  since: Date | string;
  raised_at: Date | string;
  resolved_at: Date | string | null;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  ack_note: string | null;
  cause: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

const toRecord = (r: AlarmRow): AlarmRecord => ({
  id: r.id,
  cameraId: r.camera_id,
  cameraName: r.camera_name ?? '',
  ownerUserId: r.owner_user_id,
  family: r.family,
  kind: r.kind,
  since: iso(r.since),
  raisedAt: iso(r.raised_at),
  resolvedAt: isoOrNull(r.resolved_at),
  acknowledgedAt: isoOrNull(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by_name,
  note: r.ack_note,
  cause: r.cause,
});

const SELECT_ALARM = sql`SELECT a.id, a.camera_id, c.name AS camera_name, c.owner_user_id, a.family, a.kind, a.since, a.raised_at, a.resolved_at,
  a.acknowledged_at, a.acknowledged_by, u.username AS acknowledged_by_name, a.ack_note, a.cause
  FROM alarms a JOIN cameras c ON c.id = a.camera_id LEFT JOIN users u ON u.id = a.acknowledged_by`;

export type UnresolvedAlarm = Pick<AlarmRecord, 'id' | 'cameraId' | 'kind'> & { sinceMs: number };

export interface TroubledCamera {
  id: string;
  status: string;
  /** statusKeySql: changes with every status history row the camera gets. */
  statusKey: string;
}

export interface NewAlarm {
  cameraId: string;
  family: AlarmFamily;
  kind: AlarmKind;
  since: Date;
  raisedAt: Date;
  cause: string | null;
}

export interface OutboxRow {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
}

const TROUBLE = sql.param([...TROUBLE_STATUSES]);
const SPECIFIC = sql.param([...STATUS_ALARM_KINDS]);

export class AlarmsRepository {
  constructor(private readonly db: Db) {}

  /** The database's clock (history times are written with it). */
  async now(): Promise<Date> {
    const [r] = await queryRows<{ now: Date | string }>(this.db, sql`SELECT now() AS now`);
    return new Date(r!.now);
  }

  /** Approved cameras whose current status is a trouble status, with a key that changes with every status history row they get. */
  troubledCameras(): Promise<TroubledCamera[]> {
    return queryRows<TroubledCamera>(
      this.db,
      sql`SELECT id, status, ${sql.raw(statusKeySql())} AS "statusKey" FROM cameras WHERE enrollment_state = 'approved' AND status = ANY(${TROUBLE}::text[])`,
    );
  }

  /**
   * Per camera, the first status row (other than starting) of its current run of trouble statuses
   * and the latest specific one (offline, auth_failed, unreachable, stalled) in it, oldest first:
   * enough for outageOf(). One query for many cameras.
   */
  async outageRowsOf(cameraIds: readonly string[]): Promise<Map<string, HistoryRow[]>> {
    const after = sql`(SELECT at, id FROM camera_status_history WHERE camera_id = w.id AND NOT (status = ANY(${TROUBLE}::text[])) ORDER BY at DESC, id DESC LIMIT 1)`;
    const inRun = sql`camera_id = w.id AND (NOT EXISTS ${after} OR (at, id) > ${after})`;
    const rows = await queryRows<{ camera_id: string; status: string; cause: string | null; at: Date | string }>(
      this.db,
      sql`SELECT w.id AS camera_id, r.status, r.cause, r.at
          FROM unnest(${sql.param([...cameraIds])}::uuid[]) AS w(id)
          CROSS JOIN LATERAL (
            (SELECT status, cause, at, id FROM camera_status_history WHERE ${inRun} AND status <> 'starting' ORDER BY at, id LIMIT 1)
            UNION ALL
            (SELECT status, cause, at, id FROM camera_status_history WHERE ${inRun} AND status = ANY(${SPECIFIC}::text[]) ORDER BY at DESC, id DESC LIMIT 1)) r
          ORDER BY w.id, r.at, r.id`,
    );
    return byCamera(rows, (r) => ({ status: r.status, cause: r.cause, at: new Date(r.at) }));
  }

  /** Unresolved alarms of a family, what the evaluator compares (every pass, so no more: a county-wide outage leaves 100,000 open). */
  async unresolved(family: AlarmFamily): Promise<UnresolvedAlarm[]> {
    const rows = await queryRows<{ id: string; camera_id: string; kind: string; since_ms: number | string }>(
      this.db,
      sql`SELECT id, camera_id, kind, floor(extract(epoch FROM since) * 1000)::float8 AS since_ms FROM alarms WHERE family = ${family} AND resolved_at IS NULL`,
    );
    return rows.map((r) => ({ id: r.id, cameraId: r.camera_id, kind: r.kind as AlarmRecord['kind'], sinceMs: Number(r.since_ms) }));
  }

  /**
   * Raises alarms, one statement for many: each unless its outage already has one or its camera
   * has an unresolved one of that family (the unique indexes). Returns the ids of those inserted.
   */
  async insertMany(tx: Db, alarms: readonly NewAlarm[]): Promise<string[]> {
    if (alarms.length === 0) return [];
    const col = <T>(f: (a: NewAlarm) => T) => sql.param(alarms.map(f));
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO alarms (camera_id, family, kind, since, raised_at, cause)
          SELECT * FROM unnest(${col((a) => a.cameraId)}::uuid[], ${col((a) => a.family)}::text[], ${col((a) => a.kind)}::text[],
                               ${col((a) => a.since.toISOString())}::timestamptz[], ${col((a) => a.raisedAt.toISOString())}::timestamptz[], ${col((a) => a.cause)}::text[])
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    return rows.map((r) => r.id);
  }

  /** Resolves those of `ids` still unresolved; returns their ids. */
  async resolveMany(tx: Db, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<{ id: string }>(tx, sql`UPDATE alarms SET resolved_at = now() WHERE id = ANY(${sql.param([...ids])}::uuid[]) AND resolved_at IS NULL RETURNING id`);
    return rows.map((r) => r.id);
  }

  /** Acknowledges an unacknowledged alarm; false when it already was (or does not exist). */
  async acknowledge(tx: Db, id: string, userId: string, note: string | null): Promise<boolean> {
    const rows = await queryRows(tx, sql`UPDATE alarms SET acknowledged_at = now(), acknowledged_by = ${userId}, ack_note = ${note} WHERE id = ${id} AND acknowledged_at IS NULL RETURNING id`);
    return rows.length > 0;
  }

  async get(db: Db, id: string, ownerUserId?: string): Promise<AlarmRecord | null> {
    const owner: SQL = ownerUserId === undefined ? sql`` : sql` AND c.owner_user_id = ${ownerUserId}`;
    const rows = await queryRows<AlarmRow>(db, sql`${SELECT_ALARM} WHERE a.id = ${id}${owner}`);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async getMany(db: Db, ids: readonly string[]): Promise<AlarmRecord[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<AlarmRow>(db, sql`${SELECT_ALARM} WHERE a.id = ANY(${sql.param([...ids])}::uuid[]) ORDER BY a.raised_at, a.id`);
    return rows.map(toRecord);
  }

  /** Unacknowledged first, newest raised first; `open`: unacknowledged only. */
  async list(opts: { open: boolean; ownerUserId?: string; limit: number }): Promise<AlarmRecord[]> {
    const conds: SQL[] = [sql`TRUE`];
    if (opts.open) conds.push(sql`a.acknowledged_at IS NULL`);
    if (opts.ownerUserId !== undefined) conds.push(sql`c.owner_user_id = ${opts.ownerUserId}`);
    const rows = await queryRows<AlarmRow>(
      this.db,
      sql`${SELECT_ALARM} WHERE ${sql.join(conds, sql` AND `)} ORDER BY (a.acknowledged_at IS NULL) DESC, a.raised_at DESC, a.id LIMIT ${opts.limit}`,
    );
    return rows.map(toRecord);
  }

  // ---- webhook outbox

  /** Queues webhook events, in the order given (delivery follows it). */
  async enqueue(tx: Db, events: ReadonlyArray<{ alarmId: string; event: string; payload: unknown }>): Promise<void> {
    if (events.length === 0) return;
    await tx.execute(
      sql`INSERT INTO alarm_outbox (alarm_id, event, payload)
          SELECT alarm_id, event, payload::jsonb FROM unnest(${sql.param(events.map((e) => e.alarmId))}::uuid[], ${sql.param(events.map((e) => e.event))}::text[],
                                                       ${sql.param(events.map((e) => JSON.stringify(e.payload)))}::text[]) WITH ORDINALITY AS e(alarm_id, event, payload, n)
          ORDER BY n`,
    );
  }

  /**
   * Claims the oldest undelivered event for `holder` for leaseMs, when it is due and no other
   * process holds it. Only ever the head: events go out in order.
   */
  async claimHead(holder: string, leaseMs: number): Promise<OutboxRow | null> {
    const rows = await queryRows<OutboxRow>(
      this.db,
      sql`UPDATE alarm_outbox SET claimed_by = ${holder}, claimed_until = now() + ${leaseMs} * interval '1 millisecond', attempts = attempts + 1
          WHERE id = (SELECT min(id) FROM alarm_outbox WHERE delivered_at IS NULL)
            AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now() OR claimed_by = ${holder})
          RETURNING id::text AS id, event, payload, attempts`,
    );
    const r = rows[0];
    return r ? { ...r, payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload } : null;
  }

  async delivered(id: string, holder: string): Promise<void> {
    await this.db.execute(sql`UPDATE alarm_outbox SET delivered_at = now(), claimed_by = NULL, claimed_until = NULL, last_error = NULL WHERE id = ${id} AND claimed_by = ${holder}`);
  }

  async failed(id: string, holder: string, retryInMs: number, error: string): Promise<void> {
    await this.db.execute(
      sql`UPDATE alarm_outbox SET next_attempt_at = now() + ${retryInMs} * interval '1 millisecond', claimed_by = NULL, claimed_until = NULL, last_error = ${error.slice(0, 500)}
          WHERE id = ${id} AND claimed_by = ${holder}`,
    );
  }

  /** Undelivered events (for /metrics and tests). */
  async backlog(): Promise<number> {
    const [r] = await queryRows<{ n: string | number }>(this.db, sql`SELECT count(*) AS n FROM alarm_outbox WHERE delivered_at IS NULL`);
    return Number(r?.n ?? 0);
  }

  async pruneDelivered(olderThanMs: number): Promise<void> {
    await this.db.execute(sql`DELETE FROM alarm_outbox WHERE delivered_at IS NOT NULL AND delivered_at < now() - ${olderThanMs} * interval '1 millisecond'`);
  }
}
