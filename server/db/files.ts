/**
 * Files the database layer reads at run time, found from the package root (the nearest folder
 * above this module with Sky Eye's package.json): the same paths from the sources (tsx, tests)
 * and from the production bundle (dist/server, `npm run build:server`), where every module's
 * import.meta.url is the bundle's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'skyeye') return dir;
    if (dirname(dir) === dir) throw new Error(`Sky Eye's package.json was not found above ${from}`);
  }
}

const ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** server/db/migrations: the SQL migrations, applied in name order. */
export const MIGRATIONS_DIR = join(ROOT, 'server', 'db', 'migrations');

/** The PGlite thread's module: run by plain Node (its own TypeScript type stripping), never bundled. */
export const PGLITE_THREAD = join(ROOT, 'server', 'db', 'pglite-thread.ts');
/** A new PGlite data dir's initdb, run as a process of its own (plain Node as well). */
export const PGLITE_INITDB = join(ROOT, 'server', 'db', 'pglite-initdb.ts');
