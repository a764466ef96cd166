/** Request/response schemas of the recordings routes, registered in the OpenAPI document once, on import. */
import { api, problems, z } from '@server/schemas/openapi';

export const MAX_RANGE_MS = 31 * 86_400_000;
const iso = () => z.iso.datetime({ offset: true });

export const CameraParam = z.object({ id: z.uuid().openapi({ description: 'Camera id' }) });
export const RangeQuery = z.object({
  from: iso().optional().openapi({ description: 'ISO 8601; default: 24 h before to' }),
  to: iso().optional().openapi({ description: 'ISO 8601; default: now' }),
});
export const VerifyBody = z.object({ cameraId: z.uuid(), from: iso(), to: iso() }).strict();

const Recording = z
  .object({ start: z.string(), end: z.string(), bytes: z.number().int(), sha256: z.string(), state: z.enum(['cached', 'archived']) })
  .openapi('Recording');
const VerifyReport = z
  .object({ ok: z.boolean(), checked: z.number().int(), problems: z.array(z.object({ start: z.string(), problem: z.string() })) })
  .openapi('IntegrityReport');

api.registerPath({
  method: 'get',
  path: '/api/v1/cameras/{id}/recordings',
  tags: ['recordings'],
  summary: 'Recorded segments of a camera overlapping [from, to): cached (on a worker) or archived (verified in S3)',
  request: { params: CameraParam, query: RangeQuery },
  responses: { 200: { description: 'Segments by start', content: { 'application/json': { schema: z.object({ items: z.array(Recording) }) } } }, ...problems(400, 401, 404) },
});

api.registerPath({
  method: 'post',
  path: '/api/v1/integrity/verify',
  tags: ['recordings'],
  summary: 'Re-read a camera\'s archived objects over a range and check them against the index and its hash chain (admin)',
  request: { body: { content: { 'application/json': { schema: VerifyBody } } } },
  responses: { 200: { description: 'Missing, altered or out-of-chain segments', content: { 'application/json': { schema: VerifyReport } } }, ...problems(400, 401, 403) },
});
