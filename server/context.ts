/**
 * What every route, service and background loop gets: config and the process-wide adapters,
 * built once in the composition root (server/start.ts). Repositories and services are not here:
 * they are built once in server/services/index.ts and passed to whoever needs them.
 */
import type { Clock } from '@common/clock';
import type { Config } from '@config/schema';
import type { Database } from '@server/db/database';
import type { Logger } from '@server/http/logger';
import type { Metrics } from '@server/ops/metrics';
import type { EventBus } from '@server/realtime/bus';
import type { ObjectStore } from '@server/storage/object-store';

export interface AppContext {
  /** This process's identity (its ingest worker id in the lease table). */
  instanceId: string;
  config: Config;
  database: Database;
  store: ObjectStore;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  bus: EventBus;
  shuttingDown(): boolean;
}
