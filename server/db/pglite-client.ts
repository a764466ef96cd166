/**
 * An embedded PGlite database in a thread of its own (pglite-thread.ts), behind the subset of
 * PGlite's client interface that drizzle's PGlite driver and the query layer use: query (with
 * drizzle's raw-type parsers), exec, transaction, listen, dumpDataDir, close. A query whose text
 * starts with PREPARED runs outside transactions as a named statement the thread prepares once.
 * Values cross the thread boundary by structured clone (Date, Uint8Array, bigint and JSON values
 * survive as they are); a database error comes back as an Error with PostgreSQL's fields (code,
 * constraint, ...).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Results, Transaction } from '@electric-sql/pglite';
import type { HeapReduction } from '@common/heap';
import { THREAD_LIMITS } from '@common/threads';
import { PREPARED, statementName, type OpenOptions, type ThreadCall, type ThreadModules, type ThreadReply, type ThreadRequest } from './pglite-protocol';
import { PGLITE_THREAD } from './files';

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

function rebuild(e: Record<string, unknown>): Error {
  const err = new Error(String(e.message));
  Object.assign(err, e);
  if (typeof e.stack === 'string') err.stack = `${e.stack}\n    at (PGlite thread)`;
  return err;
}

/** PGlite's WebAssembly modules and file-system bundle, compiled and read once per process. */
let modules: Promise<ThreadModules> | undefined;
function pgliteModules(): Promise<ThreadModules> {
  modules ??= (async () => {
    const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [pglite, initdb, data] = await Promise.all([
      readFile(join(dist, 'pglite.wasm')).then((b) => WebAssembly.compile(b)),
      readFile(join(dist, 'initdb.wasm')).then((b) => WebAssembly.compile(b)),
      readFile(join(dist, 'pglite.data')),
    ]);
    return { pglite, initdb, fsBundle: new Blob([data]) };
  })();
  return modules;
}

/**
 * A thread whose database was closed waits here for the next open (tests open hundreds): a new
 * thread runs PGlite's JavaScript cold, and opening a database in it takes twice as long.
 */
const idle: Worker[] = [];
const KEEP_IDLE = 1;
const counts = { started: 0, exited: 0 };

/** Threads started and ended so far in this process, and how many wait idle (for tests). */
export function pgliteThreads(): { started: number; exited: number; idle: number } {
  return { ...counts, idle: idle.length };
}

async function newThread(): Promise<Worker> {
  // Plain Node (its own TypeScript type stripping), without the tsx loader: a faster start.
  const worker = new Worker(PGLITE_THREAD, { workerData: await pgliteModules(), execArgv: [], resourceLimits: THREAD_LIMITS });
  counts.started++;
  worker.once('exit', () => {
    counts.exited++;
    const i = idle.indexOf(worker);
    if (i >= 0) idle.splice(i, 1);
  });
  return worker;
}

export class PgliteThread {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private nextId = 1;
  private exited: Error | undefined;
  private readonly onMessage = (m: ThreadReply) => {
    if ('notify' in m) {
      for (const fn of this.channels.get(m.notify) ?? []) fn(m.payload);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error) p.reject(rebuild(m.error));
    else p.resolve(m.result);
  };
  /** What the thread threw before it exited (a module that failed to load, say), for the exit's message. */
  private threadError: Error | undefined;
  private readonly onExit = (code: number) => {
    const why = this.threadError ? `: ${this.threadError.message}` : '';
    this.exited = new Error(`the PGlite database thread exited (code ${code})${why}; restart Sky Eye`);
    for (const p of this.pending.values()) p.reject(this.exited);
    this.pending.clear();
  };
  private readonly onError = (e: Error) => (this.threadError = e); // 'exit' follows and fails every pending call

  private constructor(private readonly worker: Worker) {
    worker.ref();
    worker.on('message', this.onMessage);
    worker.on('exit', this.onExit);
    worker.on('error', this.onError);
  }

  /** Opens a database (in memory, or `dataDir`; from `snapshot` when given) in a thread of its own. */
  static async start(opts: OpenOptions): Promise<PgliteThread> {
    const t = new PgliteThread(idle.pop() ?? (await newThread()));
    try {
      await t.call({ op: 'open', ...opts });
    } catch (e) {
      t.detach();
      await t.worker.terminate();
      throw e;
    }
    return t;
  }

  private detach(): void {
    this.worker.off('message', this.onMessage);
    this.worker.off('exit', this.onExit);
    this.worker.off('error', this.onError);
  }

  private call<T>(c: ThreadCall): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...c, id } as ThreadRequest);
    });
  }

  private queryIn<T>(tx: number | undefined, text: string, params?: unknown[], opts?: QueryOptions): Promise<Results<T>> {
    const rawTypes = opts?.parsers ? Object.keys(opts.parsers).map(Number) : undefined;
    // drizzle's PGlite driver passes no statement name: the text says it (database.ts queryPrepared).
    const prepared = tx === undefined && text.startsWith(PREPARED) ? statementName(text) : undefined;
    return this.call<Results<T>>({ op: 'query', text, params, rowMode: opts?.rowMode, rawTypes, tx, prepared });
  }

  query<T>(text: string, params?: unknown[], opts?: QueryOptions): Promise<Results<T>> {
    return this.queryIn<T>(undefined, text, params, opts);
  }

  exec(text: string): Promise<Results[]> {
    return this.call<Results[]>({ op: 'exec', text });
  }

  /** An interactive transaction: committed when `fn` resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const tx = await this.call<number>({ op: 'begin' });
    let ended = false;
    const handle = {
      query: <R>(text: string, params?: unknown[], opts?: QueryOptions) => this.queryIn<R>(tx, text, params, opts),
      exec: (text: string) => this.call<Results[]>({ op: 'exec', text, tx }),
      rollback: async () => {
        ended = true;
        await this.call({ op: 'end', tx, commit: false });
      },
      get closed() {
        return ended;
      },
    } as unknown as Transaction;
    try {
      const result = await fn(handle);
      if (!ended) {
        ended = true;
        await this.call({ op: 'end', tx, commit: true });
      }
      return result;
    } catch (e) {
      if (!ended) {
        ended = true;
        await this.call({ op: 'end', tx, commit: false }).catch(() => undefined);
      }
      throw e;
    }
  }

  async listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      await this.call({ op: 'listen', channel });
    }
    set.add(fn);
    return async () => {
      set.delete(fn);
      if (set.size || this.channels.get(channel) !== set) return;
      this.channels.delete(channel);
      if (!this.exited) await this.call({ op: 'unlisten', channel });
    };
  }

  /** The thread's heap gives its free pages back to the system (common/heap.ts). */
  reduceHeap(): Promise<HeapReduction> {
    return this.call<HeapReduction>({ op: 'reduce-heap' });
  }

  async dumpDataDir(): Promise<Uint8Array> {
    return this.call<Uint8Array>({ op: 'dump' });
  }

  /**
   * Closes the database; the thread waits for the next open, or ends. `release`: it ends, and the
   * WebAssembly memory the database grew goes back to the system with it.
   */
  async close(o: { release?: boolean } = {}): Promise<void> {
    const closed = this.exited ? false : await this.call({ op: 'close' }).then(() => true, () => false);
    this.detach();
    this.exited ??= new Error('the PGlite database is closed');
    if (closed && !o.release && idle.length < KEEP_IDLE) {
      this.worker.unref();
      idle.push(this.worker);
    } else await this.worker.terminate();
  }
}
