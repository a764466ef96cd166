/**
 * The service container: every service built once from the context. Routes receive it; services
 * receive the repositories they need. Add a service here when you add one under services/.
 */
import type { AppContext } from '@server/context';
import { createCamerasService, type CamerasService } from '@server/cameras/index';
import { OrgRepository } from '@server/org/repository';
import { buildLiveService, type LiveService } from '@server/live/index';
import { buildDiscoveryModule, type DiscoveryModule } from '@server/discovery/index';

export interface Services {
  cameras: CamerasService;
  org: OrgRepository;
  live: LiveService;
  discovery: DiscoveryModule;
}

export function createServices(ctx: AppContext): Services {
  return {
    cameras: createCamerasService(ctx),
    org: new OrgRepository(ctx.database),
    live: buildLiveService(ctx),
    discovery: buildDiscoveryModule(ctx),
  };
}
