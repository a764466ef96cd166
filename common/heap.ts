/**
 * One full garbage collection of this thread's V8 heap that also gives its free pages back to the
 * operating system (V8's "last resort" collection: it shrinks the young generation and releases
 * pooled pages, which an ordinary collection keeps committed). Start-up (module loading, the
 * migrations, seeding) leaves tens of MiB of garbage and a grown young generation behind that an
 * idle process would otherwise hold for good; docs/benchmarks.md, "Memory round".
 * A synchronous pause (~0.1 s for the main thread): called once after start-up, never per request.
 *
 * The PGlite and embedded-S3 threads do the same on a message (their modules cannot import this
 * one: pglite-thread.ts runs on plain Node, the S3 thread is evaluated source).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let gc: Gc | undefined;

/** The heap's resident size (V8's total_physical_size) before and after, in bytes. */
export interface HeapReduction {
  before: number;
  after: number;
}

export function reduceHeap(): HeapReduction {
  const before = getHeapStatistics().total_physical_size;
  if (!gc) {
    // V8's gc() is installed only into contexts created while --expose-gc is set: make one and keep
    // its gc. The flag is process-wide and stays set: unsetting it raced the same steps in the
    // database and S3 threads (one thread's unset between another's set and its new context left
    // that context without gc: "gc is not defined", seen on CI).
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return { before, after: getHeapStatistics().total_physical_size };
}
