/**
 * The demo town (role all, sim.cameras > 0): starts the simulated fleet on loopback, adds the
 * demo organisation units, and enrolls every sim camera as an approved camera (idempotent), so
 * the ingest runtime takes them like any other camera. Production (sim.cameras = 0) starts none.
 */
import type { AppContext } from '@server/context';
import type { CamerasService } from '@server/cameras/index';
import type { OrgRepository } from '@server/org/repository';
import { demoCameraPlan } from '@sim/demo-town';
import { DEFAULTS, startFleet, type Fleet } from '@sim/index';
import { enrollDemoCameras } from './enroll';
import { ensureDemoOrg } from './org';

export interface Demo {
  readonly fleet: Fleet | null;
  /** Registry ids of the demo cameras, in fleet order. */
  readonly cameraIds: string[];
  stop(): Promise<void>;
}

export async function startDemo(ctx: AppContext, services: { cameras: CamerasService; org: OrgRepository }): Promise<Demo> {
  const n = ctx.config.sim.cameras;
  if (n <= 0) return { fleet: null, cameraIds: [], stop: async () => undefined };
  const log = ctx.logger.child({ module: 'demo' });
  const password = DEFAULTS.password;
  // With sim.discovery the cameras also answer WS-Discovery, so a newcomer's scan finds them
  // (as already known cameras: they are enrolled here).
  const fleet = await startFleet({ cameras: n, baseOctet: ctx.config.sim.baseOctet, password, startDiscovery: ctx.config.sim.discovery, mode: ctx.config.sim.mode });
  try {
    await ensureDemoOrg(ctx.database);
    const plan = demoCameraPlan(n);
    const org = await services.org.index();
    const result = await enrollDemoCameras(
      services.cameras,
      org,
      fleet.cameras.map((camera, i) => ({ camera, site: plan[i]!, password })),
    );
    log.info({ cameras: n, created: result.created, firstAddress: fleet.cameras[0]?.address }, 'demo fleet started');
    return {
      fleet,
      cameraIds: result.ids,
      stop: () => fleet.stop(),
    };
  } catch (e) {
    await fleet.stop();
    throw e;
  }
}
