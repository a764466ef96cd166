/** /api/v1/discovery: scans, discovered devices and their enrollment. Staff only. */
import { Router } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import { requireRole } from '@server/auth/middleware';
import { api, problems } from '@server/schemas/openapi';
import { parseBody, parseParams, parseQuery } from '@server/schemas/validate';
import type { Request } from 'express';
import type { Actor } from '@server/cameras/index';
import type { DiscoveryModule } from './index';
import { ApplyProposalSchema, DeviceSchema, EnrollBulkSchema, EnrollOneSchema, EnrollResultSchema, IdParams, ProposalListSchema, ProposalQuery, ProposalSchema, ScanListSchema, ScanSchema, ScanStartedSchema, StartScanSchema } from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['Discovery'];

api.registerPath({
  method: 'post',
  path: '/api/v1/discovery/scans',
  tags,
  summary: 'Start a discovery scan (multicast WS-Discovery, or unicast over an allowed CIDR range)',
  request: { body: json(StartScanSchema) },
  responses: { 202: { description: 'Scan started; follow GET /scans/{id} or discovery:* socket events', ...json(ScanStartedSchema) }, ...problems(400, 401, 403) },
});
api.registerPath({
  method: 'get',
  path: '/api/v1/discovery/scans',
  tags,
  summary: 'Recent scans',
  responses: { 200: { description: 'Scans, newest first', ...json(ScanListSchema) }, ...problems(401, 403) },
});
api.registerPath({
  method: 'get',
  path: '/api/v1/discovery/scans/{id}',
  tags,
  summary: 'A scan and the devices it found so far',
  request: { params: IdParams },
  responses: { 200: { description: 'The scan', ...json(ScanSchema) }, ...problems(400, 401, 403, 404) },
});
api.registerPath({
  method: 'get',
  path: '/api/v1/discovery/devices/{id}',
  tags,
  summary: 'One discovered device',
  request: { params: IdParams },
  responses: { 200: { description: 'The device', ...json(DeviceSchema) }, ...problems(400, 401, 403, 404) },
});
api.registerPath({
  method: 'post',
  path: '/api/v1/discovery/devices/{id}/enroll',
  tags,
  summary: 'Enroll one discovered device into the registry',
  request: { params: IdParams, body: json(EnrollOneSchema) },
  responses: { 201: { description: 'Enrolled', ...json(EnrollResultSchema) }, ...problems(400, 401, 403, 404, 409, 422) },
});
api.registerPath({
  method: 'post',
  path: '/api/v1/discovery/enroll',
  tags,
  summary: 'Enroll several discovered devices at once (all or nothing)',
  request: { body: json(EnrollBulkSchema) },
  responses: { 201: { description: 'Enrolled', ...json(EnrollResultSchema) }, ...problems(400, 401, 403, 404, 409, 422) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/discovery/proposals',
  tags,
  summary: 'Changes re-discovery found for registry cameras (identity clashes flagged); applied only by an operator',
  request: { query: ProposalQuery },
  responses: { 200: { description: 'Proposals, newest first', ...json(ProposalListSchema) }, ...problems(400, 401, 403) },
});
api.registerPath({
  method: 'post',
  path: '/api/v1/discovery/proposals/{id}/apply',
  tags,
  summary: 'Apply a proposal to its camera (through the registry, audited)',
  request: { params: IdParams, body: json(ApplyProposalSchema) },
  responses: { 200: { description: 'Applied', ...json(ProposalSchema) }, ...problems(400, 401, 403, 404, 409, 422) },
});
api.registerPath({
  method: 'post',
  path: '/api/v1/discovery/proposals/{id}/dismiss',
  tags,
  summary: 'Dismiss a proposal (audited); the camera stays as it is',
  request: { params: IdParams },
  responses: { 200: { description: 'Dismissed', ...json(ProposalSchema) }, ...problems(400, 401, 403, 404, 409) },
});

const actorFrom = (req: Request): Actor => ({ user: req.user!, audit: actorOf(req) });

export function discoveryRoutes({ discovery, enroll, proposals }: DiscoveryModule): Router {
  const r = Router();
  const staff = requireRole('admin', 'operator', 'investigator');
  const operate = requireRole('admin', 'operator');

  r.post('/discovery/scans', operate, async (req, res) => {
    const body = parseBody(StartScanSchema, req);
    const started = await discovery.startScan(body, req.user?.id ?? null);
    req.log?.info({ scanId: started.id, method: body.method, range: body.range ?? null, withCredentials: Boolean(body.username) }, 'discovery scan started');
    res.status(202).location(`/api/v1/discovery/scans/${started.id}`).json(started);
  });

  r.get('/discovery/scans', staff, async (_req, res) => {
    res.json({ items: await discovery.listScans() });
  });

  r.get('/discovery/scans/:id', staff, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    res.json(await discovery.getScan(id));
  });

  r.get('/discovery/devices/:id', staff, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    res.json(await discovery.getDevice(id));
  });

  r.post('/discovery/devices/:id/enroll', operate, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const body = parseBody(EnrollOneSchema, req);
    res.status(201).json(await enroll.enroll({ ...body, deviceIds: [id] }, actorFrom(req)));
  });

  r.post('/discovery/enroll', operate, async (req, res) => {
    const body = parseBody(EnrollBulkSchema, req);
    res.status(201).json(await enroll.enroll(body, actorFrom(req)));
  });

  r.get('/discovery/proposals', staff, async (req, res) => {
    const q = parseQuery(ProposalQuery, req);
    res.json({ items: await proposals.list(q.status) });
  });

  r.post('/discovery/proposals/:id/apply', operate, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const body = parseBody(ApplyProposalSchema, req);
    res.json(await proposals.apply(actorFrom(req), id, body));
  });

  r.post('/discovery/proposals/:id/dismiss', operate, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    res.json(await proposals.dismiss(actorFrom(req), id));
  });

  return r;
}

