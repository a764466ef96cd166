/** OpenAPI entries for the saved-wall routes (registered once, on import). */
import { api, problems, z } from '@server/schemas/openapi';
import { WallInputSchema, WallListSchema, WallSchema, WallUpdateSchema } from './schemas';

const IdParam = z.object({ id: z.string().uuid().openapi({ description: 'Wall id' }) });
const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

api.registerPath({
  method: 'get',
  path: '/api/v1/walls',
  tags: ['walls'],
  summary: "The user's saved walls, then those shared with their station (merchants: their own only)",
  responses: { 200: { description: 'Walls, own first', content: json(WallListSchema) }, ...problems(401) },
});

api.registerPath({
  method: 'post',
  path: '/api/v1/walls',
  tags: ['walls'],
  summary: 'Save a wall (name unique per user; cameras approved and visible to you; at most 100 walls a user)',
  request: { body: { content: json(WallInputSchema) } },
  responses: { 201: { description: 'Saved', content: json(WallSchema) }, ...problems(400, 401, 403, 409) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/walls/{id}',
  tags: ['walls'],
  summary: 'One saved wall (own, or shared with your station); cameras you may not see are null',
  request: { params: IdParam },
  responses: { 200: { description: 'The wall', content: json(WallSchema) }, ...problems(401, 404) },
});

api.registerPath({
  method: 'put',
  path: '/api/v1/walls/{id}',
  tags: ['walls'],
  summary: 'Replace your wall (optimistic: the version you read)',
  request: { params: IdParam, body: { content: json(WallUpdateSchema) } },
  responses: { 200: { description: 'Saved', content: json(WallSchema) }, ...problems(400, 401, 403, 404, 409) },
});

api.registerPath({
  method: 'delete',
  path: '/api/v1/walls/{id}',
  tags: ['walls'],
  summary: 'Delete your wall (administrators: any wall they can see)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
});
