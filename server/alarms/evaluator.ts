/**
 * The alarm evaluator, the loop `alarms.evaluate` of every process that serves browsers (api,
 * all). Each pass reads the truth from the database, never from memory, so a restart (or a second
 * api process) comes to the same answer: cameras whose current outage (status history since the
 * last good status, server/alarms/outage.ts) is longer than alarms.after, and the ledger's open
 * recording gaps longer than archive.gapAlert whose cause no camera-status alarm covers. It raises
 * what is missing (an INSERT the unique indexes make atomic across passes and processes) and
 * resolves unresolved alarms whose outage ended (or is a new one), both many alarms a transaction.
 * A process raises nothing during its first alarms.after: cameras it stopped itself (a restart)
 * get that long to come back; an outage still there after it is raised with its true raisedAt.
 */
import type { Loop, Loops } from '@common/loops';
import type { GapCause } from '@common/timeline';
import { forEachYielding } from '@common/yielding';
import { gapCheckEveryMs } from '@server/ledger/open-gaps';
import { logBurst } from '@server/ops/log-burst';
import { GAP_CAUSES_NOT_ALARMED, outageOf, type HistoryRow } from './outage';
import type { AlarmFamily, AlarmsRepository, NewAlarm, UnresolvedAlarm } from './repository';
import type { AlarmsService } from './service';

/** Troubled cameras whose outage rows are read in one query. */
const BATCH = 500;

export interface OpenGapLike {
  camera: { id: string };
  since: Date;
  cause: GapCause;
}

export interface EvaluatorDeps {
  repo: Pick<AlarmsRepository, 'now' | 'troubledCameras' | 'outageRowsOf' | 'unresolved'>;
  alarms: Pick<AlarmsService, 'raiseAll' | 'resolveAll'>;
  /** The ledger's open gaps longer than thresholdMs (LedgerService.openGaps). */
  openGaps(thresholdMs: number): Promise<OpenGapLike[]>;
  alarmAfterMs: number;
  gapAlertMs: number;
  /** Raise nothing before this time (process start + alarms.after). */
  raiseFrom: Date;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export interface PassResult {
  raised: string[];
  resolved: string[];
}

export class AlarmEvaluator {
  /**
   * Each troubled camera's outage rows as last read, with the status key they were read at: read
   * again only when the camera's status changes (a county-wide outage would otherwise cost a query
   * per camera every pass), so the answer is still the database's.
   */
  private readonly outages = new Map<string, { statusKey: string; rows: HistoryRow[] }>();
  /** When the ledger's gaps were last looked at: at the gap alert's pace (gapCheckEveryMs), not every pass. */
  private gapsCheckedAt = -Infinity;

  constructor(private readonly deps: EvaluatorDeps) {}

  async check(): Promise<PassResult> {
    const now = await this.deps.repo.now();
    const result: PassResult = { raised: [], resolved: [] };
    await this.apply('status', await this.statusAlarms(now), now, result);
    if (now.getTime() - this.gapsCheckedAt >= gapCheckEveryMs(this.deps.gapAlertMs)) {
      this.gapsCheckedAt = now.getTime();
      await this.apply('recording', await this.gapAlarms(), now, result);
    }
    return result;
  }

  /** Wanted status alarms, by camera. */
  private async statusAlarms(now: Date): Promise<Map<string, NewAlarm>> {
    const troubled = await this.deps.repo.troubledCameras();
    const stale = troubled.filter((c) => this.outages.get(c.id)?.statusKey !== c.statusKey);
    for (let i = 0; i < stale.length; i += BATCH) {
      const batch = stale.slice(i, i + BATCH);
      const rows = await this.deps.repo.outageRowsOf(batch.map((c) => c.id));
      for (const c of batch) this.outages.set(c.id, { statusKey: c.statusKey, rows: rows.get(c.id) ?? [] });
    }
    const present = new Set(troubled.map((c) => c.id));
    for (const id of this.outages.keys()) if (!present.has(id)) this.outages.delete(id);
    const want = new Map<string, NewAlarm>();
    for (const cam of troubled) {
      const o = outageOf(cam.status, this.outages.get(cam.id)!.rows, now, this.deps.alarmAfterMs);
      if (o) want.set(cam.id, { cameraId: cam.id, family: 'status', kind: o.kind, since: o.since, raisedAt: o.raisedAt, cause: o.cause });
    }
    return want;
  }

  private async gapAlarms(): Promise<Map<string, NewAlarm>> {
    const want = new Map<string, NewAlarm>();
    await forEachYielding(await this.deps.openGaps(this.deps.gapAlertMs), (g) => {
      if ((GAP_CAUSES_NOT_ALARMED as readonly string[]).includes(g.cause)) return;
      want.set(g.camera.id, { cameraId: g.camera.id, family: 'recording', kind: 'recording_gap', since: g.since, raisedAt: new Date(g.since.getTime() + this.deps.gapAlertMs), cause: g.cause });
    });
    return want;
  }

  private async apply(family: AlarmFamily, want: Map<string, NewAlarm>, now: Date, out: PassResult): Promise<void> {
    const open = await this.deps.repo.unresolved(family);
    const have = new Set<string>();
    const gone: UnresolvedAlarm[] = [];
    await forEachYielding(open, (a) => {
      const w = want.get(a.cameraId);
      if (w && w.since.getTime() === a.sinceMs) have.add(a.cameraId);
      else gone.push(a);
    });
    const resolved = logBurst((o, m) => this.deps.log.info(o, m), 'alarm resolved');
    for (const r of await this.deps.alarms.resolveAll(gone.map((a) => a.id))) {
      out.resolved.push(r.id);
      resolved.add({ alarmId: r.id, cameraId: r.cameraId, kind: r.kind }, r.kind);
    }
    resolved.flush();
    if (now < this.deps.raiseFrom) return;
    const raised = logBurst((o, m) => this.deps.log.warn(o, m), 'alarm raised');
    const missing = [...want.values()].filter((w) => !have.has(w.cameraId));
    for (const r of await this.deps.alarms.raiseAll(missing)) {
      out.raised.push(r.id);
      raised.add({ alarmId: r.id, cameraId: r.cameraId, kind: r.kind, since: r.since, raisedAt: r.raisedAt }, r.kind);
    }
    raised.flush();
  }

  /** Runs check() as the loop `alarms.evaluate` (every alarms.after / 4, between 1 s and 5 s). */
  start(loops: Loops): Loop {
    const ms = Math.max(1_000, Math.min(5_000, Math.floor(this.deps.alarmAfterMs / 4)));
    return loops.add('alarms.evaluate', ms, () => this.check());
  }
}
