/**
 * The only owner of the `walls` table's SQL (migration 0095). Creation counts the owner's walls
 * under a lock on the owner's user row, so the per-user cap holds under parallel requests; the
 * unique (owner, lower(name)) index makes a duplicate name one failed statement. Every write takes
 * an optional `onWritten` hook that runs in the write's transaction (the service audits sharing).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@server/db/database';

export interface WallRow {
  id: string;
  owner_user_id: string;
  owner_name: string;
  name: string;
  layout: number;
  mode: string;
  cameras: (string | null)[];
  shared: boolean;
  station_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
}

export interface WallValues {
  name: string;
  layout: number;
  mode: string;
  cameras: (string | null)[];
  shared: boolean;
  stationId: string | null;
}

/** Which shared walls a reader sees: none (merchants), every station's (no station), or one station's. */
export type SharedScope = { kind: 'none' } | { kind: 'all' } | { kind: 'station'; stationId: string };

const COLUMNS = sql`w.id, w.owner_user_id, u.display_name AS owner_name, w.name, w.layout, w.mode, w.cameras, w.shared, w.station_id, w.created_at, w.updated_at, w.version`;

const sharedWith = (scope: SharedScope) =>
  scope.kind === 'none' ? sql`false` : scope.kind === 'all' ? sql`w.shared` : sql`(w.shared AND w.station_id = ${scope.stationId})`;

/** jsonb columns come back parsed from both drivers; be lenient with a string anyway. */
const parseRow = (r: WallRow): WallRow => ({ ...r, cameras: typeof r.cameras === 'string' ? (JSON.parse(r.cameras) as (string | null)[]) : r.cameras });

/** Whether and with whom a wall is shared, before and after a write (null: no wall then). */
export interface SharingChange {
  wallId: string;
  name: string;
  before: { shared: boolean; stationId: string | null } | null;
  after: { shared: boolean; stationId: string | null } | null;
}
export type OnWritten = (tx: Db, change: SharingChange) => Promise<void>;

export type CreateOutcome = { ok: true; row: WallRow } | { ok: false; reason: 'limit' | 'duplicate' | 'no_station' };
export type UpdateOutcome = { ok: true; row: WallRow } | { ok: false; reason: 'missing' | 'version' | 'duplicate' | 'no_station' };

/** PostgreSQL error codes the callers turn into problems. */
const codeOf = (e: unknown): string | undefined => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.code ?? err.cause?.code;
};

export class WallRepository {
  constructor(private readonly db: Db) {}

  /** The reader's own walls and the shared walls in `scope`, own first, then by name. */
  async listVisible(userId: string, scope: SharedScope): Promise<WallRow[]> {
    const rows = await queryRows<WallRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM walls w JOIN users u ON u.id = w.owner_user_id
          WHERE w.owner_user_id = ${userId} OR ${sharedWith(scope)}
          ORDER BY (w.owner_user_id = ${userId}) DESC, lower(w.name), w.id LIMIT 500`,
    );
    return rows.map(parseRow);
  }

  async findVisible(id: string, userId: string, scope: SharedScope): Promise<WallRow | null> {
    const rows = await queryRows<WallRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM walls w JOIN users u ON u.id = w.owner_user_id WHERE w.id = ${id} AND (w.owner_user_id = ${userId} OR ${sharedWith(scope)})`,
    );
    return rows[0] ? parseRow(rows[0]) : null;
  }

  async create(ownerId: string, v: WallValues, maxPerUser: number, onWritten?: OnWritten): Promise<CreateOutcome> {
    try {
      return await this.db.transaction(async (tx) => {
        // Serialises this owner's creations: the count below cannot go stale before the insert.
        await queryRows(tx, sql`SELECT id FROM users WHERE id = ${ownerId} FOR UPDATE`);
        const [count] = await queryRows<{ n: number | string }>(tx, sql`SELECT count(*) AS n FROM walls WHERE owner_user_id = ${ownerId}`);
        if (Number(count?.n ?? 0) >= maxPerUser) return { ok: false, reason: 'limit' } as const;
        const [row] = await queryRows<{ id: string }>(
          tx,
          sql`INSERT INTO walls (owner_user_id, name, layout, mode, cameras, shared, station_id)
              VALUES (${ownerId}, ${v.name}, ${v.layout}, ${v.mode}, ${JSON.stringify(v.cameras)}::jsonb, ${v.shared}, ${v.stationId})
              RETURNING id`,
        );
        const [full] = await queryRows<WallRow>(tx, sql`SELECT ${COLUMNS} FROM walls w JOIN users u ON u.id = w.owner_user_id WHERE w.id = ${row!.id}`);
        await onWritten?.(tx, { wallId: row!.id, name: v.name, before: null, after: { shared: v.shared, stationId: v.stationId } });
        return { ok: true, row: parseRow(full!) } as const;
      });
    } catch (e) {
      if (codeOf(e) === '23505') return { ok: false, reason: 'duplicate' };
      if (codeOf(e) === '23503') return { ok: false, reason: 'no_station' };
      throw e;
    }
  }

  /** Replaces an owner's wall if it is still at `version`. */
  async update(id: string, ownerId: string, version: number, v: WallValues, onWritten?: OnWritten): Promise<UpdateOutcome> {
    try {
      return await this.db.transaction(async (tx) => {
        const [cur] = await queryRows<{ version: number; shared: boolean; station_id: string | null }>(
          tx,
          sql`SELECT version, shared, station_id FROM walls WHERE id = ${id} AND owner_user_id = ${ownerId} FOR UPDATE`,
        );
        if (!cur) return { ok: false, reason: 'missing' } as const;
        if (cur.version !== version) return { ok: false, reason: 'version' } as const;
        await queryRows(
          tx,
          sql`UPDATE walls SET name = ${v.name}, layout = ${v.layout}, mode = ${v.mode}, cameras = ${JSON.stringify(v.cameras)}::jsonb,
                shared = ${v.shared}, station_id = ${v.stationId}, updated_at = now(), version = version + 1
              WHERE id = ${id}`,
        );
        const [full] = await queryRows<WallRow>(tx, sql`SELECT ${COLUMNS} FROM walls w JOIN users u ON u.id = w.owner_user_id WHERE w.id = ${id}`);
        await onWritten?.(tx, { wallId: id, name: v.name, before: { shared: cur.shared, stationId: cur.station_id }, after: { shared: v.shared, stationId: v.stationId } });
        return { ok: true, row: parseRow(full!) } as const;
      });
    } catch (e) {
      if (codeOf(e) === '23505') return { ok: false, reason: 'duplicate' };
      if (codeOf(e) === '23503') return { ok: false, reason: 'no_station' };
      throw e;
    }
  }

  /** Deletes the wall when `ownerId` owns it (null: any owner, for administrators). */
  async delete(id: string, ownerId: string | null, onWritten?: OnWritten): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await queryRows<{ id: string; name: string; shared: boolean; station_id: string | null }>(
        tx,
        ownerId === null
          ? sql`DELETE FROM walls WHERE id = ${id} RETURNING id, name, shared, station_id`
          : sql`DELETE FROM walls WHERE id = ${id} AND owner_user_id = ${ownerId} RETURNING id, name, shared, station_id`,
      );
      const gone = rows[0];
      if (gone) await onWritten?.(tx, { wallId: id, name: gone.name, before: { shared: gone.shared, stationId: gone.station_id }, after: null });
      return gone !== undefined;
    });
  }
}
