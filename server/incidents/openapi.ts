/** OpenAPI entries for the incident routes (registered once, on import). */
import { api, problems, z } from '@server/schemas/openapi';
import {
  AddCameraSchema,
  AssigneesSchema,
  CreateIncidentSchema,
  HistorySchema,
  IncidentCameraListSchema,
  IncidentListSchema,
  IncidentSchema,
  ListQuerySchema,
  MetaSchema,
  PatchIncidentSchema,
  StationSchema,
} from './schemas';

const IdParam = z.object({ id: z.uuid().openapi({ description: 'Incident id' }) });
const UserParam = z.object({ id: z.uuid().openapi({ description: 'User id' }) });
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['incidents'];
const Person = z.object({ id: z.string(), username: z.string(), displayName: z.string(), stationId: z.string().nullable() });

api.registerPath({
  method: 'get',
  path: '/api/v1/incidents',
  tags,
  summary: 'Incidents the caller may see (admins all; investigators their station and assigned; operators their station and created), newest first',
  request: { query: ListQuerySchema },
  responses: { 200: { description: 'A page of incidents', ...json(IncidentListSchema) }, ...problems(400, 401, 404) },
});

api.registerPath({
  method: 'post',
  path: '/api/v1/incidents',
  tags,
  summary: 'Create an incident (admins, operators, investigators); numbered per station and year, e.g. 新安派出所-2026-00123',
  request: { body: json(CreateIncidentSchema) },
  responses: { 201: { description: 'The incident (its id is `id`)', ...json(IncidentSchema) }, ...problems(400, 401, 403, 404) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/incidents/meta',
  tags,
  summary: 'Categories, statuses and the largest radius the forms offer',
  responses: { 200: { description: 'Form choices', ...json(MetaSchema) }, ...problems(401, 404) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/incidents/investigators',
  tags,
  summary: 'Enabled investigators (to assign), with their station',
  responses: { 200: { description: 'Investigators', ...json(z.object({ items: z.array(Person) })) }, ...problems(401, 404) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/incidents/{id}',
  tags,
  summary: 'One incident (404 when the caller may not see it)',
  request: { params: IdParam },
  responses: { 200: { description: 'The incident', ...json(IncidentSchema) }, ...problems(400, 401, 404) },
});

api.registerPath({
  method: 'patch',
  path: '/api/v1/incidents/{id}',
  tags,
  summary: 'Change an incident (title, category, description, status, window, location, radius; station: staff); kept in its history',
  request: { params: IdParam, body: json(PatchIncidentSchema) },
  responses: { 200: { description: 'The incident after the change', ...json(IncidentSchema) }, ...problems(400, 401, 403, 404, 409) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/incidents/{id}/history',
  tags,
  summary: 'Every change of the incident: who, when, what',
  request: { params: IdParam },
  responses: { 200: { description: 'Oldest first', ...json(HistorySchema) }, ...problems(400, 401, 404) },
});

api.registerPath({
  method: 'put',
  path: '/api/v1/incidents/{id}/assignees',
  tags,
  summary: 'Replace the assigned investigators',
  request: { params: IdParam, body: json(AssigneesSchema) },
  responses: { 200: { description: 'The incident', ...json(IncidentSchema) }, ...problems(400, 401, 403, 404) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/incidents/{id}/cameras',
  tags,
  summary: 'Cameras that may have seen it: within the radius and added by hand, nearest first, with recorded spans and gaps inside the window',
  request: { params: IdParam },
  responses: { 200: { description: 'Cameras, nearest first', ...json(IncidentCameraListSchema) }, ...problems(400, 401, 404) },
});

api.registerPath({
  method: 'post',
  path: '/api/v1/incidents/{id}/cameras',
  tags,
  summary: 'Add a camera by hand (201; 200 when it was already added)',
  request: { params: IdParam, body: json(AddCameraSchema) },
  responses: { 201: { description: 'Added', ...json(z.object({ cameraId: z.string(), manual: z.literal(true), added: z.boolean() })) }, ...problems(400, 401, 403, 404) },
});

api.registerPath({
  method: 'delete',
  path: '/api/v1/incidents/{id}/cameras/{cameraId}',
  tags,
  summary: 'Remove a camera added by hand',
  request: { params: z.object({ id: z.uuid(), cameraId: z.uuid() }) },
  responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/users/{id}/station',
  tags,
  summary: "A user's station (admins any user, others themselves)",
  request: { params: UserParam },
  responses: { 200: { description: 'The station id or null', ...json(StationSchema) }, ...problems(401, 403, 404) },
});

api.registerPath({
  method: 'put',
  path: '/api/v1/users/{id}/station',
  tags,
  summary: 'Put a user in a station, or none (admins); decides which incidents investigators and operators see',
  request: { params: UserParam, body: json(StationSchema) },
  responses: { 200: { description: 'The station id or null', ...json(StationSchema) }, ...problems(400, 401, 403, 404) },
});
