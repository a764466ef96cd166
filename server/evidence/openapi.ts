/** Request/response schemas of the evidence routes, registered in the OpenAPI document once, on import. */
import { api, problems, z } from '@server/schemas/openapi';

const iso = () => z.iso.datetime({ offset: true });
const MAX_RANGE_MS = 31 * 86_400_000;

export const IncidentParam = z.object({ id: z.string().min(1).max(100).openapi({ description: 'Incident id' }) });
export const ItemParam = z.object({ id: z.uuid().openapi({ description: 'Evidence item id' }) });
export const HistoryQuery = z.object({ history: z.enum(['true', 'false']).optional().describe('true: every version, not only the newest') }).strict();

const common = { note: z.string().max(2000).optional(), holdUntil: iso().optional().describe('When the legal hold ends (default: never)') };
export const AttachBody = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('clip'), clipId: z.string().min(1).max(100), ...common }).strict(),
    z
      .object({ kind: z.literal('range'), cameraId: z.uuid(), from: iso(), to: iso(), ...common })
      .strict()
      .refine((b) => Date.parse(b.from) < Date.parse(b.to), { path: ['from'], message: 'must be before to' })
      .refine((b) => Date.parse(b.to) - Date.parse(b.from) <= MAX_RANGE_MS, { path: ['to'], message: 'at most 31 days after from' }),
  ])
  .openapi('EvidenceAttach');

export const CorrectionBody = z
  .object({ reason: z.string().min(1).max(2000).describe('Why this correction'), clipId: z.string().min(1).max(100).optional(), from: iso().optional(), to: iso().optional(), ...common })
  .strict()
  .openapi('EvidenceCorrection');

const Gap = z.object({ from: z.string(), to: z.string() });
export const EvidenceItemSchema = z
  .object({
    id: z.string(),
    rootId: z.string().describe('First version\'s id (same for all versions)'),
    version: z.number().int(),
    supersedes: z.string().nullable(),
    supersededBy: z.string().nullable(),
    incidentId: z.string(),
    kind: z.enum(['clip', 'range']),
    clipId: z.string().nullable(),
    cameraId: z.string(),
    from: z.string(),
    to: z.string(),
    sha256: z.string().describe('clip: the MP4\'s sha256; range: sha256 over its segments\' "sha256 from to" lines'),
    bytes: z.number().nullable(),
    partial: z.boolean(),
    gaps: z.array(Gap),
    segments: z.array(z.object({ sha256: z.string(), bytes: z.number(), from: z.string(), to: z.string() })),
    note: z.string(),
    reason: z.string().nullable(),
    holdId: z.string().nullable(),
    holdExpiresAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('EvidenceItem');

export const CustodySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    incidentId: z.string(),
    action: z.enum(['view', 'download', 'export', 'attach', 'verify']),
    itemKind: z.enum(['clip', 'evidence', 'export']),
    itemId: z.string(),
    sha256: z.string().nullable(),
    userId: z.string().nullable(),
    userName: z.string().nullable(),
    address: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi('CustodyEntry');

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

api.registerPath({
  method: 'post', path: '/api/v1/incidents/{id}/evidence', tags: ['evidence'],
  summary: 'Attach a finished clip or a recorded range as an immutable evidence item; its footage goes under legal hold',
  request: { params: IncidentParam, body: { content: { 'application/json': { schema: AttachBody } } } },
  responses: { 201: json(EvidenceItemSchema, 'The item'), ...problems(400, 401, 403, 404, 422) },
});
api.registerPath({
  method: 'get', path: '/api/v1/incidents/{id}/evidence', tags: ['evidence'],
  summary: 'An incident\'s evidence items, newest version of each (custody: one view per item)',
  request: { params: IncidentParam, query: HistoryQuery },
  responses: { 200: json(z.object({ items: z.array(EvidenceItemSchema) }), 'Items'), ...problems(400, 401, 404) },
});
api.registerPath({
  method: 'get', path: '/api/v1/incidents/{id}/custody', tags: ['evidence'],
  summary: 'The incident\'s chain-of-custody log, oldest first',
  request: { params: IncidentParam },
  responses: { 200: json(z.object({ items: z.array(CustodySchema) }), 'Entries'), ...problems(400, 401, 404) },
});
api.registerPath({
  method: 'get', path: '/api/v1/evidence/{id}', tags: ['evidence'],
  summary: 'One evidence item with its versions and custody entries (custody: view)',
  request: { params: ItemParam },
  responses: { 200: json(z.object({ item: EvidenceItemSchema, versions: z.array(EvidenceItemSchema), custody: z.array(CustodySchema) }), 'Item'), ...problems(400, 401, 404) },
});
api.registerPath({
  method: 'get', path: '/api/v1/evidence/{id}/download', tags: ['evidence'],
  summary: 'A clip item\'s MP4 (custody: download)',
  request: { params: ItemParam },
  responses: { 200: { description: 'video/mp4', content: { 'video/mp4': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problems(400, 401, 404, 422) },
});
api.registerPath({
  method: 'post', path: '/api/v1/evidence/{id}/versions', tags: ['evidence'],
  summary: 'Correct an item: a new version that supersedes it (the item itself never changes)',
  request: { params: ItemParam, body: { content: { 'application/json': { schema: CorrectionBody } } } },
  responses: { 201: json(EvidenceItemSchema, 'The new version'), ...problems(400, 401, 403, 404, 409, 422) },
});

export const ExportParam = z.object({ id: z.uuid().openapi({ description: 'Export id' }) });
export const ExportSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    url: z.string().nullable().describe('Absolute URL of the zip (when done); GET it with the same bearer token'),
    sha256: z.string().nullable().describe('Of the zip'),
    bytes: z.number().nullable(),
    manifestSha256: z.string().nullable(),
    items: z.number().nullable(),
    error: z.string().nullable(),
    waiting: z.string().nullable().describe('Why a running export waits (recorded segments cached on another worker, not archived yet); null when it does not'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('EvidenceExport');
export const PackageReportSchema = z
  .object({
    ok: z.boolean(),
    exportId: z.string().nullable(),
    incident: z.object({ id: z.string(), number: z.string() }).nullable(),
    signature: z.enum(['valid', 'invalid', 'missing']),
    keySource: z.enum(['given', 'package', 'none']),
    keyId: z.string().nullable(),
    items: z.number().int(),
    files: z.number().int(),
    problems: z.array(z.object({ item: z.string().nullable(), file: z.string().nullable(), problem: z.string() })),
  })
  .openapi('EvidencePackageReport');

api.registerPath({
  method: 'post', path: '/api/v1/incidents/{id}/exports', tags: ['evidence'],
  summary: 'Build a signed export package of the incident\'s evidence (in the background)',
  request: { params: IncidentParam },
  responses: { 202: json(z.object({ id: z.string() }), 'Queued'), ...problems(400, 401, 404) },
});
export const ExportListSchema = z.object({ items: z.array(ExportSchema) });
api.registerPath({
  method: 'get', path: '/api/v1/incidents/{id}/exports', tags: ['evidence'],
  summary: 'The incident\'s export packages, newest first',
  request: { params: IncidentParam },
  responses: { 200: json(ExportListSchema, 'Exports'), ...problems(400, 401, 404) },
});
api.registerPath({
  method: 'get', path: '/api/v1/exports/{id}', tags: ['evidence'],
  summary: 'An export\'s status; url when done',
  request: { params: ExportParam },
  responses: { 200: json(ExportSchema, 'Export'), ...problems(400, 401, 404) },
});
api.registerPath({
  method: 'get', path: '/api/v1/exports/{id}/download', tags: ['evidence'],
  summary: 'The export package (zip; custody: download)',
  request: { params: ExportParam },
  responses: { 200: { description: 'application/zip', content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problems(400, 401, 404, 409) },
});
api.registerPath({
  method: 'post', path: '/api/v1/evidence/verify', tags: ['evidence'],
  summary: 'Verify an export package (the zip as the body) against this deployment\'s key: signature, every hash, completeness',
  request: { body: { content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } } } },
  responses: { 200: json(PackageReportSchema, 'Report (ok false names each problem)'), ...problems(401, 413, 415) },
});
