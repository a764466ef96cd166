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
import type { Config } from '@config/schema';
import { createApp, createOpsApp } from './app';
import type { AppContext } from './context';
import { openDatabase } from './db/database';
import { seedOrganisation } from './org/seed';
import { ensureFirstAdmin } from './users/first-admin';
import { startRealtime } from './realtime/socket';
import { startChangeFeed } from './realtime/change-feed';
import { systemUser } from './auth/system-user';
import { createLogger } from './http/logger';
import { createMetrics } from './ops/metrics';
import { EventBus } from './realtime/bus';
import { createServices, type Services } from './services/index';
import { startLiveMediaServer } from './live/index';
import { openObjectStore } from './storage/object-store';
import { startDemo } from './demo/index';
import { startIngestRuntime } from './ingest/index';
import { startUnattendedWatch } from './ingest/unattended';

export interface SkyEye {
  url: string;
  ctx: AppContext;
  services: Services;
  server: Server;
  stop(): Promise<void>;
}

export interface StartOptions {
  logDestination?: pino.DestinationStream;
  /** Embedded database in memory instead of dataDir (tests). */
  inMemoryDb?: boolean;
}

export class StartupError extends Error {}

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
    const database = await openDatabase({ url: config.database.url, dataDir: config.dataDir, poolSize: config.database.poolSize, inMemory: opts.inMemoryDb });
    cleanups.push(() => database.close());
    if (config.role !== 'worker') {
      await seedOrganisation(database);
      await ensureFirstAdmin(database, config, logger);
    }
    const store = await openObjectStore(config);
    cleanups.push(() => store.close());
    const ctx: AppContext = {
      instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      config,
      database,
      store,
      logger,
      metrics: createMetrics(),
      clock: systemClock,
      bus: new EventBus(),
      shuttingDown: () => shuttingDown,
    };
    const services = createServices(ctx);
    cleanups.push(() => services.discovery.discovery.stop());
    // Camera changes reach the other processes sharing this database (their ingest reacts at once).
    const feed = await startChangeFeed({ database, bus: ctx.bus, origin: ctx.instanceId, log: logger.child({ module: 'realtime' }) });
    cleanups.push(() => feed.stop());
    // Every process keeps statuses true for cameras no worker holds (a worker died, none took over).
    const unattended = startUnattendedWatch(ctx, services.cameras);
    cleanups.push(() => unattended.stop());
    const media = await startLiveMediaServer(ctx);
    if (media) cleanups.push(() => media.close());
    const server = createServer();
    const sockets = new Set<import('node:net').Socket>();
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('request', config.role === 'worker' ? createOpsApp(ctx, services) : createApp(ctx, services));
    // Browsers get camera and discovery events on the API port; a worker only emits (via Redis).
    if (config.role !== 'worker' || config.redis.url) {
      const realtime = await startRealtime(config.role === 'worker' ? null : server, {
        bus: ctx.bus,
        logger,
        redisUrl: config.redis.url,
        redisPrefix: config.redis.prefix,
        loadCamera: (id) => services.cameras.get(systemUser, id),
        ...(config.role === 'worker' ? {} : { auth: services.auth }),
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
    // After listen, so the worker can advertise where its live media is served.
    // The demo fleet starts before ingest, so shutdown stops ingest first (segments closed) and the cameras last.
    if (config.role === 'all' && config.sim.cameras > 0) {
      const demo = await startDemo(ctx, services);
      cleanups.push(() => demo.stop());
    }
    if (config.role !== 'api' && config.ingest.enabled) {
      const ingest = await startIngestRuntime(ctx, services, { workerId: ctx.instanceId, baseUrl: config.ingest.advertiseUrl ?? advertised(config.http.host, port) });
      cleanups.push(() => ingest.stop());
    }
    logger.info({ url, role: config.role, database: database.kind, storage: store.endpoint }, 'Sky Eye started');
    return { url, ctx, services, server, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
