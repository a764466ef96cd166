/**
 * GET /api/v1/audit: the append-only audit log, newest first, for administrators; its export as
 * CSV or NDJSON (streamed, audited) and the hash-chain check.
 */
import { pipeline, Readable } from 'node:stream';
import { Router } from 'express';
import type { Clock } from '@common/clock';
import { requireRole } from '@server/auth/middleware';
import { api, problems, z } from '@server/schemas/openapi';
import { parseQuery } from '@server/schemas/validate';
import { actorOf, type AuditRepository } from './audit-repository';
import type { AuditChainVerifier } from './chain';
import { auditEntries, csvText, auditExportFilename, ndjsonLines, type AuditExportFormat } from './export';

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

/** The viewer's filters, without paging: the export reads every matching entry. */
export const AuditExportQuerySchema = AuditQuerySchema.omit({ limit: true, cursor: true });

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

for (const format of ['csv', 'ndjson'] as const) {
  api.registerPath({
    method: 'get',
    path: `/api/v1/audit/export.${format}`,
    tags: ['audit'],
    summary: `Export the filtered audit log as ${format === 'csv' ? 'CSV (formula cells prefixed with \')' : 'NDJSON (one AuditEntry a line)'} (admin), newest first, streamed; the export is audited (audit.export)`,
    request: { query: AuditExportQuerySchema },
    responses: {
      200: { description: 'Entries older than the export\'s own audit entry; Content-Disposition names the file', content: { [format === 'csv' ? 'text/csv' : 'application/x-ndjson']: { schema: z.string() } } },
      ...problems(400, 401, 403),
    },
  });
}

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

const CONTENT_TYPE: Record<AuditExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

export function auditRoutes(audit: AuditRepository, chain: AuditChainVerifier, clock: Clock): Router {
  const r = Router();
  r.get(['/audit/export.csv', '/audit/export.ndjson'], requireRole('admin'), async (req, res, next) => {
    const format: AuditExportFormat = req.path.endsWith('.ndjson') ? 'ndjson' : 'csv';
    const filter = parseQuery(AuditExportQuerySchema, req);
    const own = await audit.record(actorOf(req), { action: 'audit.export', details: { format, filter } });
    res.setHeader('Content-Type', CONTENT_TYPE[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${auditExportFilename(format, clock.now())}"`);
    res.setHeader('Cache-Control', 'no-store');
    const entries = auditEntries(audit, filter, own);
    pipeline(Readable.from(format === 'csv' ? csvText(entries) : ndjsonLines(entries)), res, (err) => {
      if (!err) return;
      if (!res.headersSent) return next(err);
      req.log?.error({ err }, 'audit export failed mid-stream');
      res.destroy(err);
    });
  });
  r.get('/audit/verify', requireRole('admin'), async (_req, res) => {
    res.json(await chain.verify());
  });
  r.get('/audit', requireRole('admin'), async (req, res) => {
    const { limit, ...filter } = parseQuery(AuditQuerySchema, req);
    res.json(await audit.page(filter, limit));
  });
  return r;
}
