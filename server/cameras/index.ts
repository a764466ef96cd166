/** The camera registry module: service factory and router. */
import type { AppContext } from '@server/context';
import { OrgRepository } from '@server/org/repository';
import { loadKeyring, type Keyring } from '@server/security/keyring';
import { CamerasService } from './status';

export { CamerasService } from './status';
export type { IngestSpec, StatusHistoryItem } from './status';
export type { Actor } from './service';
export { cameraRoutes } from './routes';

export function createCamerasService(ctx: AppContext, keyring: Keyring = loadKeyring({ credentialKeys: ctx.config.security.credentialKeys, dataDir: ctx.config.dataDir })): CamerasService {
  return new CamerasService({ ctx, keyring, org: new OrgRepository(ctx.database) });
}
