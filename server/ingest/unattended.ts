/**
 * The truth about cameras nobody ingests. A worker that dies (SIGKILL, power, network) writes no
 * last status: its cameras would stay `live` until another worker takes them over, or forever if
 * none is left. Every process (api included) looks every `watchMs` (workers/leases/timing.ts) for
 * cameras whose status says a worker is on them while none serves them — the holder went silent
 * (no heartbeat for `silentMs`, its lease not yet expired), its lease expired without a release,
 * or a released lease (a planned move) stayed untaken for `graceMs` — and marks them `offline`
 * (or `disabled` when they are no longer approved) with the cause. The write is guarded in its own
 * transaction (camera row locked, lease absent or its holder still silent), so it never overwrites
 * a worker that has just taken over. The same loop deletes dead workers' heartbeat rows.
 */
import { STATUS_CAUSES } from '@common/causes';
import type { CameraStatus } from '@common/domain';
import type { Log } from '@common/log';
import type { Loop, Loops } from '@common/loops';
import type { CamerasService } from '@server/cameras/status';
import type { AppContext } from '@server/context';
import { LeaseRepository } from '@server/leases/lease-repository';
import { leaseTiming } from '@workers/leases/timing';

/** Statuses only a worker holding the camera's lease writes (and keeps true). */
export const ATTENDED_STATUSES: readonly CameraStatus[] = ['starting', 'live', 'stalled', 'reconnecting', 'auth_failed', 'unreachable', 'unsupported'];

export interface UnattendedWatchDeps {
  leases: Pick<LeaseRepository, 'unattended' | 'pruneWorkers'>;
  cameras: Pick<CamerasService, 'updateStatus'>;
  /** How long a released lease (or a missing one) may stay untaken before its camera is called unattended. */
  graceMs: number;
  /** A holder without a heartbeat for this long is silent (dead or cut off). */
  silentMs: number;
  /** Heartbeat rows older than this are deleted (dead workers). */
  pruneMs?: number;
  log: Log;
}

/** One pass; returns how many cameras it marked. */
export async function markUnattended(deps: UnattendedWatchDeps): Promise<number> {
  let marked = 0;
  for (const c of await deps.leases.unattended(ATTENDED_STATUSES, deps.graceMs, deps.silentMs)) {
    const [status, cause]: [CameraStatus, string] = c.approved
      ? ['offline', c.lastWorker && !c.released ? STATUS_CAUSES.workerLost : STATUS_CAUSES.noWorker]
      : ['disabled', STATUS_CAUSES.notApproved];
    const detail = c.approved && c.lastWorker ? `last worker: ${c.lastWorker}` : null;
    if (await deps.cameras.updateStatus(c.cameraId, status, cause, undefined, (tx) => LeaseRepository.unattendedLocked(tx, c.cameraId, deps.silentMs), detail)) {
      marked++;
      deps.log.info({ cameraId: c.cameraId, status, cause }, 'camera has no ingest worker');
    }
  }
  if (deps.pruneMs !== undefined) {
    const pruned = await deps.leases.pruneWorkers(deps.pruneMs);
    if (pruned) deps.log.info({ pruned }, 'dead ingest workers pruned');
  }
  return marked;
}

/** Runs the check as the loop `ingest.unattended` (timings from ingest.leaseTtl). */
export function startUnattendedWatch(ctx: Pick<AppContext, 'config' | 'logger'>, loops: Loops, leases: UnattendedWatchDeps['leases'], cameras: UnattendedWatchDeps['cameras']): Loop {
  const t = leaseTiming(ctx.config.ingest.leaseTtl);
  const deps: UnattendedWatchDeps = { leases, cameras, graceMs: t.graceMs, silentMs: t.silentMs, pruneMs: t.pruneMs, log: ctx.logger.child({ module: 'ingest' }) };
  return loops.add('ingest.unattended', t.watchMs, () => markUnattended(deps));
}
