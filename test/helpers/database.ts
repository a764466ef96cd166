/**
 * Which database backend the suite runs on: SKYEYE_TEST_DB=pglite (default) or postgres.
 * For postgres every harness gets a scratch database created from SKYEYE_TEST_PG_URL
 * (default postgres://postgres@127.0.0.1:5432/test) and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_BACKEND = (process.env.SKYEYE_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';
export const ADMIN_PG_URL = process.env.SKYEYE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ScratchDatabase {
  url: string | undefined;
  drop(): Promise<void>;
}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  if (TEST_BACKEND !== 'postgres') return { url: undefined, drop: async () => undefined };
  const name = `skyeye_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
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
