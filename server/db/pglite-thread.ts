/**
 * The thread that owns an embedded PGlite database (started by pglite-client.ts). PGlite runs
 * PostgreSQL compiled to WebAssembly synchronously: a query holds whatever thread it runs on. Here
 * that is this thread, so a 10k-row import or an ANALYZE no longer freezes the API's event loop, and
 * the database gets a core of its own. The messages mirror the PGlite calls the query layer makes:
 * open, query, exec, an interactive transaction (begin → queries → end), listen/unlisten, dump,
 * close. PGlite's own locking (one query or transaction at a time) is unchanged: every call lands on
 * the same PGlite instance in the order it was sent. A closed thread may open another database
 * (pglite-client.ts keeps a warm one for the next open).
 *
 * Runs on plain Node (type stripping, no tsx): only erasable TypeScript, type-only local imports.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, parse, protocol, type Results, type Transaction } from '@electric-sql/pglite';
import type { ThreadModules, ThreadReply, ThreadRequest } from './pglite-protocol';

const modules = workerData as ThreadModules;
const port = parentPort!;
const ROLLBACK = Symbol('rollback');

/**
 * PostgreSQL's buffer pool lives in this thread's WebAssembly memory, and PGlite touches all of it
 * when it starts: initdb's 128MB made an idle embedded database cost ~120 MiB more resident memory.
 * Pages missed here come from the operating system's page cache (the data dir is a real directory).
 */
const SHARED_BUFFERS = '16MB';

function errorOf(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: String(e) };
  // DatabaseError keeps code, constraint, detail, severity... as own properties: keep them all.
  const out: Record<string, unknown> = { message: e.message, name: e.name, stack: e.stack };
  for (const [k, v] of Object.entries(e)) if (v === undefined || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  return out;
}

/** drizzle passes identity parsers for the types it wants raw (timestamps, dates, intervals). */
function optionsOf(rowMode: 'array' | 'object' | undefined, rawTypes: number[] | undefined) {
  const parsers = rawTypes?.length ? Object.fromEntries(rawTypes.map((t) => [t, (v: string) => v])) : undefined;
  if (!rowMode && !parsers) return undefined;
  return { ...(rowMode ? { rowMode } : {}), ...(parsers ? { parsers } : {}) };
}

/** common/heap.ts's reduceHeap, which this plain-Node module cannot import. */
let gc: ((o: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void) | undefined;
function reduceHeap(): { before: number; after: number } {
  const before = getHeapStatistics().total_physical_size;
  if (!gc) {
    setFlagsFromString('--expose-gc'); // process-wide, left set (see common/heap.ts)
    gc = runInNewContext('gc') as typeof gc;
  }
  gc!({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return { before, after: getHeapStatistics().total_physical_size };
}

let client: PGlite | undefined;
/** Named statements prepared in the open database, with their parameters' type ids. */
const statements = new Map<string, number[]>();
const txs = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<unknown> }>();
const listeners = new Map<string, () => Promise<void>>();
let nextTx = 1;

function open(): PGlite {
  if (!client) throw new Error('no database is open in this thread');
  return client;
}

function target(tx: number | undefined) {
  if (tx === undefined) return open();
  const t = txs.get(tx);
  if (!t) throw new Error(`transaction ${tx} is not open`);
  return t.tx;
}

/**
 * PGlite's query() as a named statement: parsed (and described) once per database, then bound and
 * run, so PostgreSQL may keep one generic plan rather than plan every query. The same messages
 * PGlite's own query() sends, under the same locks (it waits for any transaction to end). For
 * reads: nothing is synced to the file system after it (as PGlite's query() does only for a
 * browser's file systems).
 */
function queryNamed(name: string, text: string, params: unknown[], options: ReturnType<typeof optionsOf>): Promise<Results> {
  const c = open();
  const o = { syncToFs: false };
  const send = (m: Uint8Array) => c.execProtocolStream(m, o);
  const { serialize } = protocol;
  return c._runExclusiveTransaction(() =>
    c._runExclusiveQuery(async () => {
      const messages = [];
      try {
        let types = statements.get(name);
        if (!types) {
          await send(serialize.parse({ name, text }));
          types = parse.parseDescribeStatementResults(await send(serialize.describe({ type: 'S', name })));
          statements.set(name, types);
        }
        const values = params.map((v, i) => (v === null || v === undefined ? null : (c.serializers[types[i]!] ?? String)(v)));
        messages.push(...(await send(serialize.bind({ statement: name, values }))), ...(await send(serialize.describe({ type: 'P' }))), ...(await send(serialize.execute({}))));
      } finally {
        messages.push(...(await send(serialize.sync())));
      }
      return parse.parseResults(messages, c.parsers, options)[0]!;
    }),
  );
}

function begin(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const id = nextTx++;
    let entered = false;
    const done = open().transaction((tx) => {
      entered = true;
      return new Promise((res, rej) => {
        txs.set(id, { tx, end: (commit) => (commit ? res(undefined) : rej(ROLLBACK)), done });
        resolve(id);
      });
    });
    done.catch((e: unknown) => {
      if (!entered) reject(e as Error);
    });
  });
}

async function end(tx: number, commit: boolean): Promise<null> {
  const t = txs.get(tx);
  if (!t) throw new Error(`transaction ${tx} is not open`);
  txs.delete(tx);
  t.end(commit);
  try {
    await t.done;
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return null;
}

async function handle(m: ThreadRequest): Promise<unknown> {
  switch (m.op) {
    case 'open':
      if (client) throw new Error('a database is already open in this thread');
      client = await PGlite.create({
        startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
        pgliteWasmModule: modules.pglite,
        initdbWasmModule: modules.initdb,
        fsBundle: modules.fsBundle,
        ...(m.dataDir ? { dataDir: m.dataDir } : {}),
        ...(m.snapshot ? { loadDataDir: new Blob([m.snapshot as Uint8Array<ArrayBuffer>]) } : {}),
      });
      return null;
    case 'query': {
      const options = optionsOf(m.rowMode, m.rawTypes);
      const r = m.prepared && m.tx === undefined ? await queryNamed(m.prepared, m.text, m.params ?? [], options) : await target(m.tx).query(m.text, m.params, options);
      return { rows: r.rows, affectedRows: r.affectedRows };
    }
    case 'exec':
      return (await target(m.tx).exec(m.text)).map((r) => ({ rows: r.rows, affectedRows: r.affectedRows }));
    case 'begin':
      return begin();
    case 'end':
      return end(m.tx, m.commit);
    case 'listen':
      if (!listeners.has(m.channel)) listeners.set(m.channel, await open().listen(m.channel, (payload) => port.postMessage({ notify: m.channel, payload } satisfies ThreadReply)));
      return null;
    case 'unlisten':
      await listeners.get(m.channel)?.();
      listeners.delete(m.channel);
      return null;
    case 'dump':
      return new Uint8Array(await (await open().dumpDataDir('none')).arrayBuffer());
    case 'reduce-heap':
      return reduceHeap();
    case 'close': {
      const c = client;
      client = undefined;
      txs.clear();
      statements.clear();
      listeners.clear();
      await c?.close();
      return null;
    }
  }
}

port.on('message', (m: ThreadRequest) => {
  handle(m).then(
    (result) => port.postMessage({ id: m.id, result } satisfies ThreadReply, result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : []),
    (e: unknown) => port.postMessage({ id: m.id, error: errorOf(e) } satisfies ThreadReply),
  );
});
