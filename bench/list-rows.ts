/**
 * Node's CPU per answer of the camera list (a page of 50, the JSON text the route sends), three
 * ways, alternating in one process on a database with 2,000 cameras: drizzle's mapping of the list
 * query then toCamera and JSON.stringify (the baseline), the repository's own decoding
 * (listCameras) then the same, and the database writing each camera's JSON (listJson, what the
 * route sends now). 6 rounds of 400 answers each, medians in µs of process.cpuUsage: on PostgreSQL
 * that is node alone (the server is another process); on PGlite (`--pglite`) it includes the
 * database's thread, i.e. everything the answer costs.
 *
 *   npx tsx bench/list-rows.ts [postgres://server/db-to-create-scratch-from | --pglite]
 */
import { listCameras, listQuery, type ListedRow } from '@server/cameras/repository';
import { toCamera } from '@server/cameras/mapper';
import type { CameraFilter, ListQuery } from '@server/cameras/schemas';
import { CameraCrud } from '@server/cameras/service';
import { openDatabase, type Database } from '@server/db/database';
import type { AuthUser } from '@server/auth/types';
import { withScratchDatabase } from './lib/scratch-db';

const arg = process.argv[2];
const server = arg && arg !== '--pglite' ? arg : (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const user: AuthUser = { id: '00000000-0000-0000-0000-000000000000', username: 'bench', role: 'admin', displayName: 'bench', via: 'bearer' };
const answer = (rows: ListedRow[]) => JSON.stringify({ items: rows.slice(0, 50).map((r) => toCamera(r, r.distance)), nextCursor: null });

async function measure(database: Database): Promise<void> {
  await database.query(
    `INSERT INTO cameras (name, kind, lat, lon, status, enrollment_state, tags, address, status_cause, status_changed_at)
     SELECT 'cam ' || g, 'road', 34 + g * 0.00001, 119 + g * 0.00001, 'live', 'approved', ARRAY['a', 'b'], 'addr ' || g, 'connect ECONNREFUSED 127.0.0.1:554', now() FROM generate_series(1, 2000) g`,
  );
  await database.query('ANALYZE cameras');
  const filter = {} as CameraFilter;
  const service = new CameraCrud({ ctx: { database } as never, keyring: null as never, org: null as never });
  const ways = {
    drizzle: async () => answer((await listQuery(database.db, filter, {}, 51)).map((r) => ({ ...r.camera, sortTs: r.sortTs, distance: r.distance === null ? null : Number(r.distance) }))),
    listCameras: async () => answer(await listCameras(database.db, filter, {}, 51)),
    listJson: () => service.listJson(user, { limit: 50 } as ListQuery),
  };
  const runs: Record<keyof typeof ways, number[]> = { drizzle: [], listCameras: [], listJson: [] };
  for (let round = 0; round < 6; round++) {
    for (const [k, fn] of Object.entries(ways) as Array<[keyof typeof ways, () => Promise<string>]>) {
      for (let i = 0; i < 50; i++) await fn();
      const c0 = process.cpuUsage();
      for (let i = 0; i < 400; i++) await fn();
      const c = process.cpuUsage(c0);
      runs[k].push((c.user + c.system) / 400);
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  const base = median(runs.drizzle);
  const line = (k: keyof typeof ways) => `${k} ${median(runs[k]).toFixed(0)} µs (${(median(runs[k]) / base).toFixed(2)}x; ${runs[k].map((x) => x.toFixed(0)).join(', ')})`;
  process.stdout.write(`${database.kind}: CPU per list answer of 50 cameras, median of 6 × 400: ${line('drizzle')}, ${line('listCameras')}, ${line('listJson')}\n`);
}

if (arg === '--pglite') {
  const database = await openDatabase({ inMemory: true, dataDir: '/nonexistent' });
  try {
    await measure(database);
  } finally {
    await database.close();
  }
} else {
  await withScratchDatabase(server, measure);
}
