/**
 * Which database backend the suite runs on: SKYEYE_TEST_DB=pglite (default) or postgres.
 * For postgres every harness gets a scratch database created from SKYEYE_TEST_PG_URL
 * (default postgres://postgres@127.0.0.1:5432/test) and dropped afterwards. Scratch databases are
 * copies of a migrated template named after the migrations' content (made once, kept for later
 * runs), so each one starts migrated in a fraction of the time the migrations take.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_BACKEND = (process.env.SKYEYE_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';
export const ADMIN_PG_URL = process.env.SKYEYE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ScratchDatabase {
  url: string | undefined;
  drop(): Promise<void>;
}

function urlOf(name: string): string {
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

let template: Promise<string> | undefined;
/** The migrated template's name; built under a temporary name and renamed, so no process ever copies a half-migrated one. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const { loadMigrations } = await import('@server/db/migrate');
    const hash = createHash('sha256');
    for (const m of loadMigrations()) hash.update(`${m.name}\0${m.statements.join("\0")}\0`);
    const name = `skyeye_tpl_${hash.digest('hex').slice(0, 16)}`;
    const exists = await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
    if (exists.rowCount) return name;
    const building = `skyeye_tplb_${randomBytes(6).toString('hex')}`;
    await admin((c) => c.query(`CREATE DATABASE ${building}`));
    const { openDatabase } = await import('@server/db/database');
    const database = await openDatabase({ url: urlOf(building), dataDir: '', poolSize: 1 });
    await database.close();
    await admin(async (c) => {
      try {
        await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      } catch {
        // Another process made it meanwhile.
        await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      }
    });
    return name;
  })().catch((e: unknown) => {
    template = undefined;
    throw e;
  });
  return template;
}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  if (TEST_BACKEND !== 'postgres') return { url: undefined, drop: async () => undefined };
  const name = `skyeye_t_${randomBytes(6).toString('hex')}`;
  const from = await migratedTemplate();
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${from}`));
  return {
    url: urlOf(name),
    async drop() {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A migrated database on the selected backend (PGlite in memory or a scratch PostgreSQL database). */
export async function openTestDatabase(): Promise<{ database: import('@server/db/database').Database; url: string | undefined; close(): Promise<void> }> {
  const { openDatabase } = await import('@server/db/database');
  const scratch = await scratchDatabase();
  const database = await openDatabase({ url: scratch.url, dataDir: '', inMemory: true });
  return {
    database,
    url: scratch.url,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}
