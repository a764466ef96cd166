/**
 * Starts a real Sky Eye (HTTP on an ephemeral 127.0.0.1 port, real database on the selected
 * backend, embedded S3 server) for integration tests, and captures its logs for secrecy checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@config/load';
import type { Config, ConfigInput } from '@config/schema';
import { startSkyEye, type SkyEye, type StartOptions } from '@server/start';
import { scratchDatabase } from './database';

export const TEST_ADMIN_PASSWORD = 'admin-Test-pass-1';

export interface TestServer extends SkyEye {
  /** Every log line written so far (JSON text). */
  logs(): string;
  dataDir: string;
  close(): Promise<void>;
}

/** A log destination that keeps every line (for secrecy checks). */
export function logCapture(): { sink: Writable; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { sink, text: () => lines.join('') };
}

/** Test configuration: ephemeral loopback ports, no demo fleet, the test admin password. */
export function testConfig(dataDir: string, databaseUrl: string | undefined, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({
    env: {
      SKYEYE_DATA_DIR: dataDir,
      SKYEYE_HTTP_PORT: '0',
      SKYEYE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      SKYEYE_SIM_CAMERAS: '0',
      // Demo cameras in tests stay quiet on WS-Discovery: discovery tests count the devices they find.
      SKYEYE_SIM_DISCOVERY: 'false',
      // Built-in media server on ephemeral loopback ports, so parallel test runs never collide.
      SKYEYE_LIVE_RTMP_PORT: '0',
      SKYEYE_LIVE_FLV_PORT: '0',
      // The ops listener (/metrics) on an ephemeral loopback port too.
      SKYEYE_OPS_PORT: '0',
      SKYEYE_LOG_LEVEL: 'debug',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    overrides,
  });
}

/** `opts`: extra start options (e.g. evidencePorts), beside the log capture and in-memory database. */
export async function startTestServer(overrides: Partial<ConfigInput> & Record<string, unknown> = {}, opts: Omit<StartOptions, 'logDestination' | 'inMemoryDb'> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyeye-test-'));
  const scratch = await scratchDatabase();
  const logs = logCapture();
  const config = testConfig(dataDir, scratch.url, overrides);
  const app = await startSkyEye(config, { ...opts, logDestination: logs.sink, inMemoryDb: true });
  return {
    ...app,
    dataDir,
    logs: logs.text,
    async close() {
      await app.stop();
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
