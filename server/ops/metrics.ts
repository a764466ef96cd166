/** Prometheus metrics. One registry per app so tests and several apps in a process don't collide. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestHandler } from 'express';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  auditWrites: Counter<'action'>;
  /** Whole fleet, read from the database when scraped (every process reports the same numbers). */
  cameras: Gauge<'status' | 'enrollment'>;
  /** This worker's recording-cache deletions. */
  cacheDeleted: Counter<'reason'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'skyeye_' });
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
    cacheDeleted: new Counter({
      name: 'skyeye_recording_cache_deleted_total',
      help: 'Cached recording segments deleted by this worker, by reason (retention, deleted_camera, disk: free space below ingest.cacheMinFree)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
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
