/**
 * Control-plane phase of `npm run bench -- --control`: a Sky Eye process (dist/server/main.js, the
 * bundle `npm start` runs, built here first by `npm run build:server`; role all with ingest off) on
 * PGlite and/or a scratch PostgreSQL database; N cameras imported through the API as CSV in 10 requests (/healthz polled meanwhile); then autocannon, 20 connections for S
 * seconds each, on the registry's read routes, with /healthz of the same process as the baseline
 * (the HTTP stack's own ceiling, measured in the same run); CSV export of everything with the api
 * process's peak RSS; its idle RSS before the import. The load generator runs in this process, on
 * the same machine, as in issue 13's table. On PostgreSQL the same runs again with the api as
 * several processes on one port (`http.processes`, role api, Redis; `--control-api-processes`), and
 * the two are compared route by route. With BENCH_PROF=<dir> in the environment the api
 * process writes a V8 CPU profile there (`node --cpu-prof`; summarise with bench/cpuprofile-summary.ts);
 * BENCH_KEEP_DB=1 keeps the scratch PostgreSQL database (its name is printed) for EXPLAIN and the like.
 * BENCH_TRACE_GC=1 runs the api with `--trace-gc` (its lines go to BENCH_API_LOG's file).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdir } from 'node:fs/promises';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { socketFanout, type FanoutResult, type FanoutStats } from './control-sockets';
import { childrenOf, CLK_TCK, procTicks, rssBytes } from './proc';

export interface ControlBenchOptions {
  dir: string;
  cameras: number;
  seconds: number;
  /** socket.io consoles for the fan-out measurement (0: none). */
  sockets: number;
  databases: Array<'pglite' | 'postgres'>;
  /** A PostgreSQL server's URL; the bench creates a scratch database on it and drops it after. */
  pgUrl: string;
  /** On PostgreSQL, a second run with the api as this many processes (1: none). */
  apiProcesses: number;
  redisUrl: string;
  /** Only the read routes whose names start with one of these (lower case; null: all). */
  routes: string[] | null;
  signal: AbortSignal;
  progress(msg: string): void;
}

export interface LoadRow {
  name: string;
  reqPerSec: number;
  p95Ms: number;
  /** Non-2xx answers (should be 0). */
  errors: number;
  /** req/s as a share of /healthz's in the same run. */
  ofBaseline: number;
  /**
   * CPU per answer, ms: the api process (and its children), and on PostgreSQL the database's
   * backends serving it (null on PGlite: it runs inside the api process). Unlike req/s these do
   * not depend much on how much of the shared machine the load generator took.
   */
  apiCpuMs: number;
  dbCpuMs: number | null;
}

export interface ControlResult {
  database: 'pglite' | 'postgres';
  /** API processes serving the port (http.processes; more than 1: role api with Redis). */
  processes: number;
  cameras: number;
  idleRssMiB: number;
  importSeconds: number;
  importHealthzMaxMs: number;
  exportSeconds: number;
  exportPeakRssMiB: number;
  /** The api process's RSS when the export started (after the read loads). */
  exportStartRssMiB: number;
  exportRows: number;
  load: LoadRow[];
  sockets?: FanoutResult;
}

const PASSWORD = `bench-${randomBytes(6).toString('hex')}`;
/** The county the cameras are spread over (uniformly), around the demo town. */
const AREA = { minLat: 33.95, maxLat: 34.25, minLon: 119.15, maxLon: 119.55 };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** RSS of a process and its children (the api cluster's primary and its processes). */
function treeRssMiB(pid: number): number {
  return rssMiB(pid) + childrenOf(pid).reduce((a, c) => a + rssMiB(c), 0);
}

/** The process's resident memory; 0 once it is gone. */
function rssMiB(pid: number): number {
  return (rssBytes(pid) ?? 0) / 1024 / 1024;
}

/** CPU seconds (user + system) a process has used; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  return (procTicks(pid)?.self ?? 0) / CLK_TCK;
}

/** CPU seconds of a process and its children (the api cluster's primary and its processes). */
function treeCpuSeconds(pid: number): number {
  return cpuSeconds(pid) + childrenOf(pid).reduce((a, c) => a + cpuSeconds(c), 0);
}

/**
 * CPU seconds of the PostgreSQL backends connected to `database` (the server runs on this
 * machine; a backend's /proc entry is readable by root or the server's user), per backend so
 * that one connected during a load counts from zero. Null when they cannot be read.
 */
async function backendCpu(pgUrl: string, database: string): Promise<Map<number, number> | null> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    const out = new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
    return rows.length && [...out.values()].every((v) => v === 0) ? null : out;
  } finally {
    await c.end();
  }
}

/** CPU seconds the backends of `database` spent between two backendCpu readings. */
function backendDelta(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  return before && after ? [...after].reduce((a, [pid, t]) => a + t - (before.get(pid) ?? 0), 0) : null;
}

/**
 * Waits until the api process and its database backends are quiet: at least 5 s (the statistics
 * refresh comes 3 s after the last import), then until a second under 0.15 of a core, for 30 s at
 * most; returns the seconds waited. After an import the process works through the new cameras (the
 * statistics refresh, the gap checks' first passes over them), and whichever route was loaded first
 * met that work (on PGlite a route's req/s halved or not by the moment).
 */
async function settle(pid: number, pgUrl: string, scratch: string | null): Promise<number> {
  const t0 = performance.now();
  const dbCpu = () => (scratch ? backendCpu(pgUrl, scratch) : Promise.resolve(null));
  await sleep(4000);
  let [api, db] = [treeCpuSeconds(pid), await dbCpu()];
  for (;;) {
    await sleep(1000);
    const [apiNow, dbNow] = [treeCpuSeconds(pid), await dbCpu()];
    const busy = apiNow - api + (backendDelta(db, dbNow) ?? 0);
    const waited = (performance.now() - t0) / 1000;
    if (busy < 0.15 || waited >= 30) return waited;
    [api, db] = [apiNow, dbNow];
  }
}

/** A deterministic pseudo-random sequence (the same cameras every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function csvChunk(from: number, n: number, rnd: () => number): string {
  const kinds = ['road', 'household', 'shopfront'];
  const lines = ['name,kind,lat,lon,rtspUrl'];
  for (let i = from; i < from + n; i++) {
    const lat = AREA.minLat + rnd() * (AREA.maxLat - AREA.minLat);
    const lon = AREA.minLon + rnd() * (AREA.maxLon - AREA.minLon);
    // Never contacted (no ingest in this process); unique loopback addresses.
    lines.push(`bench-${i},${kinds[i % 3]},${lat.toFixed(6)},${lon.toFixed(6)},rtsp://127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:554/s`);
  }
  return lines.join('\n') + '\n';
}

let built = false;
/** The bundle from the sources of this run (once per bench process): what `npm start` runs. */
function buildServerOnce(): void {
  if (built) return;
  execFileSync('bash', ['scripts/build-server.sh'], { stdio: 'inherit' });
  built = true;
}

class ApiProcess {
  private constructor(readonly child: ChildProcess, readonly base: string, private readonly log: string[]) {}

  /** Throws with the end of its log when the process has exited. */
  assertAlive(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the api process exited (${this.child.exitCode ?? this.child.signalCode}): ${this.log.join('').slice(-800)}`);
  }

  static async start(dataDir: string, databaseUrl: string | undefined, signal: AbortSignal, cluster?: { processes: number; redisUrl: string }): Promise<ApiProcess> {
    const port = await freePort();
    /** BENCH_API_LOG: a file that keeps the api's log (level info). */
    const apiLog = process.env.BENCH_API_LOG;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // role all (PGlite serves only that) with ingest off: the api's work alone; the cluster is role api.
      SKYEYE_ROLE: cluster ? 'api' : 'all',
      ...(cluster ? { SKYEYE_HTTP_PROCESSES: String(cluster.processes), SKYEYE_REDIS_URL: cluster.redisUrl, SKYEYE_REDIS_PREFIX: `skyeye-bench-${randomBytes(4).toString('hex')}` } : {}),
      SKYEYE_DATA_DIR: dataDir,
      SKYEYE_HTTP_HOST: '127.0.0.1',
      SKYEYE_HTTP_PORT: String(port),
      SKYEYE_OPS_PORT: '0',
      SKYEYE_ADMIN_PASSWORD: PASSWORD,
      SKYEYE_INGEST_ENABLED: 'false',
      SKYEYE_LOG_LEVEL: apiLog ? 'info' : 'warn',
      // As scripts/start.sh runs Sky Eye (with --max-semi-space-size=16 below).
      MALLOC_MMAP_THRESHOLD_: '131072',
    };
    delete env.DATABASE_URL;
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    buildServerOnce();
    const diagnostics = [...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : [])];
    const child = spawn(process.execPath, [...diagnostics, '--max-semi-space-size=16', 'dist/server/main.js'], { env, stdio: ['ignore', apiLog ? 'pipe' : 'ignore', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => appendFileSync(apiLog!, c));
    const log: string[] = [];
    child.stderr!.on('data', (c: Buffer) => {
      log.push(c.toString());
      if (apiLog) appendFileSync(apiLog, c);
    });
    const p = new ApiProcess(child, `http://127.0.0.1:${port}`, log);
    const until = Date.now() + 120_000;
    for (;;) {
      if (signal.aborted || child.exitCode !== null || Date.now() > until) {
        await p.stop();
        throw new Error(`the api process did not come up: ${log.join('').slice(-500)}`);
      }
      const ok = await fetch(`${p.base}/healthz`).then((r) => r.ok, () => false);
      if (ok) return p;
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
}

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const r = await fetch(url, init);
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: ${r.status} ${(await r.text()).slice(0, 300)}`);
  return (await r.json()) as T;
}

/** autocannon on one URL; p95 from every response's time (autocannon's own percentiles skip p95). */
async function load(url: string, headers: Record<string, string>, seconds: number): Promise<{ reqPerSec: number; p95Ms: number; errors: number; answers: number }> {
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, connections: 20, duration: seconds }, (err, result) => (err ? reject(err as Error) : resolve(result)));
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  return { reqPerSec: r.requests.average, p95Ms: times[Math.floor(times.length * 0.95)] ?? 0, errors: r.non2xx + r.errors + r.timeouts, answers: times.length };
}

async function runOne(o: ControlBenchOptions, database: 'pglite' | 'postgres', processes = 1): Promise<ControlResult> {
  const dataDir = path.join(o.dir, `${database}-${processes}`);
  const setup = label(database, processes);
  await mkdir(dataDir, { recursive: true });
  let scratch: string | null = null;
  let dbUrl: string | undefined;
  if (database === 'postgres') {
    scratch = `skyeye_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: o.pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${scratch}`);
    await admin.end();
    const u = new URL(o.pgUrl);
    u.pathname = `/${scratch}`;
    dbUrl = u.toString();
  }
  o.progress(`control (${setup}): starting the api process`);
  const api = await ApiProcess.start(dataDir, dbUrl, o.signal, processes > 1 ? { processes, redisUrl: o.redisUrl } : undefined);
  try {
    await sleep(3_000);
    const idleRssMiB = treeRssMiB(api.child.pid!);
    const { token } = await json<{ token: string }>(`${api.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const auth = { authorization: `Bearer ${token}` };

    // Import in 10 requests while /healthz is polled every 50 ms.
    const rnd = lcg(13);
    const per = Math.ceil(o.cameras / 10);
    let healthzMax = 0;
    let importing = true;
    const poll = (async () => {
      while (importing) {
        const t = performance.now();
        await fetch(`${api.base}/healthz`).then((r) => r.arrayBuffer(), () => undefined);
        healthzMax = Math.max(healthzMax, performance.now() - t);
        await sleep(50);
      }
    })();
    const t0 = performance.now();
    for (let from = 0; from < o.cameras; from += per) {
      if (o.signal.aborted) throw new Error('aborted');
      const n = Math.min(per, o.cameras - from);
      await json(`${api.base}/api/v1/cameras/import`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csvChunk(from, n, rnd) });
      o.progress(`control (${setup}): imported ${from + n} of ${o.cameras}`);
    }
    const importSeconds = (performance.now() - t0) / 1000;
    importing = false;
    await poll;
    o.progress(`control (${setup}): quiet ${(await settle(api.child.pid!, o.pgUrl, scratch)).toFixed(0)} s after the import`);

    // Routes to load: the first page, a deep cursor, radius, two boxes, by id, a filter.
    const first = await json<{ items: Array<{ id: string }>; nextCursor: string | null }>(`${api.base}/api/v1/cameras?limit=50`, { headers: auth });
    let cursor = first.nextCursor;
    for (let i = 0; i < 100 && cursor; i++) cursor = (await json<{ nextCursor: string | null }>(`${api.base}/api/v1/cameras?limit=50&cursor=${encodeURIComponent(cursor)}`, { headers: auth })).nextCursor;
    const midLat = (AREA.minLat + AREA.maxLat) / 2;
    const midLon = (AREA.minLon + AREA.maxLon) / 2;
    /** A box around the middle holding `share` of the area (of the cameras, on average). */
    const box = (share: number) => {
      const h = ((AREA.maxLat - AREA.minLat) * Math.sqrt(share)) / 2;
      const w = ((AREA.maxLon - AREA.minLon) * Math.sqrt(share)) / 2;
      return `${(midLon - w).toFixed(5)},${(midLat - h).toFixed(5)},${(midLon + w).toFixed(5)},${(midLat + h).toFixed(5)}`;
    };
    const routes: Array<[string, string]> = [
      ['/healthz (baseline)', '/healthz'],
      ['list, first page of 50', '/api/v1/cameras?limit=50'],
      ['list, deep cursor (page 101)', `/api/v1/cameras?limit=50&cursor=${encodeURIComponent(cursor ?? '')}`],
      ['radius 500 m', `/api/v1/cameras?lat=${midLat}&lon=${midLon}&radius=500`],
      ['bbox small (0.64 % of the area), 500 a page', `/api/v1/cameras?limit=500&bbox=${box(0.0064)}`],
      ['bbox large (16.5 % of the area), 500 a page', `/api/v1/cameras?limit=500&bbox=${box(0.165)}`],
      ['get by id', `/api/v1/cameras/${first.items[0]!.id}`],
      ['kind=household&status=unknown', '/api/v1/cameras?kind=household&status=unknown'],
    ];
    const rows: LoadRow[] = [];
    const chosen = routes.filter(([name], i) => i === 0 || !o.routes || o.routes.some((p) => name.startsWith(p)));
    for (const [name, route] of chosen) {
      if (o.signal.aborted) throw new Error('aborted');
      o.progress(`control (${setup}): ${name}, ${o.seconds} s`);
      const apiBefore = treeCpuSeconds(api.child.pid!);
      const dbBefore = scratch ? await backendCpu(o.pgUrl, scratch) : null;
      const { answers, ...r } = await load(api.base + route, auth, o.seconds);
      const apiCpu = treeCpuSeconds(api.child.pid!) - apiBefore;
      const dbAfter = scratch ? await backendCpu(o.pgUrl, scratch) : null;
      const dbCpu = backendDelta(dbBefore, dbAfter);
      api.assertAlive();
      const per = (sec: number) => (answers ? (sec * 1000) / answers : 0);
      rows.push({ name, ...r, ofBaseline: rows.length ? r.reqPerSec / rows[0]!.reqPerSec : 1, apiCpuMs: per(apiCpu), dbCpuMs: dbCpu === null ? null : per(dbCpu) });
    }

    // Export of everything, with the api process's RSS sampled every 50 ms.
    o.progress(`control (${setup}): CSV export`);
    const beforeExport = treeRssMiB(api.child.pid!);
    let peak = beforeExport;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssMiB(api.child.pid!))), 50);
    const t1 = performance.now();
    const res = await fetch(`${api.base}/api/v1/cameras/export.csv`, { headers: auth });
    let exportRows = 0;
    // Newlines counted with indexOf (a byte-by-byte loop here cost the shared core ~0.2 s per 20 MB).
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) exportRows++;
    const exportSeconds = (performance.now() - t1) / 1000;
    clearInterval(sampler);
    api.assertAlive();
    if (!res.ok) throw new Error(`export answered ${res.status}`);

    let extra = 0;
    const sockets = o.sockets
      ? await socketFanout({ base: api.base, token, cameraId: first.items[0]!.id, importBody: () => csvChunk(o.cameras + 10_000 * extra++, 10_000, rnd), progress: (m) => o.progress(`control (${setup}): ${m}`) }, o.sockets)
      : undefined;
    api.assertAlive();
    return { database, processes, cameras: o.cameras, idleRssMiB, importSeconds, importHealthzMaxMs: healthzMax, exportSeconds, exportPeakRssMiB: peak, exportStartRssMiB: beforeExport, exportRows: exportRows - 1, load: rows, sockets };
  } finally {
    await api.stop();
    if (scratch && process.env.BENCH_KEEP_DB) o.progress(`control (${setup}): kept the database ${scratch} (BENCH_KEEP_DB)`);
    else if (scratch) {
      const admin = new pg.Client({ connectionString: o.pgUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
      await admin.end();
    }
  }
}

function label(database: 'pglite' | 'postgres', processes: number): string {
  return processes > 1 ? `${database}, ${processes} api processes` : database;
}

export async function runControlBench(o: ControlBenchOptions): Promise<ControlResult[]> {
  const out: ControlResult[] = [];
  const setups = o.databases.flatMap((d): Array<['pglite' | 'postgres', number]> => (d === 'postgres' && o.apiProcesses > 1 ? [[d, 1], [d, o.apiProcesses]] : [[d, 1]]));
  for (const [d, n] of setups) {
    try {
      out.push(await runOne(o, d, n));
      o.progress(`control (${label(d, n)}): done\n${renderControlTable(out.slice(-1))}`);
    } catch (e) {
      if (o.signal.aborted) throw e;
      o.progress(`control (${label(d, n)}) failed: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Issue 13's targets (PostgreSQL; PGlite within 3x of the request rates). */
const TARGET_RPS = 3_000;
const TARGET_P95 = 20;

export function renderControlTable(results: readonly ControlResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const slack = r.database === 'pglite' ? 3 : 1;
    lines.push(
      `Control plane (${label(r.database, r.processes)}), ${r.cameras.toLocaleString('en')} cameras, autocannon 20 connections, load generator on this machine`,
      '| route | req/s | p95 ms | of /healthz | CPU ms per answer: api / database | errors | target |',
      '|---|---|---|---|---|---|---|',
    );
    for (const l of r.load) {
      const targeted = /^(list|radius|get by id)/.test(l.name);
      const met = l.reqPerSec >= TARGET_RPS / slack && l.p95Ms <= TARGET_P95 * slack;
      const cpu = l.apiCpuMs === undefined ? '' : `${l.apiCpuMs.toFixed(3)} / ${l.dbCpuMs === null ? (r.database === 'pglite' ? 'in the api' : '?') : l.dbCpuMs.toFixed(3)}`;
      lines.push(`| ${l.name} | ${l.reqPerSec.toFixed(0)} | ${l.p95Ms.toFixed(0)} | ${(l.ofBaseline * 100).toFixed(0)} % | ${cpu} | ${l.errors} | ${targeted ? `${met ? 'met' : 'missed'} (≥ ${TARGET_RPS / slack}, ≤ ${TARGET_P95 * slack} ms)` : ''} |`);
    }
    lines.push(
      `| import of ${r.cameras.toLocaleString('en')} (10 requests) | ${r.importSeconds.toFixed(1)} s; /healthz waited up to ${r.importHealthzMaxMs.toFixed(0)} ms | | | | | ${r.importSeconds <= 10 && r.importHealthzMaxMs <= 100 ? 'met' : 'missed'} (≤ 10 s, ≤ 100 ms) |`,
      `| CSV export (${r.exportRows.toLocaleString('en')} rows) | ${r.exportSeconds.toFixed(1)} s, peak RSS ${r.exportPeakRssMiB.toFixed(0)} MiB (${r.exportStartRssMiB.toFixed(0)} when it started) | | | | | ${r.exportSeconds <= 3 ? 'met' : 'missed'} (≤ 3 s) |`,
      `| idle RSS after start | ${r.idleRssMiB.toFixed(0)} MiB | | | | | ${r.database === 'pglite' ? (r.idleRssMiB <= 300 ? 'met (≤ 300 MiB)' : 'missed (≤ 300 MiB)') : ''} |`,
    );
    const fan = (label: string, f: FanoutStats) =>
      `| socket.io ${r.sockets!.clients.toLocaleString('en')} consoles, camera:updated p50/p95/p99 ms, ${label} | ${f.p50Ms.toFixed(0)} / ${f.p95Ms.toFixed(0)} / ${f.p99Ms.toFixed(0)} (${f.received.toLocaleString('en')} of ${f.expected.toLocaleString('en')} delivered, ${f.receivedByClient} to the socket.io-client console; the PATCH answered in ${f.patchP50Ms.toFixed(0)} ms median, ${f.patchMaxMs.toFixed(0)} max) | | | | | ${f.p95Ms <= 50 && f.received === f.expected && f.receivedByClient === f.expected / r.sockets!.clients ? 'met' : 'missed'} (p95 ≤ 50 ms) |`;
    if (r.sockets) lines.push(fan('quiet', r.sockets.quiet), fan('during 10k imports', r.sockets.importing));
    lines.push('');
  }
  // The api cluster beside the single process, same run: req/s ratios per route.
  const one = results.find((r) => r.database === 'postgres' && r.processes === 1);
  for (const many of results.filter((r) => r.database === 'postgres' && r.processes > 1)) {
    if (!one) break;
    lines.push(`PostgreSQL, ${many.processes} api processes against 1 (same run)`, '| route | 1 process req/s, p95 ms | ' + `${many.processes} processes req/s, p95 ms | ratio |`, '|---|---|---|---|');
    for (const l of many.load) {
      const base = one.load.find((b) => b.name === l.name);
      if (base) lines.push(`| ${l.name} | ${base.reqPerSec.toFixed(0)}, ${base.p95Ms.toFixed(0)} | ${l.reqPerSec.toFixed(0)}, ${l.p95Ms.toFixed(0)} | ${(l.reqPerSec / base.reqPerSec).toFixed(2)}x |`);
    }
    lines.push(`| idle RSS | ${one.idleRssMiB.toFixed(0)} MiB | ${many.idleRssMiB.toFixed(0)} MiB (primary and processes) | ${(many.idleRssMiB / one.idleRssMiB).toFixed(2)}x |`, '');
  }
  return lines.join('\n');
}
