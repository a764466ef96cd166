/**
 * Planner statistics. Without ANALYZE the planner guesses row counts and picks sequential scans
 * for filters and boxes that have an index (issue 13: kind+status 19 -> 286 req/s on PGlite).
 * Embedded PGlite has no autovacuum, and a PostgreSQL server may run without it; so:
 * - after a bulk import the loop `cameras.statistics` (server/start.ts, kicked by
 *   `cameras:imported`, settled: 3 s after the last of a run of imports) refreshes the cameras
 *   table, off the import's request;
 * - the loop `db.statistics` runs ANALYZE on every table every `database.analyzeInterval`
 *   (first pass soon after start-up) where nothing else does: PGlite always, PostgreSQL only
 *   when its autovacuum is off.
 */
import type { Loop, Loops } from '@common/loops';
import type { Database } from './database';

/** ANALYZE of the whole database (every table, sampled: fast even on 100k rows). */
export async function refreshStatistics(database: Pick<Database, 'query'>): Promise<void> {
  await database.query('ANALYZE');
}

/** Whether nobody else keeps statistics: PGlite (no autovacuum launcher), or PostgreSQL with autovacuum off. */
export async function statisticsAreOurs(database: Pick<Database, 'query' | 'kind'>): Promise<boolean> {
  if (database.kind === 'pglite') return true;
  const [row] = await database.query<{ on: boolean }>(`SELECT current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on' AS on`);
  return row?.on !== true;
}

/** Registers `db.statistics` when statisticsAreOurs(); null otherwise. */
export async function startStatisticsLoop(database: Pick<Database, 'query' | 'kind'>, loops: Loops, everyMs: number, firstRunMs = 5_000): Promise<Loop | null> {
  if (!(await statisticsAreOurs(database))) return null;
  return loops.add('db.statistics', everyMs, () => refreshStatistics(database), { firstRunMs });
}
