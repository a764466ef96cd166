/**
 * Saved video walls (issue 12): GET/POST /walls, GET/PUT/DELETE /walls/{id}. Built from the
 * context; camera visibility comes from the registry (the caller passes its rule in).
 */
import type { AppContext } from '@server/context';
import type { AuthUser } from '@server/auth/types';
import { WallRepository } from './repository';
import { WallsService, type WallPorts } from './service';
import './openapi';

export { wallRoutes } from './routes';
export { WallsService, MAX_WALLS_PER_USER, type WallPorts } from './service';

/** `seeCamera`: the registry's GET /cameras/{id} rule (throws 404 when the user may not see it). */
export function buildWallsService(
  ctx: Pick<AppContext, 'database'>,
  seeCamera: (user: AuthUser, id: string) => Promise<{ enrollmentState: string }>,
  stationOf: WallPorts['stationOf'] = () => Promise.resolve(null),
): WallsService {
  return new WallsService(new WallRepository(ctx.database.db), { camera: seeCamera, stationOf });
}
