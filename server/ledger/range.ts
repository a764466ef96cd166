/** The `from`/`to` query of the timeline and playback routes (ISO 8601), checked and defaulted. */
import { badRequest } from '@server/http/problem';
import { parseQuery } from '@server/schemas/validate';
import { z } from '@server/schemas/openapi';
import type { Request } from 'express';

export const RangeQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Start (ISO 8601); default: 24 h before `to`' }),
    to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'End (ISO 8601); default: now' }),
  })
  .strict();

/** The playback route's query: the range, and the incident the player replays for (optional). */
export const PlaybackQuery = RangeQuery.extend({
  incident: z.string().uuid().optional().openapi({ description: 'Replay as part of this incident (one the caller may see): opens ranges released to it' }),
}).strict();

/** `schema`: RangeQuery, or one extended with a route's own parameters (still strict). */
export function parseRange(req: Request, now: Date, maxMs: number, defaultMs = 86_400_000, schema: z.ZodType<{ from?: string; to?: string }> = RangeQuery): { from: Date; to: Date } {
  const q = parseQuery(schema, req);
  const to = q.to ? new Date(q.to) : q.from ? new Date(Date.parse(q.from) + defaultMs) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - defaultMs);
  if (to.getTime() <= from.getTime()) throw badRequest('`to` must be after `from`.', [{ field: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > maxMs) {
    throw badRequest(`The range may span at most ${Math.round(maxMs / 3_600_000)} hours.`, [{ field: 'from', message: 'range too long' }]);
  }
  return { from, to };
}
