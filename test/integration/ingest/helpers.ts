/**
 * Helpers for the ingest integration tests: polling, ffmpeg processes of this test process
 * (read from /proc), and a real Sky Eye with the simulator on a private loopback range.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSkyEye, type SkyEye } from '@server/start';
import { scratchDatabase, type ScratchDatabase } from '@test/helpers/database';
import { logCapture, TEST_ADMIN_PASSWORD, testConfig } from '@test/helpers/server';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number, what: string | (() => string)): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(200);
  }
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  comm: string;
  cmdline: string;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { pid, comm, ppid: Number(rest[1]), pgid: Number(rest[2]), cmdline };
  } catch {
    return null;
  }
}

/**
 * ffmpeg processes that are children of this process (every ffmpeg here is spawned detached in
 * its own group, so the parent is the link). `filter` narrows by command line (e.g. ingest vs sim).
 */
export function ourFfmpegs(filter: (cmdline: string) => boolean = () => true): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (!p || !p.comm.startsWith('ffmpeg')) continue;
    if (p.ppid === process.pid || p.pgid === process.pid) if (filter(p.cmdline)) out.push(p);
  }
  return out;
}

/** Ingest ffmpegs of any process on this machine (e.g. a worker child process) for one camera. */
export function ingestFfmpegsOf(cameraId: string): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p && p.comm.startsWith('ffmpeg') && isIngest(p.cmdline) && p.cmdline.includes(`/live/${cameraId}/`)) out.push(p);
  }
  return out;
}

/** Ingest ffmpegs write HLS; the simulator's publishers write RTP. */
export const isIngest = (cmdline: string) => cmdline.includes(' -f hls ');

/** Loopback octet range per test process so parallel runs (other engineers) do not collide. */
export function baseOctet(slot: number): number {
  return 20 + ((process.pid % 10) * 20 + slot * 4) % 200;
}

// ---- A real Sky Eye (server/start.ts, role all) whose data dir and database can outlive it.

export interface Site {
  dataDir: string;
  scratch: ScratchDatabase;
  /** Starts Sky Eye on this site's data dir and database (PGlite on disk, or the scratch PostgreSQL db). */
  start(overrides?: Record<string, unknown>): Promise<Running>;
  drop(): Promise<void>;
}

export interface Running extends SkyEye {
  logs(): string;
  token: string;
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function createSite(): Promise<Site> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyeye-ingest-'));
  const scratch = await scratchDatabase();
  return {
    dataDir,
    scratch,
    async start(overrides = {}) {
      const logs = logCapture();
      const config = testConfig(dataDir, scratch.url, overrides);
      // A new data dir starts from the migrated snapshot (under 1 s against ~5 s of initdb and migrations).
      const app = await startSkyEye(config, { logDestination: logs.sink, dbFromSnapshot: true });
      try {
        const res = await fetch(`${app.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
        });
        if (res.status !== 200) throw new Error(`admin login: ${res.status} ${await res.text()}`);
        const token = ((await res.json()) as { token: string }).token;
        return {
          ...app,
          token,
          logs: logs.text,
          async api(method, path, body) {
            const r = await fetch(`${app.url}${path}`, {
              method,
              headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            const text = await r.text();
            return { status: r.status, body: text ? JSON.parse(text) : undefined };
          },
        };
      } catch (e) {
        await app.stop();
        throw e;
      }
    },
    async drop() {
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls GET /api/v1/cameras/{id} until its status is one of `want`; returns the camera. */
export async function waitStatus(app: Running, id: string, want: string | string[], timeoutMs: number): Promise<any> {
  const wanted = Array.isArray(want) ? want : [want];
  let last = '';
  return waitFor(
    async () => {
      const r = await app.api('GET', `/api/v1/cameras/${id}`);
      last = `${r.body?.status}(${r.body?.statusCause ?? ''})`;
      return r.status === 200 && wanted.includes(r.body.status) ? r.body : null;
    },
    timeoutMs,
    () => `camera ${id} to be ${wanted.join('|')} (last ${last})`,
  );
}

/** Ingest ffmpegs of this process per camera id (the live playlist path names the camera). */
export function ingestByCamera(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of ourFfmpegs(isIngest)) {
    const m = /live\/([0-9a-f-]{36})\/index\.m3u8/.exec(p.cmdline);
    if (!m) continue;
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), p.pid]);
  }
  return out;
}

export async function expectNoIngestFfmpeg(): Promise<void> {
  await waitFor(() => ourFfmpegs(isIngest).length === 0, 5_000, () => `no ingest ffmpeg left (have ${ourFfmpegs(isIngest).map((p) => p.pid).join(', ')})`);
}

/** Registers a simulated camera through the API (approved unless `extra` says otherwise); returns its id. */
export async function registerSimCamera(app: Running, cam: { rtspMainUrl: string; username: string; password: string }, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await app.api('POST', '/api/v1/cameras', {
    name: 'Simulated camera',
    kind: 'road',
    location: { lat: 34.09, lon: 119.35 },
    rtspUrl: cam.rtspMainUrl,
    credentials: { username: cam.username, password: cam.password },
    enrollmentState: 'approved',
    ...extra,
  });
  if (created.status !== 201) throw new Error(`create camera: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

// ---- A worker process of its own (server/main.ts, role worker) on a site's PostgreSQL database.

export interface WorkerProcessOptions {
  dataDir: string;
  databaseUrl: string;
  leaseTtlMs: number;
  credentialKeys: string;
  playbackSecret: string;
  /** Further environment (e.g. SKYEYE_INGEST_RECORDING_SEGMENT). */
  env?: Record<string, string>;
  /** Each line the worker logs (warn and above, pino JSON); without it the output is dropped. */
  onLog?: (line: string) => void;
}

/** `node --import tsx server/main.ts` in `role` on loopback ephemeral ports (no media ports, no demo cameras); the caller kills it. */
function spawnSkyEyeProcess(role: 'api' | 'worker', env: Record<string, string>, stdout: 'ignore' | 'pipe'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      SKYEYE_ROLE: role,
      SKYEYE_HTTP_PORT: '0',
      SKYEYE_SIM_CAMERAS: '0',
      SKYEYE_LIVE_RTMP_PORT: '0',
      SKYEYE_LIVE_FLV_PORT: '0',
      SKYEYE_OPS_PORT: '0',
      SKYEYE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', stdout, 'inherit'],
  });
}

/** Spawns an ingest worker process; the caller kills it. */
export function spawnWorkerProcess(o: WorkerProcessOptions): ChildProcess {
  const proc = spawnSkyEyeProcess(
    'worker',
    {
      SKYEYE_DATA_DIR: o.dataDir,
      SKYEYE_INGEST_LEASE_TTL: `${o.leaseTtlMs}ms`,
      SKYEYE_CREDENTIAL_KEYS: o.credentialKeys,
      SKYEYE_PLAYBACK_SECRET: o.playbackSecret,
      DATABASE_URL: o.databaseUrl,
      ...o.env,
    },
    o.onLog ? 'pipe' : 'ignore',
  );
  if (o.onLog) createInterface({ input: proc.stdout! }).on('line', o.onLog);
  return proc;
}

/** Spawns an api process (`env`: its data dir, database and secrets); resolves once it listens, with its URL. */
export async function spawnApiProcess(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawnSkyEyeProcess('api', env, 'pipe');
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    return { proc, url: await waitFor(() => /running on (http:\/\/\S+)/.exec(out)?.[1], 60_000, 'the child api to start') };
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
}
