/** Messages between the query layer (pglite-client.ts) and the thread that owns PGlite (pglite-thread.ts). */
import { createHash } from 'node:crypto';

/**
 * The start of a query text that is run as a named statement, parsed and planned once per
 * connection (database.ts queryPrepared): a comment, so PostgreSQL reads past it.
 */
export const PREPARED = '/* prepared */ ';

/** A named statement's name: from its text, so one text is one statement on every connection. */
export const statementName = (text: string) => `skyeye_${createHash('sha1').update(text).digest('base64url')}`;

/** Compiled and read once per process and shared by every thread (compiling per thread costs ~1 s). */
export interface ThreadModules {
  pglite: WebAssembly.Module;
  initdb: WebAssembly.Module;
  fsBundle: Blob;
}

export interface OpenOptions {
  /** A data directory on disk; none: in memory. */
  dataDir?: string;
  /** A dumped data directory (tar) to start from. */
  snapshot?: Uint8Array;
}

export type ThreadCall =
  | ({ op: 'open' } & OpenOptions)
  /** prepared: the statement's name, outside transactions only (parsed and planned once per database). */
  | { op: 'query'; text: string; params?: unknown[]; rowMode?: 'array' | 'object'; rawTypes?: number[]; tx?: number; prepared?: string }
  | { op: 'exec'; text: string; tx?: number }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'listen'; channel: string }
  | { op: 'unlisten'; channel: string }
  | { op: 'dump' }
  | { op: 'reduce-heap' }
  | { op: 'close' };

export type ThreadRequest = ThreadCall & { id: number };

export type ThreadReply =
  | { id: number; result: unknown; error?: undefined }
  | { id: number; error: Record<string, unknown>; result?: undefined }
  | { notify: string; payload: string };
