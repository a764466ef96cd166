/**
 * Alarms module: the service (built with the other services), its routes, and the background
 * parts started by the composition root in processes that serve browsers: the evaluator loop
 * `alarms.evaluate` and, with alarms.webhookUrl set, the outbox delivery loop `alarms.webhook`.
 */
import type { Loop, Loops } from '@common/loops';
import type { AppContext } from '@server/context';
import type { LedgerService } from '@server/ledger/index';
import { AlarmEvaluator } from './evaluator';
import { AlarmsRepository } from './repository';
import { AlarmsService } from './service';
import { fetchPoster, WebhookOutbox, type WebhookPoster } from './webhook';
import './openapi';

export { alarmRoutes } from './routes';
export { AlarmsService } from './service';
export { AlarmsRepository } from './repository';

export interface AlarmsModule {
  service: AlarmsService;
  repo: AlarmsRepository;
  /** Starts the evaluator (and the webhook delivery when configured) on the process's loops. */
  start(loops: Loops, ledger: Pick<LedgerService, 'openGaps'>, opts?: { poster?: WebhookPoster }): { evaluator: Loop; webhook: Loop | null; stop(): Promise<void> };
}

export function buildAlarms(ctx: Pick<AppContext, 'database' | 'bus' | 'config' | 'clock' | 'logger' | 'instanceId'>): AlarmsModule {
  const cfg = ctx.config.alarms;
  const repo = new AlarmsRepository(ctx.database.db);
  let webhookLoop: Loop | null = null;
  const service = new AlarmsService({ database: ctx.database, repo, bus: ctx.bus, webhook: Boolean(cfg.webhookUrl && cfg.webhookSecret), onQueued: () => webhookLoop?.kick() });
  return {
    service,
    repo,
    start(loops, ledger, opts = {}) {
      const log = ctx.logger.child({ module: 'alarms' });
      const evaluator = new AlarmEvaluator({
        repo,
        alarms: service,
        openGaps: (ms) => ledger.openGaps(ms),
        alarmAfterMs: cfg.after,
        gapAlertMs: ctx.config.archive.gapAlert,
        raiseFrom: new Date(ctx.clock.now().getTime() + cfg.after),
        log,
      }).start(loops);
      // A status change here (this process's ingest) is looked at at once, not at the next pass.
      const off = ctx.bus.subscribe('camera:status', () => evaluator.kick());
      if (cfg.webhookUrl && cfg.webhookSecret) {
        webhookLoop = new WebhookOutbox({
          repo,
          poster: opts.poster ?? fetchPoster,
          url: cfg.webhookUrl,
          secret: cfg.webhookSecret,
          timeoutMs: cfg.webhookTimeout,
          retryMaxMs: cfg.webhookRetryMax,
          holder: ctx.instanceId,
          log,
        }).start(loops);
      }
      const webhook = webhookLoop;
      return {
        evaluator,
        webhook,
        async stop() {
          off();
          await webhook?.stop();
          await evaluator.stop();
        },
      };
    },
  };
}
