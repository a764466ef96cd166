/**
 * `npm start` runs the production bundle (scripts/start.sh → dist/server/main.js, built by
 * `npm run build:server`), not the TypeScript sources through tsx. The bundle must find what the
 * sources find beside themselves: the migrations and the PGlite thread's module (server/db/files.ts).
 * A real start on a new PGlite data dir: migrations applied (the admin logs in, the registry
 * answers), no tsx in the process, SIGTERM ends it with 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { waitFor } from '../ingest/helpers';

describe('npm start: the production bundle', function () {
  this.timeout(180_000);
  let dir: string;
  let proc: ChildProcess | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-start-'));
  });
  after(() => {
    // Its own process group: a build still running (npm, esbuild) goes too.
    try {
      if (proc?.pid && proc.exitCode === null) process.kill(-proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds dist/server, starts it on a new PGlite data dir, serves, and stops with 0', async () => {
    proc = spawn('bash', ['scripts/start.sh'], {
      env: {
        // Not the test run's database or Sky Eye settings: embedded defaults, as on a fresh machine.
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('SKYEYE_'))),
        SKYEYE_DATA_DIR: dir,
        SKYEYE_HTTP_HOST: '127.0.0.1',
        SKYEYE_HTTP_PORT: '0',
        SKYEYE_OPS_PORT: '0',
        SKYEYE_LIVE_RTMP_PORT: '0',
        SKYEYE_LIVE_FLV_PORT: '0',
        SKYEYE_SIM_CAMERAS: '0',
        SKYEYE_INGEST_ENABLED: 'false',
        SKYEYE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        SKYEYE_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => proc!.once('exit', (code) => r(code)));
    const url = await waitFor(() => {
      if (proc!.exitCode !== null) throw new Error(`npm start exited with ${proc!.exitCode}: ${out.slice(-1500)}`);
      return /running on (http:\/\/\S+)/.exec(out)?.[1];
    }, 150_000, 'npm start to serve');

    expect(existsSync('dist/server/main.js')).to.equal(true);
    // start.sh exec'd node on the bundle: the spawned process is it, without tsx's loader.
    const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).to.include('dist/server/main.js');
    expect(cmdline.join(' ')).not.to.match(/tsx/);

    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    expect(login.status, await login.clone().text()).to.equal(200);
    const { token } = (await login.json()) as { token: string };
    const list = await fetch(`${url}/api/v1/cameras`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).to.equal(200);
    expect(((await list.json()) as { items: unknown[] }).items).to.deep.equal([]);
    // A second after start-up its leftover heap goes back (main.ts), the database thread's too.
    // (The time it takes is not under test: the database thread answers after the queries queued
    // before it, and a loaded CI machine took over 10 s once.)
    const settled = await waitFor(() => /^.*start-up memory returned.*$/m.exec(out)?.[0], 60_000, 'start-up memory to be returned').catch((e: Error) => {
      throw new Error(`${e.message}; the server wrote: ${out.slice(-3000)}`);
    });
    expect(settled).to.match(/"heap":"\d+ -> \d+ MiB"/).and.to.match(/"databaseHeap":"\d+ -> \d+ MiB"/);

    proc.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });
});
