/** Recording-continuity ledger module: the service over the recording index and status history, its routes and the gap alert. */
import type { Loops } from '@common/loops';
import type { AppContext } from '@server/context';
import { GapWatch } from './gap-watch';
import { segmentIndex } from './segment-index';
import { LedgerService } from './service';
import { StatusSource } from './status-source';
import './openapi';

export { ledgerRoutes, type SeeCamera } from './routes';
export { LedgerService } from './service';
export type { OpenGap } from './open-gaps';

export function buildLedgerService(ctx: Pick<AppContext, 'database' | 'clock' | 'config'>): LedgerService {
  return new LedgerService({ index: segmentIndex(ctx.database), status: new StatusSource(ctx.database), clock: ctx.clock, segmentMs: ctx.config.ingest.recordingSegment });
}

export function startGapWatch(ctx: Pick<AppContext, 'bus' | 'metrics' | 'clock' | 'config' | 'logger'>, ledger: LedgerService, loops: Loops) {
  return new GapWatch({
    ledger,
    bus: ctx.bus,
    metrics: ctx.metrics,
    thresholdMs: ctx.config.archive.gapAlert,
    now: () => ctx.clock.now(),
    log: ctx.logger.child({ module: 'ledger' }),
  }).start(loops);
}
