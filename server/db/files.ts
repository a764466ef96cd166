/**
 * Files the database layer reads at run time, found from the package root (common/package-root.ts):
 * the same paths from the sources (tsx, tests) and from the production bundle (dist/server).
 */
import { join } from 'node:path';
import { PACKAGE_ROOT as ROOT } from '@common/package-root';

/** server/db/migrations: the SQL migrations, applied in name order. */
export const MIGRATIONS_DIR = join(ROOT, 'server', 'db', 'migrations');

/** The PGlite thread's module: run by plain Node (its own TypeScript type stripping), never bundled. */
export const PGLITE_THREAD = join(ROOT, 'server', 'db', 'pglite-thread.ts');
/** A new PGlite data dir's initdb, run as a process of its own (plain Node as well). */
export const PGLITE_INITDB = join(ROOT, 'server', 'db', 'pglite-initdb.ts');
