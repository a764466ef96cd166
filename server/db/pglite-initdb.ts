/**
 * Creates a new PGlite data dir (initdb) in a process of its own, which then exits
 * (server/db/pglite.ts runs it on a first start). initdb writes the whole data dir through PGlite's
 * file system, and those writes leave ~45 MiB in the malloc arena of the thread that ran it; the
 * database thread started next inherits that arena and kept it resident for as long as Sky Eye ran.
 * A process gives all of it back when it ends.
 *
 *   node server/db/pglite-initdb.ts DATA_DIR
 *
 * Runs on plain Node (type stripping, no tsx), like pglite-thread.ts.
 */
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node server/db/pglite-initdb.ts DATA_DIR\n');
  process.exit(2);
}
const db = await PGlite.create({ dataDir: dir });
await db.close();
