/** /api/v1/users: administration of users (admins only). */
import { Router } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import { requireRole } from '@server/auth/middleware';
import { ManagedUserSchema as UserSchema, UserInputSchema, UserListSchema, UserPatchSchema } from '@server/auth/schemas';
import { api, problems, z } from '@server/schemas/openapi';
import { parseBody, parseParams } from '@server/schemas/validate';
import type { UsersService } from './users-service';

const IdParams = z.object({ id: z.uuid() });

function registerDocs(): void {
  const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
  const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
  api.registerPath({ method: 'get', path: '/api/v1/users', tags: ['users'], summary: 'List users (admin)', responses: { 200: json(UserListSchema, 'Users'), ...problems(401, 403) } });
  api.registerPath({ method: 'post', path: '/api/v1/users', tags: ['users'], summary: 'Create a user (admin)', request: body(UserInputSchema), responses: { 201: json(UserSchema, 'Created'), ...problems(400, 401, 403, 409) } });
  api.registerPath({ method: 'get', path: '/api/v1/users/{id}', tags: ['users'], summary: 'One user (admin)', request: { params: IdParams }, responses: { 200: json(UserSchema, 'The user'), ...problems(401, 403, 404) } });
  api.registerPath({
    method: 'patch',
    path: '/api/v1/users/{id}',
    tags: ['users'],
    summary: 'Change role, name, disabled or password (admin; version for optimistic concurrency)',
    request: { params: IdParams, ...body(UserPatchSchema) },
    responses: { 200: json(UserSchema, 'Updated'), ...problems(400, 401, 403, 404, 409) },
  });
  api.registerPath({ method: 'delete', path: '/api/v1/users/{id}', tags: ['users'], summary: 'Delete a user (admin)', request: { params: IdParams }, responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) } });
}

// OpenAPI paths are registered once, when the module is imported (the one way every module does it).
registerDocs();

export function userRoutes(users: UsersService): Router {
  const r = Router();
  r.use('/users', requireRole('admin'));
  r.get('/users', async (_req, res) => {
    res.json(await users.list());
  });
  r.post('/users', async (req, res) => {
    const user = await users.create(parseBody(UserInputSchema, req), actorOf(req));
    res.status(201).location(`/api/v1/users/${user.id}`).json(user);
  });
  r.get('/users/:id', async (req, res) => {
    const user = await users.get(parseParams(IdParams, req).id);
    res.setHeader('ETag', `"${user.version}"`);
    res.json(user);
  });
  r.patch('/users/:id', async (req, res) => {
    res.json(await users.update(parseParams(IdParams, req).id, parseBody(UserPatchSchema, req), actorOf(req)));
  });
  r.delete('/users/:id', async (req, res) => {
    await users.remove(parseParams(IdParams, req).id, actorOf(req));
    res.status(204).end();
  });
  return r;
}
