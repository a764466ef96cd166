/** Discovery module: builds its services from the context and the cameras service (the only writer of cameras). */
import type { AppContext } from '@server/context';
import type { CamerasService } from '@server/cameras/index';
import { DiscoveryService } from './discovery-service';
import { enrollService, type EnrollService } from './enroll-service';
import { proposalService, type ProposalService } from './proposal-service';
import { merchantEnrollmentService, type MerchantEnrollmentService } from '@server/enrollment/merchant-service';

export interface DiscoveryModule {
  discovery: DiscoveryService;
  enroll: EnrollService;
  proposals: ProposalService;
  merchantEnrollment: MerchantEnrollmentService;
}

export function buildDiscoveryModule(ctx: AppContext, cameras: CamerasService): DiscoveryModule {
  const discovery = new DiscoveryService(ctx);
  return {
    discovery,
    enroll: enrollService(ctx, discovery, cameras),
    proposals: proposalService(ctx, discovery.repo, cameras),
    merchantEnrollment: merchantEnrollmentService(ctx, cameras),
  };
}
