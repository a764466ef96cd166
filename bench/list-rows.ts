/**
 * Node's CPU per page of the camera list, the repository's own decoding (listCameras) against
 * drizzle's mapping of the same query (the baseline), alternating in one process on a scratch
 * PostgreSQL database with 2,000 cameras: 6 rounds of 400 pages each, medians in µs (the
 * database's own time is not in it: process.cpuUsage of this process only).
 *
 *   npx tsx bench/list-rows.ts [postgres://server/db-to-create-scratch-from]
 */
import { listCameras, listQuery } from '@server/cameras/repository';
import type { CameraFilter } from '@server/cameras/schemas';
import { withScratchDatabase } from './lib/scratch-db';

const server = process.argv[2] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
await withScratchDatabase(server, async (database) => {
  await database.query(
    `INSERT INTO cameras (name, kind, lat, lon, status, enrollment_state, tags, address)
     SELECT 'cam ' || g, 'road', 34 + g * 0.00001, 119 + g * 0.00001, 'live', 'approved', ARRAY['a', 'b'], 'addr ' || g FROM generate_series(1, 2000) g`,
  );
  const filter = {} as CameraFilter;
  const drizzleMapped = async () => (await listQuery(database.db, filter, {}, 51)).map((r) => ({ ...r.camera, sortTs: r.sortTs, distance: r.distance === null ? null : Number(r.distance) }));
  const own = () => listCameras(database.db, filter, {}, 51);
  const runs: Record<'drizzle' | 'own', number[]> = { drizzle: [], own: [] };
  for (let round = 0; round < 6; round++) {
    for (const [k, fn] of [['drizzle', drizzleMapped], ['own', own]] as const) {
      for (let i = 0; i < 50; i++) await fn();
      const c0 = process.cpuUsage();
      for (let i = 0; i < 400; i++) await fn();
      const c = process.cpuUsage(c0);
      runs[k].push((c.user + c.system) / 400);
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  const d = median(runs.drizzle);
  const o = median(runs.own);
  process.stdout.write(`node CPU per page of 51 cameras (µs, median of 6 × 400): drizzle's mapping ${d.toFixed(0)} (${runs.drizzle.map((x) => x.toFixed(0)).join(', ')}), listCameras ${o.toFixed(0)} (${runs.own.map((x) => x.toFixed(0)).join(', ')}): ${(o / d).toFixed(2)}x\n`);
});
