/**
 * GET /api/v1/map/settings: what the console's map needs from the configuration. With no tile URL
 * configured (the default) the console draws its own base layer on a plain background and works
 * offline; a county with its own tile server sets map.tileUrl (its origin is allowed in the CSP's
 * img-src, server/app.ts). Tiles from a Chinese provider are drawn in GCJ-02 (map.tileCoords): the
 * console then shifts the stored WGS-84 positions onto them (web/src/map/projection.ts).
 */
import { Router } from 'express';
import { COORD_SYSTEMS } from '@common/domain';
import type { Config } from '@config/schema';
import { requireAuth } from '@server/auth/middleware';
import { api, problems, z } from '@server/schemas/openapi';

export const MapSettingsSchema = z
  .object({
    tileUrl: z.string().nullable().describe('Tile URL template ({z}/{x}/{y}); null: no tile server, plain background'),
    tileAttribution: z.string(),
    tileCoords: z.enum(COORD_SYSTEMS).describe('Coordinate system the tiles are drawn in (wgs84, or gcj02 for Chinese providers); positions in the API are always WGS-84'),
  })
  .openapi('MapSettings');
export type MapSettings = z.infer<typeof MapSettingsSchema>;

// OpenAPI paths are registered once, when the module is imported (the one way every module does it).
api.registerPath({
  method: 'get',
  path: '/api/v1/map/settings',
  tags: ['map'],
  summary: 'Map tile settings for the console',
  responses: { 200: { description: 'Settings', content: { 'application/json': { schema: MapSettingsSchema } } }, ...problems(401) },
});

/** The tile server's origin for the CSP, or null when none is configured. */
export function tileOrigin(map: Config['map']): string | null {
  if (!map.tileUrl) return null;
  return new URL(map.tileUrl.replace(/\{[a-z]\}/g, '0')).origin;
}

export function mapRoutes(map: Config['map']): Router {
  const settings: MapSettings = { tileUrl: map.tileUrl ?? null, tileAttribution: map.tileAttribution, tileCoords: map.tileCoords };
  const r = Router();
  r.get('/map/settings', requireAuth, (_req, res) => {
    res.json(settings);
  });
  return r;
}
