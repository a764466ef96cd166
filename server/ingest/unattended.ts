/**
 * The truth about cameras nobody ingests. A worker that dies (SIGKILL, power, network) writes no
 * last status: its cameras would stay `live` until another worker takes them over, or forever if
 * none is left. Every process (api included) looks every `ingest.leaseTtl / 3` for cameras whose status says
 * a worker is on them while no worker holds their lease, and marks them `offline` (or `disabled`
 * when they are no longer approved) with the cause. The write is guarded in its own transaction
 * (camera row locked, no live lease), so it never overwrites a worker that has just taken over.
 */
import type { CameraStatus } from '@common/domain';
import { every, type Periodic } from '@common/periodic';
import type { CamerasService } from '@server/cameras/status';
import type { AppContext } from '@server/context';
import { LeaseRepository } from '@workers/leases/lease-repository';

/** Statuses only a worker holding the camera's lease writes (and keeps true). */
export const ATTENDED_STATUSES: readonly CameraStatus[] = ['starting', 'live', 'stalled', 'reconnecting', 'auth_failed', 'unreachable', 'unsupported'];

export interface UnattendedWatchDeps {
  leases: Pick<LeaseRepository, 'unattended'>;
  cameras: Pick<CamerasService, 'updateStatus'>;
  /** How long a lease may be expired (or missing) before its camera is called unattended. */
  graceMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** One pass; returns how many cameras it marked. */
export async function markUnattended(deps: UnattendedWatchDeps): Promise<number> {
  let marked = 0;
  for (const c of await deps.leases.unattended(ATTENDED_STATUSES, deps.graceMs)) {
    const [status, cause]: [CameraStatus, string] = c.approved
      ? ['offline', c.lastWorker ? `no ingest worker: ${c.lastWorker} stopped renewing its lease and none has taken over` : 'no ingest worker holds this camera']
      : ['disabled', 'camera is not approved (suspended, rejected or pending)'];
    if (await deps.cameras.updateStatus(c.cameraId, status, cause, undefined, (tx) => LeaseRepository.unheldLocked(tx, c.cameraId))) {
      marked++;
      deps.log.info({ cameraId: c.cameraId, status, cause }, 'camera has no ingest worker');
    }
  }
  return marked;
}

/** Runs the check every `ingest.leaseTtl / 3`, with the same grace. */
export function startUnattendedWatch(ctx: Pick<AppContext, 'config' | 'database' | 'logger'>, cameras: UnattendedWatchDeps['cameras']): Periodic {
  const third = Math.max(250, Math.floor(ctx.config.ingest.leaseTtl / 3));
  const deps: UnattendedWatchDeps = { leases: new LeaseRepository(ctx.database), cameras, graceMs: third, log: ctx.logger.child({ module: 'ingest' }) };
  return every(third, () => markUnattended(deps), (err) => deps.log.warn({ err: (err as Error).message }, 'unattended-camera check failed'));
}
