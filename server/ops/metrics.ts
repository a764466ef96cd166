/** Prometheus metrics. One registry per app so tests and several apps in a process don't collide. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestHandler } from 'express';
import type { LoopRun } from '@common/loops';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  auditWrites: Counter<'action'>;
  /** Whole fleet, read from the database when scraped (every process reports the same numbers). */
  cameras: Gauge<'status' | 'enrollment'>;
  /** Cameras each live ingest worker holds a lease for, and its heartbeat age (whole fleet). */
  workerCameras: Gauge<'worker'>;
  workerHeartbeatAge: Gauge<'worker'>;
  /** This worker's recording-cache deletions. */
  cacheDeleted: Counter<'reason'>;
  /** Background loops (common/loops.ts), fed by observeLoop. */
  loopLastRun: Gauge<'loop'>;
  loopDuration: Gauge<'loop'>;
  loopRuns: Counter<'loop'>;
  loopErrors: Counter<'loop'>;
  /** Recording cameras whose current gap is longer than archive.gapAlert (whole fleet). */
  recordingGapsOpen: Gauge;
  recordingGapAlerts: Counter<'cause'>;
  /** Disk-guard alarms: the cache below its floor with only un-archived data left to drop. */
  recordingDiskAlarms: Counter;
  recordingPaused: Gauge;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Includes event-loop lag since the last scrape (skyeye_nodejs_eventloop_lag_{min,max,mean,p50,p90,p99}_seconds,
  // perf_hooks monitorEventLoopDelay sampled every 10 ms): a blocked loop starves lease renewal.
  collectDefaultMetrics({ register: registry, prefix: 'skyeye_', eventLoopMonitoringPrecision: 10 });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'skyeye_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    auditWrites: new Counter({ name: 'skyeye_audit_entries_total', help: 'Audit entries written', labelNames: ['action'], registers: [registry] }),
    cameras: new Gauge({
      name: 'skyeye_cameras',
      help: 'Cameras by live status and enrollment state, whole fleet (read from the database at scrape time; take max() across processes)',
      labelNames: ['status', 'enrollment'],
      registers: [registry],
    }),
    workerCameras: new Gauge({
      name: 'skyeye_ingest_worker_cameras',
      help: 'Cameras each live ingest worker holds a lease for (whole fleet, from the database at scrape time; take max() across processes)',
      labelNames: ['worker'],
      registers: [registry],
    }),
    workerHeartbeatAge: new Gauge({
      name: 'skyeye_ingest_worker_heartbeat_age_seconds',
      help: 'Seconds since each live ingest worker\'s last heartbeat (whole fleet, from the database at scrape time)',
      labelNames: ['worker'],
      registers: [registry],
    }),
    cacheDeleted: new Counter({
      name: 'skyeye_recording_cache_deleted_total',
      help: 'Cached recording segments deleted by this worker, by reason (archived: past archive.cacheKeep; disk: archived copy freed for space; disk_unarchived: un-archived segment dropped, see recording_drops)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    loopLastRun: new Gauge({ name: 'skyeye_loop_last_run_timestamp_seconds', help: 'When each background loop last finished a pass (Unix time)', labelNames: ['loop'], registers: [registry] }),
    loopDuration: new Gauge({ name: 'skyeye_loop_last_duration_seconds', help: 'How long the last pass of each background loop took', labelNames: ['loop'], registers: [registry] }),
    loopRuns: new Counter({ name: 'skyeye_loop_runs_total', help: 'Passes of each background loop', labelNames: ['loop'], registers: [registry] }),
    loopErrors: new Counter({ name: 'skyeye_loop_errors_total', help: 'Failed passes of each background loop', labelNames: ['loop'], registers: [registry] }),
    recordingGapsOpen: new Gauge({
      name: 'skyeye_recording_gaps_open',
      help: 'Recording cameras whose current recording gap is longer than archive.gapAlert (whole fleet, from the database; take max() across processes)',
      registers: [registry],
    }),
    recordingGapAlerts: new Counter({
      name: 'skyeye_recording_gap_alerts_total',
      help: 'Recording gaps that passed archive.gapAlert, by cause (counted by each api process)',
      labelNames: ['cause'],
      registers: [registry],
    }),
    recordingDiskAlarms: new Counter({
      name: 'skyeye_recording_disk_alarms_total',
      help: 'Times this worker\'s cache fell below ingest.cacheMinFree with only un-archived segments left, so some were dropped (see recording_drops)',
      registers: [registry],
    }),
    recordingPaused: new Gauge({
      name: 'skyeye_recording_paused',
      help: '1 while this worker has paused recording: its cache is below ingest.cacheMinFree with only held or uploading footage left (new segments are dropped and recorded as disk_guard drops)',
      registers: [registry],
    }),
  };
}

/** Feeds one background-loop pass into the loop metrics. */
export function observeLoop(metrics: Metrics, run: LoopRun): void {
  const loop = run.loop;
  metrics.loopLastRun.set({ loop }, (run.startedAt.getTime() + run.durationMs) / 1000);
  metrics.loopDuration.set({ loop }, run.durationMs / 1000);
  metrics.loopRuns.inc({ loop });
  if (run.error !== undefined) metrics.loopErrors.inc({ loop });
}

export function metricsMiddleware(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
