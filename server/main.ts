/** `npm start`: load config once, start the role, stop cleanly on SIGTERM/SIGINT. */
import { ConfigError, loadConfig } from '@config/load';
import { startSkyEye, StartupError } from './start';

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
  let app;
  try {
    app = await startSkyEye(config);
  } catch (e) {
    process.stderr.write(`Sky Eye could not start: ${(e as Error).message}\n`);
    process.exit(e instanceof StartupError ? 78 : 1);
  }
  process.stdout.write(`Sky Eye is running on ${app.url} (role ${config.role})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.ctx.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    void app.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
