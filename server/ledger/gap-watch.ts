/**
 * The gap alert: every `archive.gapAlert / 4` (1–15 s, gapCheckEveryMs) the recording cameras
 * whose current gap is longer than archive.gapAlert are looked up; a new one raises
 * 'recording:gap' (state open, with its cause) on the bus and counts
 * skyeye_recording_gap_alerts_total{cause}; one that records again raises state closed. Many in
 * one pass (a network down across the county) are one 'recording:gaps' summary instead.
 * skyeye_recording_gaps_open is the number open now.
 * Runs in every process that serves browsers (api, all), each emitting to its own sockets.
 */
import type { Loop, Loops } from '@common/loops';
import type { GapCause } from '@common/timeline';
import type { BusEvents, EventBus } from '@server/realtime/bus';
import { countByOwner, eachOrSummary } from '@server/realtime/burst';
import type { Metrics } from '@server/ops/metrics';
import { logBurst } from '@server/ops/log-burst';
import { forEachYielding } from '@common/yielding';
import { gapCheckEveryMs } from './open-gaps';
import type { LedgerService } from './service';

export interface GapWatchDeps {
  ledger: Pick<LedgerService, 'openGaps'>;
  bus: Pick<EventBus, 'publish'>;
  metrics: Pick<Metrics, 'recordingGapsOpen' | 'recordingGapAlerts'>;
  thresholdMs: number;
  now(): Date;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

interface Alerted {
  since: Date;
  cause: GapCause;
  ownerUserId: string | null;
}

export class GapWatch {
  private readonly open = new Map<string, Alerted>();

  constructor(private readonly deps: GapWatchDeps) {}

  /** One pass; returns the ids of cameras alerted now. */
  async check(): Promise<string[]> {
    const gaps = await this.deps.ledger.openGaps(this.deps.thresholdMs);
    const raised: string[] = [];
    const seen = new Set<string>();
    const events: Array<BusEvents['recording:gap']> = [];
    const opened = logBurst((o, m) => this.deps.log.warn(o, m), 'recording gap longer than archive.gapAlert');
    const closed = logBurst((o, m) => this.deps.log.info(o, m), 'recording gap closed');
    // Both walks turn the event loop every SLICE cameras (a county-wide outage is 100,000 of them).
    await forEachYielding(gaps, (g) => {
      seen.add(g.camera.id);
      const prev = this.open.get(g.camera.id);
      if (prev && prev.since.getTime() === g.since.getTime()) return;
      this.open.set(g.camera.id, { since: g.since, cause: g.cause, ownerUserId: g.camera.ownerUserId });
      this.deps.metrics.recordingGapAlerts.inc({ cause: g.cause });
      const seconds = Math.round(g.ms / 1000);
      events.push({ cameraId: g.camera.id, ownerUserId: g.camera.ownerUserId, state: 'open', since: g.since.toISOString(), cause: g.cause, seconds });
      opened.add({ cameraId: g.camera.id, since: g.since.toISOString(), cause: g.cause, seconds }, g.cause);
      raised.push(g.camera.id);
    });
    await forEachYielding(this.open, ([cameraId, a]) => {
      if (seen.has(cameraId)) return;
      this.open.delete(cameraId);
      const seconds = Math.round((this.deps.now().getTime() - a.since.getTime()) / 1000);
      events.push({ cameraId, ownerUserId: a.ownerUserId, state: 'closed', since: a.since.toISOString(), cause: a.cause, seconds });
      closed.add({ cameraId, cause: a.cause }, a.cause);
    });
    opened.flush();
    closed.flush();
    for (const state of ['open', 'closed'] as const) {
      eachOrSummary(
        events.filter((e) => e.state === state),
        (e) => this.deps.bus.publish('recording:gap', e),
        (all) => this.deps.bus.publish('recording:gaps', { state, count: all.length, byOwner: countByOwner(all) }),
      );
    }
    this.deps.metrics.recordingGapsOpen.set(this.open.size);
    return raised;
  }

  /** Runs check() as the loop `ledger.gap-alert` of the process's registry (failures are logged and counted there). */
  start(loops: Loops): Loop {
    return loops.add('ledger.gap-alert', gapCheckEveryMs(this.deps.thresholdMs), () => this.check());
  }
}
