/**
 * /api/v1/incidents (and /api/v1/users/{id}/station): thin handlers -> IncidentTeamService.
 * Every route needs a signed-in user; merchants get 404 from the service, as if nothing existed.
 */
import { Router, type Request } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import { requireAuth } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { parseBody, parseParams, parseQuery } from '@server/schemas/validate';
import { notFoundIncident } from './access';
import { footageRoutes } from './footage/routes';
import type { Actor } from './service';
import type { IncidentTeamService } from './team';
import { AddCameraSchema, AssigneesSchema, CameraParams, CreateIncidentSchema, IdParams, ListQuerySchema, PatchIncidentSchema, StationSchema } from './schemas';
import './openapi';

const actor = (req: Request): Actor => ({ user: userOf(req), audit: actorOf(req) });

export function incidentRoutes(incidents: IncidentTeamService): Router {
  const r = Router();
  r.use('/incidents', requireAuth);

  r.get('/incidents', async (req, res) => {
    res.json(await incidents.list(userOf(req), parseQuery(ListQuerySchema, req)));
  });

  r.post('/incidents', async (req, res) => {
    const a = actor(req);
    if (a.user.role === 'merchant') throw notFoundIncident();
    const incident = await incidents.create(a, parseBody(CreateIncidentSchema, req));
    res.status(201).setHeader('Location', `/api/v1/incidents/${incident.id}`).json(incident);
  });

  // Fixed paths before /incidents/:id.
  r.get('/incidents/meta', (req, res) => {
    if (userOf(req).role === 'merchant') throw notFoundIncident();
    res.json(incidents.meta());
  });

  r.get('/incidents/investigators', async (req, res) => {
    res.json(await incidents.investigators(userOf(req)));
  });

  r.get('/incidents/:id', async (req, res) => {
    res.json(await incidents.get(userOf(req), parseParams(IdParams, req).id));
  });

  r.patch('/incidents/:id', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    res.json(await incidents.update(actor(req), id, parseBody(PatchIncidentSchema, req)));
  });

  r.get('/incidents/:id/history', async (req, res) => {
    res.json(await incidents.history(userOf(req), parseParams(IdParams, req).id));
  });

  r.put('/incidents/:id/assignees', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    res.json(await incidents.setAssignees(actor(req), id, parseBody(AssigneesSchema, req).userIds));
  });

  r.get('/incidents/:id/cameras', async (req, res) => {
    res.json(await incidents.cameras(userOf(req), parseParams(IdParams, req).id));
  });

  r.post('/incidents/:id/cameras', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const out = await incidents.addCamera(actor(req), id, parseBody(AddCameraSchema, req).cameraId);
    res.status(out.added ? 201 : 200).json(out);
  });

  r.delete('/incidents/:id/cameras/:cameraId', async (req, res) => {
    const { id, cameraId } = parseParams(CameraParams, req);
    await incidents.removeCamera(actor(req), id, cameraId);
    res.status(204).end();
  });

  r.get('/users/:id/station', requireAuth, async (req, res) => {
    res.json(await incidents.stationOfUser(userOf(req), String(req.params.id)));
  });

  r.put('/users/:id/station', requireAuth, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    res.json(await incidents.setStationOfUser(actor(req), id, parseBody(StationSchema, req).stationId));
  });

  r.use(footageRoutes(incidents.footage));
  return r;
}
