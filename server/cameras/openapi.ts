/** OpenAPI descriptions of /api/v1/cameras, from the same zod schemas the handlers validate with (registered on import). */
import { api, problems, z } from '@server/schemas/openapi';
import { CameraInputSchema, CameraListSchema, CameraPatchSchema, CameraSchema, ConsentWithdrawalSchema, EnrollmentInputSchema, ImportReportSchema, ListQuerySchema, StatusHistorySchema } from './schemas';

function registerDocs(): void {
  const idParams = z.object({ id: z.uuid() });
  const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

  api.registerPath({
    method: 'get',
    path: '/api/v1/cameras',
    tags: ['cameras'],
    summary: 'List cameras (cursor pages; filters; radius search nearest first)',
    request: { query: ListQuerySchema },
    responses: { 200: json(CameraListSchema, 'A page of cameras'), ...problems(400, 401) },
  });
  api.registerPath({
    method: 'post',
    path: '/api/v1/cameras',
    tags: ['cameras'],
    summary: 'Register a camera (administrators and operators; merchants use /api/v1/enrollment/merchant)',
    request: { body: { content: { 'application/json': { schema: CameraInputSchema } } } },
    responses: { 201: json(CameraSchema, 'Created; Location names it'), ...problems(400, 401, 403) },
  });
  api.registerPath({
    method: 'get',
    path: '/api/v1/cameras/{id}',
    tags: ['cameras'],
    summary: 'One camera',
    request: { params: idParams },
    responses: { 200: json(CameraSchema, 'The camera (ETag = version and live-status time; If-Match compares the version)'), ...problems(401, 404) },
  });
  api.registerPath({
    method: 'patch',
    path: '/api/v1/cameras/{id}',
    tags: ['cameras'],
    summary: 'Change a camera (version in body or If-Match; credentials: object replaces, null removes)',
    request: { params: idParams, body: { content: { 'application/json': { schema: CameraPatchSchema } } } },
    responses: { 200: json(CameraSchema, 'The changed camera'), ...problems(400, 401, 403, 404, 409) },
  });
  api.registerPath({
    method: 'delete',
    path: '/api/v1/cameras/{id}',
    tags: ['cameras'],
    summary: 'Remove a camera',
    request: { params: idParams },
    responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
  });
  api.registerPath({
    method: 'get',
    path: '/api/v1/cameras/{id}/preview.jpg',
    tags: ['cameras'],
    summary: 'A still from the camera now, whatever its enrollment state (administrators and operators; audited; for the approval dialog)',
    request: { params: idParams },
    responses: { 200: { description: 'A 640-px-wide JPEG', content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problems(401, 403, 404, 422, 429, 502) },
  });
  api.registerPath({
    method: 'post',
    path: '/api/v1/cameras/{id}/consent/withdraw',
    tags: ['cameras'],
    summary: "The owning merchant withdraws consent: the camera is disabled and retired at once (recordings stay until retention)",
    request: { params: idParams, body: { content: { 'application/json': { schema: ConsentWithdrawalSchema } } } },
    responses: { 204: { description: 'Withdrawn; the camera is retired' }, ...problems(400, 401, 403, 404) },
  });
  api.registerPath({
    method: 'post',
    path: '/api/v1/cameras/{id}/enrollment',
    tags: ['cameras'],
    summary: 'Approve, reject or suspend (administrators and operators)',
    request: { params: idParams, body: { content: { 'application/json': { schema: EnrollmentInputSchema } } } },
    responses: { 200: json(CameraSchema, 'The camera'), ...problems(400, 401, 403, 404) },
  });
  api.registerPath({
    method: 'get',
    path: '/api/v1/cameras/{id}/status-history',
    tags: ['cameras'],
    summary: 'Status changes reported by ingest workers, newest first',
    request: { params: idParams, query: z.object({ limit: z.number().int().min(1).max(500).optional(), cursor: z.string().optional() }) },
    responses: { 200: json(StatusHistorySchema, 'A page of status changes'), ...problems(401, 404) },
  });
  api.registerPath({
    method: 'post',
    path: '/api/v1/cameras/import',
    tags: ['cameras'],
    summary: 'Bulk import (CSV or JSON); all-or-nothing unless partial=true',
    request: {
      query: z.object({ partial: z.enum(['true', 'false']).optional() }),
      body: {
        content: {
          'text/csv': { schema: z.string().openapi({ description: 'Header: name,kind,lat,lon,address,coordSystem,rtspUrl,rtspSubUrl,onvifUrl,username,password,tags,stationCode,policeRoomCode,patrolZoneCode,gridCode,ownerName,ownerPhone' }) },
          'application/json': { schema: z.union([z.array(CameraInputSchema), z.object({ items: z.array(CameraInputSchema) })]) },
        },
      },
    },
    responses: { 200: json(ImportReportSchema, 'What was created and which rows failed'), ...problems(400, 401, 403, 413, 422) },
  });
  api.registerPath({
    method: 'get',
    path: '/api/v1/cameras/export.csv',
    tags: ['cameras'],
    summary: 'CSV export of the cameras matching the list filters (no credentials)',
    request: { query: ListQuerySchema },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems(400, 401, 403) },
  });
}

// OpenAPI paths are registered once, when the module is imported (the one way every module does it).
registerDocs();
