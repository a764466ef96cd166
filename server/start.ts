/**
 * Composition root: builds adapters, services, the HTTP server and background parts for a role,
 * and tears them down in reverse order. main.ts and the test harness both start Sky Eye here.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import type pino from 'pino';
import { systemClock } from '@common/clock';
import { reduceHeap, type HeapReduction } from '@common/heap';
import { Loops, settledKicks } from '@common/loops';
import type { Config } from '@config/schema';
import { createApp, createOpsApp } from './app';
import type { AppContext } from './context';
import { openDatabase } from './db/database';
import { startStatisticsLoop } from './db/statistics';
import { analyzeCameras } from './cameras/repository';
import { seedOrganisation } from './org/seed';
import { ensureFirstAdmin } from './users/first-admin';
import { startRealtime } from './realtime/socket';
import { startChangeFeed } from './realtime/change-feed';
import { systemUser } from './auth/system-user';
import { createLogger } from './http/logger';
import { allowedOrigins, originAllowed } from './http/origins';
import { createMetrics, observeLoop } from './ops/metrics';
import { opsApp } from './ops/routes';
import { EventBus } from './realtime/bus';
import { createRepositories, createServices, type Services } from './services/index';
import type { EvidencePorts } from './evidence/index';
import { attachWsFlv, startLiveMediaServer } from './live/index';
import { openObjectStore } from './storage/object-store';
import { startDemo } from './demo/index';
import { startIngestRuntime } from './ingest/index';
import { startUnattendedWatch } from './ingest/unattended';
import { startGapWatch } from './ledger/index';
import { startClipWorker } from './clips/index';

export interface SkyEye {
  url: string;
  /** The ops listener (/metrics). */
  opsUrl: string;
  ctx: AppContext;
  services: Services;
  /** The process's named background loops (each in /metrics). */
  loops: Loops;
  server: Server;
  /**
   * Gives start-up's leftover heap back to the system: this thread's, the PGlite thread's and the
   * embedded S3 thread's (common/heap.ts). main.ts calls it once, START_SETTLE_MS after start.
   */
  reduceMemory(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  logDestination?: pino.DestinationStream;
  /** Embedded database in memory instead of dataDir (tests). */
  inMemoryDb?: boolean;
  /** A new embedded data dir starts as a copy of this process's migrated snapshot, not initdb and every migration (tests). */
  dbFromSnapshot?: boolean;
  /** Incidents' access rule and clips for the evidence module (until the real ones are wired in createServices). */
  evidencePorts?: EvidencePorts;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * The cameras' planner statistics are refreshed this long after the last of a run of imports
 * (an import's end is the event, so this must outlast one import of 10k rows): imports sent back to
 * back (a county's CSV in ten files) get one ANALYZE after the last instead of one between each
 * two, which on PGlite's single connection held the next import. Never later than
 * IMPORT_STATISTICS_MAX_WAIT_MS after the first.
 */
const IMPORT_STATISTICS_SETTLE_MS = 3_000;
const IMPORT_STATISTICS_MAX_WAIT_MS = 30_000;

/** Where other processes reach this one: a wildcard bind address says nothing, so use the host name. */
function advertised(host: string, port: number): string {
  return `http://${host === '0.0.0.0' || host === '::' ? hostname() : host}:${port}`;
}

export async function startSkyEye(config: Config, opts: StartOptions = {}): Promise<SkyEye> {
  const logger = createLogger(config.log.level, opts.logDestination);
  if (!config.database.url && config.role !== 'all') {
    throw new StartupError(
      `role "${config.role}" needs a PostgreSQL server: the embedded PGlite database is single-process and serves only role "all". Set DATABASE_URL, or run with SKYEYE_ROLE=all.`,
    );
  }
  const cleanups: Array<() => Promise<void>> = [];
  let shuttingDown = false;
  const stopAll = async () => {
    shuttingDown = true;
    for (const fn of cleanups.reverse()) {
      await fn().catch((err: unknown) => logger.error({ err }, 'error during shutdown'));
    }
  };
  try {
    const database = await openDatabase({ url: config.database.url, dataDir: config.dataDir, poolSize: config.database.poolSize, inMemory: opts.inMemoryDb, fromSnapshot: opts.dbFromSnapshot });
    cleanups.push(() => database.close());
    const repos = createRepositories({ config, database });
    if (config.role !== 'worker') {
      await seedOrganisation(database);
      await ensureFirstAdmin(repos.users, config, logger);
    }
    const store = await openObjectStore(config);
    cleanups.push(() => store.close());
    const metrics = createMetrics();
    const loopLog = logger.child({ module: 'loops' });
    const loops = new Loops({ clock: systemClock, observe: (run) => observeLoop(metrics, run), onError: (loop, err) => loopLog.warn({ loop, err }, 'background loop pass failed') }).start();
    cleanups.push(() => loops.stop());
    // Planner statistics where no autovacuum keeps them (PGlite; PostgreSQL with autovacuum off).
    if (config.role !== 'worker') {
      const statistics = await startStatisticsLoop(database, loops, config.database.analyzeInterval);
      if (statistics) cleanups.push(() => statistics.stop());
    }
    const ctx: AppContext = {
      instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      config,
      database,
      store,
      logger,
      metrics,
      clock: systemClock,
      bus: new EventBus(),
      shuttingDown: () => shuttingDown,
    };
    // Before the services: the live service and the ingest runtime get its handle (its ports).
    const media = await startLiveMediaServer(ctx, repos.pushKeys);
    if (media) cleanups.push(() => media.close());
    const services = createServices(ctx, repos, media, opts.evidencePorts ?? null);
    // Requests are authenticated from sessions kept in memory while the database reports every change to them.
    if (config.role !== 'worker' && config.security.sessionCache) {
      const sessionFeed = await services.auth.followChanges(logger.child({ module: 'auth' }));
      cleanups.push(() => sessionFeed.stop());
    }
    cleanups.push(() => services.discovery.discovery.stop());
    cleanups.push(() => services.evidence.close());
    // A bulk import changes the table's shape at once: refresh its planner statistics soon after,
    // off the request (PGlite has no autovacuum; a server's may be minutes away or off). Imports
    // in a row settle into one pass after the last (IMPORT_STATISTICS_SETTLE_MS).
    const importStatistics = loops.add('cameras.statistics', 24 * 3600_000, () => analyzeCameras(database.db), { firstRunMs: 24 * 3600_000 });
    cleanups.push(() => importStatistics.stop());
    const importsSettled = settledKicks(importStatistics, systemClock, IMPORT_STATISTICS_SETTLE_MS, IMPORT_STATISTICS_MAX_WAIT_MS);
    const offImported = ctx.bus.subscribe('cameras:imported', () => importsSettled.event());
    cleanups.push(async () => (offImported(), importsSettled.cancel()));
    // Camera changes reach the other processes sharing this database (their ingest reacts at once).
    const feed = await startChangeFeed({ database, bus: ctx.bus, origin: ctx.instanceId, log: logger.child({ module: 'realtime' }) });
    cleanups.push(() => feed.stop());
    // Every process keeps statuses true for cameras no worker holds (a worker died, none took over).
    const unattended = startUnattendedWatch(ctx, loops, repos.leases, services.cameras);
    cleanups.push(() => unattended.stop());
    // Processes that serve browsers alert on recording gaps longer than archive.gapAlert.
    if (config.role !== 'worker') {
      const gaps = startGapWatch(ctx, services.ledger, loops);
      cleanups.push(() => gaps.stop());
      // Alarms: raised from the status history and the ledger, pushed, and sent to the webhook.
      const alarms = services.alarms.start(loops, services.ledger);
      cleanups.push(() => alarms.stop());
      // Export packages are built by api processes: those left running by one that died are failed.
      const exportRecovery = services.evidence.start(loops);
      cleanups.push(() => exportRecovery.stop());
    }
    const server = createServer();
    const sockets = new Set<import('node:net').Socket>();
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('request', config.role === 'worker' ? createOpsApp(ctx, services) : createApp(ctx, services));
    // Live FLV over WebSocket for browsers (a wall of many tiles is not held to six HTTP connections).
    if (config.role !== 'worker') {
      const wsFlv = attachWsFlv(server, services.live, logger);
      cleanups.push(() => Promise.resolve(wsFlv.close()));
    }
    // Browsers get camera and discovery events on the API port; a worker only emits (via Redis).
    if (config.role !== 'worker' || config.redis.url) {
      const origins = allowedOrigins(config.http);
      const realtime = await startRealtime(config.role === 'worker' ? null : server, {
        bus: ctx.bus,
        logger,
        redisUrl: config.redis.url,
        redisPrefix: config.redis.prefix,
        loadCamera: (id) => services.cameras.get(systemUser, id),
        ...(config.role === 'worker' ? {} : { auth: services.auth, originAllowed: (origin: string | undefined, host: string | undefined) => originAllowed(origins, origin, host) }),
      });
      cleanups.push(() => realtime.close());
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.http.host}:${port}`;
    // /metrics on its own listener (loopback by default), never on the API port.
    const opsServer = createServer(opsApp(ctx, services.cameras, repos.leases));
    await new Promise<void>((resolve, reject) => {
      opsServer.once('error', reject);
      opsServer.listen(config.http.opsPort, config.http.opsHost, () => resolve());
    });
    cleanups.push(() => new Promise<void>((resolve) => opsServer.close(() => resolve())));
    const opsUrl = `http://${config.http.opsHost}:${(opsServer.address() as AddressInfo).port}`;
    // After listen, so the worker can advertise where its live media is served.
    // The demo fleet starts before ingest, so shutdown stops ingest first (segments closed) and the cameras last.
    if (config.role === 'all' && config.sim.cameras > 0) {
      const demo = await startDemo(ctx, services);
      cleanups.push(() => demo.stop());
    }
    if (config.role !== 'api' && config.ingest.enabled) {
      const ingest = await startIngestRuntime(ctx, { ...services, loops }, { workerId: ctx.instanceId, baseUrl: config.ingest.advertiseUrl ?? advertised(config.http.host, port), media });
      cleanups.push(() => ingest.stop());
    }
    // Clip jobs are cut where ingest runs (the hot cache is on this disk).
    if (config.role !== 'api' && config.clips.worker) {
      const clipper = startClipWorker(ctx, loops, services.clips);
      cleanups.push(() => clipper.stop());
    }
    logger.info({ url, opsUrl, role: config.role, database: database.kind, storage: store.endpoint }, 'Sky Eye started');
    const reduceMemory = async () => {
      const mib = (r: HeapReduction | null) => r && `${(r.before / 2 ** 20).toFixed(0)} -> ${(r.after / 2 ** 20).toFixed(0)} MiB`;
      const main = reduceHeap();
      store.reduceMemory();
      logger.info({ heap: mib(main), databaseHeap: mib(await database.reduceMemory()) }, 'start-up memory returned');
    };
    return { url, opsUrl, ctx, services, loops, server, reduceMemory, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
