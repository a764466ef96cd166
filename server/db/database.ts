/**
 * The one query layer: drizzle over PostgreSQL (DATABASE_URL) or embedded PGlite (dataDir/pglite).
 * Both expose the same drizzle API; code above this file never knows which one it talks to.
 */
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { is, type SQL } from 'drizzle-orm';
import { PgliteSession } from 'drizzle-orm/pglite';
import type { HeapReduction } from '@common/heap';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index';
import { runMigrations } from './migrate';
import { pgListener, type PgListener } from './pg-listener';
import { openPglite } from './pglite';
import { PREPARED, statementName } from './pglite-protocol';

export type Schema = typeof schema;
/** A drizzle handle: the database itself or a transaction (both have the same query API). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * The one way to run hand-written SQL: a drizzle `sql` template on the database or inside a
 * caller's transaction (so the query joins it). Returns the rows. Arrays go in as one parameter
 * with `sql.param(array)` (a bare array in the template expands to a list).
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  // Both drivers (node-postgres, PGlite) answer execute() with { rows }.
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

const dialect = new PgDialect();

/**
 * queryRows for a hot query whose text repeats with other values (the camera list's pages): on a
 * PostgreSQL server a statement named after its text, so each connection parses and plans it once
 * and then only binds values (planning was ~40 % of the database's time for a radius page); on
 * PGlite the same, by its thread (the text starts with PREPARED), outside transactions. Only for
 * queries whose best plan does not depend on the values: after five runs PostgreSQL may keep one
 * generic plan for all of them. A query kept in a constant, with `sql.placeholder`s filled from
 * `values`, is built into its text once.
 */
export async function queryPrepared<T>(db: Db, query: SQL, values?: Record<string, unknown>): Promise<T[]> {
  let q = built.get(query);
  if (!q) {
    const { sql: text, params } = dialect.sqlToQuery(query);
    q = { sql: PREPARED + text, params, name: statementName(PREPARED + text) };
    if (values) built.set(query, q);
  }
  const res = (await db._.session.prepareQuery(q, undefined, q.name, false).execute(values)) as { rows: T[] };
  return res.rows;
}
const built = new WeakMap<SQL, { sql: string; params: unknown[]; name: string }>();

/**
 * Whether `db` (the database or one of its transactions) is the embedded PGlite, for the few
 * queries shaped otherwise there with the same result (drizzle's `is`: by its entity names, so it
 * holds where a module is loaded twice).
 */
export const isEmbedded = (db: Db): boolean => is(db._.session, PgliteSession);

/** Rows of a query over many cameras (ordered within each camera), as one list per camera. */
export function byCamera<R extends { camera_id: string }, T>(rows: readonly R[], map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.camera_id);
    if (list) list.push(map(r));
    else out.set(r.camera_id, [map(r)]);
  }
  return out;
}

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /**
   * Raw SQL with $1.. parameters; returns rows. For the few queries drizzle's builder can't express.
   * `prepared` names a statement PostgreSQL parses and plans once per connection (a hot query with
   * fixed text whose best plan does not depend on its values, as for queryPrepared; PGlite's thread
   * names it after its text).
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], prepared?: string): Promise<T[]>;
  ping(): Promise<void>;
  /**
   * LISTEN on a channel (a fixed identifier, not user input). PostgreSQL: a dedicated connection
   * that reconnects by itself (onReconnect: notifications may have been missed meanwhile).
   * PGlite: in-process. Returns the unsubscribe function.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  /** Idle memory of an embedded database goes back to the system (the PGlite thread's heap); PostgreSQL: nothing (null). */
  reduceMemory(): Promise<HeapReduction | null>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  onMessage(payload: string): void;
  onReconnect?(): void;
  onError?(err: Error): void;
}

export const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export interface DatabaseOptions {
  url?: string;
  dataDir: string;
  poolSize?: number;
  /** Embedded database in memory (tests): nothing written to dataDir. */
  inMemory?: boolean;
  /**
   * A new embedded data dir starts as a copy of this process's migrated snapshot instead of initdb
   * and every migration (under 1 s against 5; for tests that open many). An existing one opens as is.
   */
  fromSnapshot?: boolean;
  migrate?: boolean;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const database = opts.url ? openPostgres(opts.url, opts.poolSize ?? 10) : await openPglite(opts);
  if (opts.migrate !== false) {
    try {
      await runMigrations(database);
    } catch (e) {
      await database.close();
      throw e;
    }
  }
  return database;
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listeners = new Set<PgListener>();
  return {
    db,
    kind: 'postgres',
    async query<T>(text: string, params: unknown[] = [], prepared?: string) {
      const res = await pool.query(prepared ? { name: prepared, text, values: params } : { text, values: params });
      return res.rows as T[];
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async listen(channel, handlers) {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      const listener = pgListener(url, channel, handlers);
      listeners.add(listener);
      await listener.ready;
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
    async reduceMemory() {
      return null;
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      listeners.clear();
      await pool.end();
    },
  };
}
