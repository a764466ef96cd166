/**
 * Footage requests and camera sharing: /api/v1/cameras/{id}/sharing, /api/v1/incidents/{id}/footage-requests,
 * /api/v1/incidents/{id}/footage-access, /api/v1/footage-requests (owners' inbox) and their decision.
 */
import { Router, type Request } from 'express';
import { FOOTAGE_REQUEST_STATUSES, SHARING_MODES } from '@common/incidents';
import { actorOf } from '@server/audit/audit-repository';
import { requireAuth } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { api, problems, z } from '@server/schemas/openapi';
import { plainString } from '@server/schemas/text';
import { parseBody, parseParams, parseQuery } from '@server/schemas/validate';
import { notFoundIncident } from '../access';
import type { Actor } from '../service';
import type { FootageService } from './service';

const iso = () => z.iso.datetime({ offset: true });
const IdParams = z.object({ id: z.uuid() });
const SharingSchema = z.object({ mode: z.enum(SHARING_MODES) }).strict().openapi('CameraSharing');
const RequestSchema = z.object({ cameraId: z.uuid(), from: iso(), to: iso(), reason: plainString().trim().max(500).optional() }).strict().openapi('FootageRequestInput');
const DecisionSchema = z.object({ decision: z.enum(['approve', 'decline']), note: plainString().trim().max(500).optional() }).strict().openapi('FootageDecision');
const InboxQuery = z.object({ status: z.enum(FOOTAGE_REQUEST_STATUSES).optional() }).strict();
const AccessQuery = z.object({ cameraId: z.uuid(), from: iso(), to: iso() }).strict();

const actor = (req: Request): Actor => ({ user: userOf(req), audit: actorOf(req) });

export function footageRoutes(footage: FootageService): Router {
  const r = Router();
  r.use(['/footage-requests', '/cameras/:id/sharing', '/incidents/:id/footage-requests', '/incidents/:id/footage-access'], requireAuth);

  r.get('/cameras/:id/sharing', async (req, res) => {
    res.json(await footage.sharing(userOf(req), parseParams(IdParams, req).id));
  });
  r.put('/cameras/:id/sharing', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    res.json(await footage.setSharing(actor(req), id, parseBody(SharingSchema, req).mode));
  });
  r.post('/incidents/:id/footage-requests', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    if (userOf(req).role === 'merchant') throw notFoundIncident();
    res.status(201).json(await footage.request(actor(req), id, parseBody(RequestSchema, req)));
  });
  r.get('/incidents/:id/footage-requests', async (req, res) => {
    res.json(await footage.forIncident(userOf(req), parseParams(IdParams, req).id));
  });
  r.get('/incidents/:id/footage-access', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const q = parseQuery(AccessQuery, req);
    res.json(await footage.accessFor(userOf(req), id, q.cameraId, new Date(q.from), new Date(q.to)));
  });
  r.get('/footage-requests', async (req, res) => {
    res.json(await footage.incoming(userOf(req), parseQuery(InboxQuery, req).status));
  });
  r.post('/footage-requests/:id/decision', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const body = parseBody(DecisionSchema, req);
    res.json(await footage.decide(actor(req), id, body.decision, body.note ?? null));
  });
  return r;
}

const Request_ = z
  .object({
    id: z.string(),
    cameraId: z.string(),
    cameraName: z.string(),
    from: z.string(),
    to: z.string(),
    reason: z.string(),
    status: z.enum(FOOTAGE_REQUEST_STATUSES),
    requestedBy: z.string().nullable(),
    requestedAt: z.string(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    incident: z.object({ id: z.string(), number: z.string(), title: z.string() }).nullable().openapi({ description: 'null for camera owners' }),
  })
  .openapi('FootageRequest');
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['incidents'];
const reg = (method: 'get' | 'put' | 'post', path: string, summary: string, request: object, ok: object, errs: number[]) =>
  api.registerPath({ method, path, tags, summary, request, responses: { 200: { description: 'OK', ...ok }, ...problems(...errs) } });

reg('get', '/api/v1/cameras/{id}/sharing', "A camera's sharing mode (road cameras: always shared; household/shopfront default on_request)", { params: IdParams }, json(SharingSchema), [401, 404]);
reg('put', '/api/v1/cameras/{id}/sharing', 'Set the sharing mode (the owning merchant, or staff at enrollment); audited', { params: IdParams, body: json(SharingSchema) }, json(SharingSchema), [400, 401, 403, 404]);
reg('post', '/api/v1/incidents/{id}/footage-requests', "Ask an on_request camera's owner for a range (201); 409 for shared or live_only cameras", { params: IdParams, body: json(RequestSchema) }, json(Request_), [400, 401, 403, 404, 409]);
reg('get', '/api/v1/incidents/{id}/footage-requests', "The incident's footage requests", { params: IdParams }, json(z.object({ items: z.array(Request_) })), [401, 404]);
reg('get', '/api/v1/incidents/{id}/footage-access', "Whether the incident may use a camera's recordings over [from, to)", { params: IdParams, query: AccessQuery }, json(z.object({ allowed: z.boolean(), mode: z.enum(SHARING_MODES), reason: z.string().nullable() })), [400, 401, 404]);
reg('get', '/api/v1/footage-requests', "Owners: requests on their cameras (never the incident); admins: all", { query: InboxQuery }, json(z.object({ items: z.array(Request_) })), [401, 403]);
reg('post', '/api/v1/footage-requests/{id}/decision', 'The owner approves (releases exactly that range for that incident) or declines; 409 when already answered', { params: IdParams, body: json(DecisionSchema) }, json(Request_), [400, 401, 403, 404, 409]);
