/**
 * Errors from the query layer, made safe to log: a failed query's parameters (password hashes,
 * encrypted credentials, user text) and PostgreSQL's `detail` ("Failing row contains (...)", which
 * lists every value of the row) never reach a log. The SQL text and the error code stay.
 */
import pino from 'pino';

/** Properties that can carry query values: drizzle's params, pg's detail/where/internal query. */
const VALUE_KEYS = ['params', 'parameters', 'detail', 'where', 'internalQuery', 'hint'];

type Serialized = Record<string, unknown>;

function scrub(e: Serialized): Serialized {
  const out = e;
  for (const k of VALUE_KEYS) delete out[k];
  // drizzle's DrizzleQueryError message is "Failed query: <sql>\nparams: <values>".
  if (typeof out.message === 'string') out.message = out.message.replace(/\nparams: [\s\S]*$/, '');
  if (typeof out.stack === 'string') out.stack = out.stack.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, '');
  if (out.cause && typeof out.cause === 'object') out.cause = scrub(out.cause as Serialized);
  return out;
}

/** pino `err` serializer: the standard one, without query values (used by every logger). */
export function safeErrorSerializer(err: unknown): unknown {
  // pino-http hands over an error it has already serialised; serialise real errors only.
  const s = err instanceof Error ? (pino.stdSerializers.err(err) as unknown) : err;
  return s && typeof s === 'object' ? scrub(s as Serialized) : s;
}

/** PostgreSQL refused a character in the input (NUL, invalid byte sequence): the client's fault. */
export function isRefusedCharacter(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === '22021' || e.code === '22P05') return true;
  }
  return false;
}
