/** The incidents module: service factory (over the camera registry and the continuity ledger) and router. */
import type { AppContext } from '@server/context';
import type { CamerasService } from '@server/cameras/index';
import type { Camera } from '@server/cameras/schemas';
import { ListQuerySchema } from '@server/cameras/schemas';
import { HttpError } from '@server/http/problem';
import type { LedgerService } from '@server/ledger/index';
import { IncidentCameraFinder, type CameraDirectory, type CameraFacts } from './cameras';
import { FootageService } from './footage/service';
import { IncidentTeamService } from './team';

export { incidentRoutes } from './routes';
export { IncidentTeamService as IncidentsService } from './team';
export { IncidentAccessControl } from './access';
export type { IncidentAccess, IncidentRef } from './ports';
export type { FootageGate } from './footage/gate';
export { FootageService } from './footage/service';

const facts = (c: Camera): CameraFacts => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  status: c.status,
  lat: c.location.lat,
  lon: c.location.lon,
  address: c.location.address,
  stationId: c.stationId,
});

/** The registry's radius search (nearest first, the caller's visibility) and lookup, as incidents need them. */
export function cameraDirectory(cameras: Pick<CamerasService, 'list' | 'get'>): CameraDirectory {
  return {
    async near(user, lat, lon, radius, limit) {
      const out: CameraFacts[] = [];
      let cursor: string | undefined;
      do {
        const q = ListQuerySchema.parse({ lat, lon, radius, limit: Math.min(500, limit - out.length), ...(cursor ? { cursor } : {}) });
        const page = await cameras.list(user, q);
        out.push(...page.items.map(facts));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && out.length < limit);
      return out;
    },
    async find(user, id) {
      try {
        return facts(await cameras.get(user, id));
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) return null;
        throw e;
      }
    },
  };
}

/**
 * The incidents service; `.access` is the IncidentAccess port and `.footage.gate` the FootageGate
 * (household/shopfront recordings released per incident and range) for clips and evidence.
 */
export function buildIncidentsService(ctx: Pick<AppContext, 'config' | 'database' | 'clock' | 'bus'>, cameras: CamerasService, ledger: Pick<LedgerService, 'timeline'>): IncidentTeamService {
  const finder = new IncidentCameraFinder(cameraDirectory(cameras), ledger, ctx.config.incidents.maxCameras);
  const incidents = new IncidentTeamService({ database: ctx.database, config: ctx.config, clock: ctx.clock, finder });
  incidents.footage = new FootageService({ database: ctx.database, config: ctx.config, bus: ctx.bus, access: incidents.access });
  return incidents;
}
