/** Discovery module: builds its services from the context (the registry port and keyring included). */
import type { AppContext } from '@server/context';
import { loadKeyring, type Keyring } from '@server/security/keyring';
import { registryCameraPort, type CameraPort } from './camera-port';
import { DiscoveryService } from './discovery-service';
import { enrollService, type EnrollService } from './enroll-service';
import { merchantEnrollmentService, type MerchantEnrollmentService } from '@server/enrollment/merchant-service';

export interface DiscoveryModule {
  discovery: DiscoveryService;
  enroll: EnrollService;
  merchantEnrollment: MerchantEnrollmentService;
}

export function buildDiscoveryModule(ctx: AppContext, keyring?: Keyring, port?: CameraPort): DiscoveryModule {
  const cameras = port ?? registryCameraPort(keyring ?? loadKeyring({ credentialKeys: ctx.config.security.credentialKeys, dataDir: ctx.config.dataDir }));
  const discovery = new DiscoveryService(ctx);
  return { discovery, enroll: enrollService(ctx, discovery, cameras), merchantEnrollment: merchantEnrollmentService(ctx, cameras) };
}
