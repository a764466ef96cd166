/** Request/response schemas of the clip routes, registered in the OpenAPI document once, on import. */
import { api, problems, z } from '@server/schemas/openapi';

const iso = () => z.iso.datetime({ offset: true });

export const IdParam = z.object({ id: z.uuid().openapi({ description: 'Id' }) });

export const ClipBody = z.union([
  z.object({ cameraId: z.uuid(), from: iso(), to: iso() }).strict(),
  z.object({ cameraIds: z.array(z.uuid()).min(1), from: iso(), to: iso() }).strict(),
]);

const Gap = z.object({ from: z.string().datetime(), to: z.string().datetime() });

export const ClipSchema = z
  .object({
    id: z.uuid(),
    incidentId: z.uuid(),
    cameraId: z.uuid(),
    status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
    progress: z.number().openapi({ description: '0..1' }),
    requestedFrom: z.string().datetime(),
    requestedTo: z.string().datetime(),
    actualFrom: z.string().datetime().nullable().openapi({ description: 'Wall-clock time of the first frame: the keyframe at or before `from` (or the first recorded frame after it)' }),
    actualTo: z.string().datetime().nullable(),
    partial: z.boolean().openapi({ description: 'Part of the window was not recorded; see gaps (the file holds the recorded parts back to back)' }),
    gaps: z.array(Gap),
    sha256: z.string().nullable().openapi({ description: 'SHA-256 (hex) of the MP4' }),
    bytes: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .openapi('Clip');

const created = (schema: z.ZodType) => ({ 202: { description: 'Queued', content: { 'application/json': { schema } } } });

api.registerPath({
  method: 'post',
  path: '/api/v1/incidents/{id}/clips',
  tags: ['clips'],
  summary: 'Queue clip jobs: [from, to) of one camera ({cameraId} -> {id}) or of many for one window ({cameraIds} -> {ids}); stream copy into one MP4 each',
  request: { params: IdParam, body: { content: { 'application/json': { schema: ClipBody } } } },
  responses: { ...created(z.object({ id: z.uuid() }).or(z.object({ ids: z.array(z.uuid()) }))), ...problems(400, 401, 403, 404, 422) },
});

export const ClipListSchema = z.object({ items: z.array(ClipSchema) });

api.registerPath({
  method: 'get',
  path: '/api/v1/incidents/{id}/clips',
  tags: ['clips'],
  summary: "An incident's clip jobs, oldest first (the console's clip list; progress then follows clip:progress)",
  request: { params: IdParam },
  responses: { 200: { description: 'Clips', content: { 'application/json': { schema: ClipListSchema } } }, ...problems(401, 404) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/clips/{id}',
  tags: ['clips'],
  summary: 'A clip job: status, progress (also as socket.io clip:progress to its requester), and once done the actual start/end, gaps, SHA-256',
  request: { params: IdParam },
  responses: { 200: { description: 'The clip', content: { 'application/json': { schema: ClipSchema } } }, ...problems(401, 404) },
});

api.registerPath({
  method: 'post',
  path: '/api/v1/clips/{id}/cancel',
  tags: ['clips'],
  summary: 'Cancel a queued or running clip job (its ffmpeg is stopped)',
  request: { params: IdParam },
  responses: { 200: { description: 'The cancelled clip', content: { 'application/json': { schema: ClipSchema } } }, ...problems(401, 403, 404, 409) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/clips/{id}/download',
  tags: ['clips'],
  summary: 'The clip MP4 (HTTP Range supported); every request writes a chain-of-custody entry',
  request: { params: IdParam, headers: z.object({ range: z.string().optional().openapi({ description: 'bytes=a-b' }) }) },
  responses: {
    200: { description: 'The whole MP4', content: { 'video/mp4': { schema: z.string().openapi({ format: 'binary' }) } } },
    206: { description: 'The requested bytes', content: { 'video/mp4': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...problems(401, 404, 409, 416),
  },
});
