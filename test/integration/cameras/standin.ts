/**
 * TEMPORARY stand-in used only while server/auth/middleware.ts does not exist yet: a minimal
 * server with just the registry routes behind a fake bearer check (token = "standin.<userId>").
 * Once auth lands, helpers.ts uses the real startTestServer() and this file is unused.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { systemClock } from '@common/clock';
import type { Role } from '@common/domain';
import { loadConfig } from '@config/load';
import { createCamerasService, cameraRoutes } from '@server/cameras/index';
import type { AppContext } from '@server/context';
import { openDatabase } from '@server/db/database';
import { createLogger, httpLogger } from '@server/http/logger';
import { errorHandler, notFoundHandler } from '@server/http/problem';
import { createMetrics } from '@server/ops/metrics';
import { OrgRepository } from '@server/org/repository';
import { orgRoutes } from '@server/org/routes';
import { seedOrganisation } from '@server/org/seed';
import { EventBus } from '@server/realtime/bus';
import { docsRoutes } from '@server/routes/docs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase } from '@test/helpers/database';

export async function startStandin() {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyeye-cam-'));
  const scratch = await scratchDatabase();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const config = loadConfig({ env: { SKYEYE_DATA_DIR: dataDir, SKYEYE_LOG_LEVEL: 'debug', ...(scratch.url ? { DATABASE_URL: scratch.url } : {}) } });
  const database = await openDatabase({ url: config.database.url, dataDir, inMemory: true });
  await seedOrganisation(database);
  const logger = createLogger('debug', sink);
  const ctx = { config, database, logger, metrics: createMetrics(), clock: systemClock, bus: new EventBus(), shuttingDown: () => false } as unknown as AppContext;
  const services = { cameras: createCamerasService(ctx), org: new OrgRepository(database) };
  const app = express();
  app.use(httpLogger(logger));
  app.use('/api', express.json({ limit: config.import.maxBytes }), docsRoutes());
  const v1 = express.Router();
  v1.use(async (req, _res, next) => {
    const m = /^Bearer standin\.(.+)$/.exec(req.get('authorization') ?? '');
    if (m) {
      const [u] = await database.query<{ id: string; username: string; role: Role; display_name: string }>('SELECT * FROM users WHERE id = $1', [m[1]]);
      if (u) req.user = { id: u.id, username: u.username, role: u.role, displayName: u.display_name, via: 'bearer' };
    }
    next();
  });
  v1.use(orgRoutes(services.org));
  v1.use(cameraRoutes(ctx, services.cameras));
  app.use('/api/v1', v1);
  app.use(notFoundHandler);
  app.use(errorHandler);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ctx,
    services,
    logs: () => lines.join(''),
    async addUser(username: string, role: Role): Promise<{ id: string; token: string }> {
      const [u] = await database.query<{ id: string }>(`INSERT INTO users (username, role, password_hash, display_name) VALUES ($1, $2, 'x', $3) RETURNING id`, [username, role, `Test ${username}`]);
      return { id: u!.id, token: `standin.${u!.id}` };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await database.close();
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
