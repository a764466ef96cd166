/** The camera registry module: service factory and router. */
import type { AppContext } from '@server/context';
import type { OrgRepository } from '@server/org/repository';
import type { Keyring } from '@server/security/keyring';
import { recordAudit } from '@server/audit/audit-repository';
import * as repository from './repository';
import { CamerasService } from './status';

export { CamerasService } from './status';
export type { IngestSpec, StatusHistoryItem } from './status';
export type { Actor } from './service';
export { cameraRoutes, CAMERA_IMPORT_PATH } from './routes';

export function createCamerasService(ctx: AppContext, keyring: Keyring, org: OrgRepository): CamerasService {
  return new CamerasService({ ctx, keyring, org, repo: repository, recordAudit });
}
