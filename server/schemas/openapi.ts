/**
 * One OpenAPI registry fed by the same zod schemas that validate requests. Route modules call
 * `api.registerPath(...)` next to their handlers; /api/openapi.json renders the document.
 * Import `z` from here so `.openapi()` metadata is available on every schema.
 */
import { OpenAPIRegistry, OpenApiGeneratorV3, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);
export { z };

export const api = new OpenAPIRegistry();

api.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
api.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'skyeye_session' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** Standard problem responses to spread into a path's `responses`. */
export function problems(...statuses: number[]) {
  const out: Record<string, { description: string; content: Record<string, { schema: typeof ProblemSchema }> }> = {};
  const text: Record<number, string> = {
    400: 'Validation failed (errors names the fields)',
    401: 'Not signed in',
    403: 'Role not allowed',
    404: 'Not found',
    409: 'Conflict (stale version or duplicate)',
    413: 'Body too large',
    422: 'Unprocessable (see errors)',
    429: 'Too many requests',
    502: 'The camera (or another upstream) did not answer as expected',
  };
  for (const s of statuses) out[String(s)] = { description: text[s] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } };
  return out;
}

export function openApiDocument(): object {
  return new OpenApiGeneratorV3(api.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'Sky Eye API', version: '1', description: 'Camera registry, discovery, ingest and evidence for county Sky Eye networks.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
  });
}
