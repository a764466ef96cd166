/**
 * `npm start`: load config once, start the role, stop cleanly on SIGTERM/SIGINT. With
 * `http.processes` > 1 this process is the api cluster's primary (cluster.ts) and each of its
 * children starts the role here. The role's modules (start.ts) are loaded only where the role
 * runs: the primary serves nothing and stays small.
 */
import cluster from 'node:cluster';
import { ConfigError, loadConfig } from '@config/load';
import type { Config } from '@config/schema';
import { SLOT_ENV, startApiPrimary, type ChildReady } from './cluster';

interface Running {
  url: string;
  /** Once start-up is over: its leftover heap goes back to the system (start.ts). */
  reduceMemory(): Promise<void>;
  log(obj: object, msg: string): void;
  /** Resolves to the exit code (0 unless a cluster child failed to stop cleanly). */
  stop(): Promise<number>;
}

/** How long after start-up its leftover heap is given back (see Running.reduceMemory). */
const START_SETTLE_MS = 1_000;

async function start(config: Config, primary: boolean): Promise<Running> {
  if (primary) {
    const primary = await startApiPrimary(config);
    return { url: primary.url, reduceMemory: async () => {}, log: (obj, msg) => primary.log.info(obj, msg), stop: () => primary.stop() };
  }
  const { startSkyEye } = await import('./start');
  const app = await startSkyEye(config);
  return { url: app.url, reduceMemory: () => app.reduceMemory(), log: (obj, msg) => app.ctx.logger.info(obj, msg), stop: () => app.stop().then(() => 0) };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nFix the keys above (see README "Configuration") and start again.\n`);
      process.exit(78);
    }
    throw e;
  }
  const primary = config.http.processes > 1 && cluster.isPrimary;
  let app: Running;
  try {
    app = await start(config, primary);
  } catch (e) {
    process.stderr.write(`Sky Eye could not start: ${(e as Error).message}\n`);
    process.exit((e as Error).name === 'StartupError' ? 78 : 1);
  }
  if (cluster.isWorker) {
    // The primary says when the whole cluster serves; this process reports to it.
    process.send!({ type: 'skyeye:ready', url: app.url } satisfies ChildReady);
    app.log({ slot: process.env[SLOT_ENV] }, 'api process serving');
  } else {
    const processes = primary ? `, ${config.http.processes} processes` : '';
    process.stdout.write(`Sky Eye is running on ${app.url} (role ${config.role}${processes})\n`);
  }
  // Start-up's own work (modules, migrations, seeding, listeners) is over by now; an idle process
  // then holds ~70 MiB less (docs/benchmarks.md, "Memory round"). Later passes grow the heap only as they need.
  setTimeout(() => void app.reduceMemory().catch((err: unknown) => app.log({ err }, 'returning start-up memory failed')), START_SETTLE_MS).unref();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log({ signal }, 'shutting down');
    // The primary outlasts its children's own 20 s.
    const force = setTimeout(() => process.exit(1), primary ? 30_000 : 20_000);
    force.unref();
    void app.stop().then((code) => process.exit(code));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
