/** GET /api/v1/audit: the append-only audit log, newest first, for administrators. */
import { Router } from 'express';
import type { Database } from '@server/db/database';
import { requireRole } from '@server/auth/middleware';
import { api, problems, z } from '@server/schemas/openapi';
import { parseQuery } from '@server/schemas/validate';

export const AuditQuerySchema = z
  .object({
    actor: z.string().max(64).optional().describe('Actor user name'),
    action: z.string().max(64).optional().describe('Exact action (camera.create) or a prefix ending in "." (camera.)'),
    targetType: z.string().max(32).optional(),
    targetId: z.string().max(64).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().regex(/^\d+$/, 'an id from nextCursor').optional(),
  })
  .strict();

const EntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    actorRole: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

interface Row {
  id: string;
  at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown> | string;
}

export function auditRoutes(database: Database): Router {
  api.registerPath({
    method: 'get',
    path: '/api/v1/audit',
    tags: ['audit'],
    summary: 'Query the audit log (admin), newest first, cursor pages',
    request: { query: AuditQuerySchema },
    responses: { 200: { description: 'Entries', content: { 'application/json': { schema: z.object({ items: z.array(EntrySchema), nextCursor: z.string().nullable() }) } } }, ...problems(400, 401, 403) },
  });
  const r = Router();
  r.get('/audit', requireRole('admin'), async (req, res) => {
    const q = parseQuery(AuditQuerySchema, req);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (q.actor) add('actor_name = ?', q.actor);
    if (q.action) q.action.endsWith('.') ? add("action LIKE ? || '%'", q.action) : add('action = ?', q.action);
    if (q.targetType) add('target_type = ?', q.targetType);
    if (q.targetId) add('target_id = ?', q.targetId);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (q.cursor) add('id < ?', q.cursor);
    params.push(q.limit + 1);
    const rows = await database.query<Row>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    res.json({
      items: page.map((x) => ({
        id: String(x.id),
        at: new Date(x.at).toISOString(),
        actorId: x.actor_id,
        actorName: x.actor_name,
        actorRole: x.actor_role,
        action: x.action,
        targetType: x.target_type,
        targetId: x.target_id,
        ip: x.ip,
        requestId: x.request_id,
        details: typeof x.details === 'string' ? JSON.parse(x.details) : x.details,
      })),
      nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
    });
  });
  return r;
}
