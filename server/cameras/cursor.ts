/** Opaque list cursors: base64url JSON of the last row's sort key. */
import { badRequest } from '@server/http/problem';
import { UUID } from '@common/uuid';

export type Cursor = { k: 'c'; t: string; id: string } | { k: 'd'; d: number; id: string } | { k: 'h'; id: number };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Decodes a cursor of the expected kind; anything else is a 400 naming `cursor`. */
export function decodeCursor<K extends Cursor['k']>(text: string, kind: K): Extract<Cursor, { k: K }> {
  const bad = () => badRequest('The cursor is not valid for this query.', [{ field: 'cursor', message: 'invalid cursor' }]);
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw bad();
  }
  if (!c || typeof c !== 'object' || c.k !== kind) throw bad();
  const ok =
    (kind === 'c' && typeof c.t === 'string' && TS.test(c.t) && typeof c.id === 'string' && UUID.test(c.id)) ||
    (kind === 'd' && typeof c.d === 'number' && Number.isFinite(c.d) && typeof c.id === 'string' && UUID.test(c.id)) ||
    (kind === 'h' && typeof c.id === 'number' && Number.isSafeInteger(c.id));
  if (!ok) throw bad();
  return c as Extract<Cursor, { k: K }>;
}
