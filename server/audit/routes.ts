/** GET /api/v1/audit: the append-only audit log, newest first, for administrators. */
import { Router } from 'express';
import { requireRole } from '@server/auth/middleware';
import { api, problems, z } from '@server/schemas/openapi';
import { parseQuery } from '@server/schemas/validate';
import type { AuditRepository } from './audit-repository';
import type { AuditChainVerifier } from './chain';

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

export const AuditEntrySchema = z
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

export const AuditPageSchema = z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi('AuditPage');

// OpenAPI paths are registered once, when the module is imported (the one way every module does it).
api.registerPath({
  method: 'get',
  path: '/api/v1/audit',
  tags: ['audit'],
  summary: 'Query the audit log (admin), newest first, cursor pages',
  request: { query: AuditQuerySchema },
  responses: { 200: { description: 'Entries', content: { 'application/json': { schema: AuditPageSchema } } }, ...problems(400, 401, 403) },
});

export const ChainReportSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('Entries checked'),
    firstBroken: z
      .object({
        seq: z.string().describe('Place in the chain of the first broken entry'),
        id: z.string().nullable().describe('audit entry id (null: entries after the last row were deleted)'),
        problem: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'missing_entries', 'head_mismatch']),
        detail: z.string(),
      })
      .nullable(),
  })
  .openapi('AuditChainReport');

api.registerPath({
  method: 'get',
  path: '/api/v1/audit/verify',
  tags: ['audit'],
  summary: 'Check the audit log hash chain (admin); names the first broken entry',
  responses: { 200: { description: 'Report', content: { 'application/json': { schema: ChainReportSchema } } }, ...problems(401, 403) },
});

export function auditRoutes(audit: AuditRepository, chain: AuditChainVerifier): Router {
  const r = Router();
  r.get('/audit/verify', requireRole('admin'), async (_req, res) => {
    res.json(await chain.verify());
  });
  r.get('/audit', requireRole('admin'), async (req, res) => {
    const { limit, ...filter } = parseQuery(AuditQuerySchema, req);
    res.json(await audit.page(filter, limit));
  });
  return r;
}
