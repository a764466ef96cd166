/**
 * Applies server/db/migrations/*.sql in name order, all pending ones in ONE transaction, so a
 * failed migration leaves the database exactly as it was. A transaction-scoped advisory lock
 * makes concurrent start-ups (several api/worker processes) wait for each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './database';
import { MIGRATIONS_DIR } from './files';

const LOCK_ID = 7_470_733; // arbitrary, constant: "skyeye migrations"

export interface Migration {
  name: string;
  statements: string[];
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, statements: splitStatements(readFileSync(join(dir, name), 'utf8')) }));
}

/** Splits SQL text on `;` at the end of a line, keeping `$$ ... $$` bodies whole; drops comments-only parts. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inDollar = false;
  for (const line of text.split('\n')) {
    current.push(line);
    const dollars = (line.match(/\$\$/g) ?? []).length;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*(--.*)?$/.test(line)) {
      const stmt = current.join('\n').trim();
      if (stmt.replace(/--.*$/gm, '').trim()) out.push(stmt);
      current = [];
    }
  }
  const rest = current.join('\n').replace(/--.*$/gm, '').trim();
  if (rest) throw new Error(`migration ends with an unterminated statement: ${rest.slice(0, 80)}`);
  return out;
}

export class MigrationError extends Error {
  constructor(
    public readonly migration: string,
    cause: unknown,
  ) {
    super(`migration ${migration} failed (nothing was applied): ${(cause as Error).message}`, { cause });
    this.name = 'MigrationError';
  }
}

export async function runMigrations(database: Database, migrations = loadMigrations()): Promise<string[]> {
  const applied: string[] = [];
  await database.db.transaction(async (tx) => {
    if (database.kind === 'postgres') await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_ID})`);
    await tx.execute(
      sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await queryRows<{ name: string }>(tx, sql`SELECT name FROM schema_migrations`);
    const doneNames = new Set(done.map((r) => r.name));
    for (const m of migrations) {
      if (doneNames.has(m.name)) continue;
      try {
        for (const stmt of m.statements) await tx.execute(sql.raw(stmt));
        await tx.execute(sql`INSERT INTO schema_migrations (name) VALUES (${m.name})`);
      } catch (e) {
        throw new MigrationError(m.name, e);
      }
      applied.push(m.name);
    }
  });
  return applied;
}
