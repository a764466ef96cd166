/** GET /api/v1/org: the organisation units every camera form and filter needs. */
import { Router } from 'express';
import { requireAuth } from '@server/auth/middleware';
import { api, problems, z } from '@server/schemas/openapi';
import type { OrgRepository } from './repository';

const unit = { id: z.uuid(), code: z.string(), name: z.string(), nameEn: z.string() };
export const OrgSchema = z
  .object({
    stations: z.array(z.object(unit)),
    policeRooms: z.array(z.object({ ...unit, stationId: z.uuid() })),
    patrolAreas: z.array(z.object(unit)),
    patrolZones: z.array(z.object({ ...unit, areaId: z.uuid() })),
    grids: z.array(z.object({ ...unit, stationId: z.uuid().nullable(), policeRoomId: z.uuid().nullable() })),
  })
  .openapi('Org');

let documented = false;

export function orgRoutes(org: OrgRepository): Router {
  if (!documented) {
    documented = true;
    api.registerPath({
      method: 'get',
      path: '/api/v1/org',
      tags: ['org'],
      summary: 'Stations, police rooms, patrol areas and zones, grids',
      responses: { 200: { description: 'The organisation', content: { 'application/json': { schema: OrgSchema } } }, ...problems(401) },
    });
  }
  const r = Router();
  r.get('/org', requireAuth, async (_req, res) => {
    res.json(await org.tree());
  });
  return r;
}
