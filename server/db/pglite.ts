/**
 * The embedded PGlite side of the query layer: a data dir under dataDir/pglite, or in memory
 * (tests). Answers the same Database interface as the PostgreSQL server side in database.ts.
 * PGlite itself runs in a worker thread (pglite-client.ts, pglite-thread.ts); drizzle talks to it
 * through the client there as it would to PGlite.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { PgliteThread } from './pglite-client';
import { PGLITE_INITDB } from './files';
import { PREPARED } from './pglite-protocol';
import * as schema from './schema/index';
import { CHANNEL, type Database, type DatabaseOptions, type Db } from './database';
import { runMigrations } from './migrate';

/**
 * V8 in Node 24 intermittently aborts the whole process ("Check failed:
 * jit_page_->allocations_.erase(addr) == 1") when its WebAssembly code GC frees PGlite's replaced
 * baseline code (nodejs/node#64500; it killed a CI run mid-suite). PGlite keeps its compiled
 * modules for the life of the process, so with wasm code GC off no PGlite code is ever freed: the
 * cost is the baseline code of functions that tiered up, a few MiB once. Set before the first
 * PGlite instance compiles anything; the flag is read whenever code is replaced.
 */
let wasmCodeGcOff = false;
function keepWasmCode() {
  if (wasmCodeGcOff) return;
  setFlagsFromString('--no-wasm-code-gc');
  wasmCodeGcOff = true;
}

const run = promisify(execFile);

export async function openPglite(opts: DatabaseOptions): Promise<Database> {
  keepWasmCode();
  if (!opts.inMemory) {
    const dir = resolve(join(opts.dataDir, 'pglite'));
    const fresh = !existsSync(join(dir, 'PG_VERSION'));
    mkdirSync(dir, { recursive: true });
    if (fresh && opts.fromSnapshot && opts.migrate !== false) return wrap(await PgliteThread.start({ dataDir: dir, snapshot: await migratedSnapshot() }));
    // A new data dir: initdb and the migrations grow the thread's WebAssembly memory, which never
    // shrinks (~400 MiB more resident for as long as Sky Eye runs), and initdb's file writes leave
    // ~45 MiB in the malloc arena the next thread inherits. initdb runs in a process of its own, the
    // migrations in a thread that then ends, and the database opens in a fresh one
    // (openDatabase's migrations then find nothing to do).
    if (fresh) await createDataDir(dir, opts.migrate !== false);
    return wrap(await PgliteThread.start({ dataDir: dir }));
  }
  if (opts.migrate === false) return wrap(await PgliteThread.start({}));
  return wrap(await PgliteThread.start({ snapshot: await migratedSnapshot() }));
}

async function createDataDir(dir: string, migrate: boolean): Promise<void> {
  await initdbProcess(dir);
  const client = await PgliteThread.start({ dataDir: dir });
  try {
    if (migrate) await runMigrations(wrap(client));
  } finally {
    await client.close({ release: true });
  }
}

let initdbRuns = 0;
/** How many data dirs this process created with the initdb process (for tests). */
export const initdbProcesses = () => initdbRuns;

/** Runs pglite-initdb.ts on `dir` with this process's Node; its stderr goes into the error when it fails. */
async function initdbProcess(dir: string): Promise<void> {
  initdbRuns++;
  try {
    await run(process.execPath, ['--no-wasm-code-gc', PGLITE_INITDB, dir], { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1 << 20 });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`creating the PGlite data dir ${dir} failed: ${err.stderr?.trim() || err.message}; remove the dir and start again`, { cause: e });
  }
}

/**
 * In-memory databases (tests), and new data dirs opened `fromSnapshot`, start from a snapshot of a freshly migrated one, made once per
 * process: initdb and the migrations take about 3 s, loading the snapshot under 1 s. openDatabase
 * still runs the migrations on it, which then finds nothing to do.
 */
let snapshot: Promise<Uint8Array> | undefined;
function migratedSnapshot(): Promise<Uint8Array> {
  snapshot ??= (async () => {
    const client = await PgliteThread.start({});
    try {
      await runMigrations(wrap(client));
      return await client.dumpDataDir();
    } finally {
      await client.close();
    }
  })().catch((e: unknown) => {
    snapshot = undefined;
    throw e;
  });
  return snapshot;
}

function wrap(client: PgliteThread): Database {
  const db = drizzlePglite(client as unknown as PGlite, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    async query<T>(text: string, params: unknown[] = [], prepared?: string) {
      const res = await client.query(prepared ? PREPARED + text : text, params);
      return res.rows as T[];
    },
    async ping() {
      await client.query('SELECT 1');
    },
    async listen(channel, handlers) {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      const off = await client.listen(channel, (payload) => handlers.onMessage(payload));
      return async () => {
        if (!closed) await off();
      };
    },
    async reduceMemory() {
      return closed ? null : client.reduceHeap();
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
