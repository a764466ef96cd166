/**
 * Raw SQL inside a drizzle transaction: `$n` placeholders become bound parameters, so the
 * recordings repositories use one query style in and out of transactions (both drivers answer
 * execute() with { rows }).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '@server/db/database';

export type Query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export function txQuery(tx: Db): Query {
  return async <T>(text: string, params: unknown[] = []) => {
    const parts = text.split(/\$(\d+)/);
    const chunks: SQL[] = [];
    parts.forEach((p, i) => chunks.push(i % 2 === 0 ? sql.raw(p) : sql`${sql.param(params[Number(p) - 1])}`));
    const res = (await tx.execute(sql.join(chunks))) as unknown as { rows: T[] };
    return res.rows;
  };
}

export function inTransaction<T>(database: Database, fn: (q: Query) => Promise<T>): Promise<T> {
  return database.db.transaction((tx) => fn(txQuery(tx)));
}

export const num = (v: unknown): number => Number(v);
export const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
