/**
 * The service container: every service built once from the context. Routes receive it; services
 * receive the repositories they need. Add a service here when you add one under services/.
 */
import type { AppContext } from '@server/context';
import { createCamerasService, type CamerasService } from '@server/cameras/index';
import { OrgRepository } from '@server/org/repository';
import { buildLiveService, type LiveService } from '@server/live/index';
import { buildDiscoveryModule, type DiscoveryModule } from '@server/discovery/index';
import { AuthService } from '@server/auth/auth-service';
import { UsersService } from '@server/users/users-service';

export interface Services {
  auth: AuthService;
  users: UsersService;
  cameras: CamerasService;
  org: OrgRepository;
  live: LiveService;
  discovery: DiscoveryModule;
}

export function createServices(ctx: AppContext): Services {
  const auth = new AuthService(ctx.database, ctx.config, ctx.clock, ctx.bus);
  return {
    auth,
    users: new UsersService(ctx.database, auth.sessions, ctx.bus),
    cameras: createCamerasService(ctx),
    org: new OrgRepository(ctx.database),
    live: buildLiveService(ctx, new Set([ctx.instanceId])),
    discovery: buildDiscoveryModule(ctx),
  };
}
