/**
 * Archive phase of `npm run bench` (`--archive-cameras N`): segment close -> verified in S3 under N
 * cameras, Sky Eye's uploader against a bare PutObject + GetObject loop of the same kind of files,
 * in the same run, to the same embedded S3 server (s3rver, as the app runs it; hosted in this
 * bench process, so neither path pays for it). Each path runs in its own forked process
 * (archive-child.ts) with the same simulated recorder outputs; a third run with the writers alone
 * is the zero point, so a path's CPU is its process CPU minus the writers'.
 */
import { fork } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '@config/schema';
import { openObjectStore } from '@server/storage/object-store';
import type { ArchiveChildRequest, ArchiveChildResult, ArchiveMode } from './archive-child';
import { percentile } from './util';

export interface ArchiveBenchOptions {
  dir: string;
  cameras: number;
  segmentSeconds: number;
  windowSeconds: number;
  bitrateKbps: number;
  signal: AbortSignal;
  progress(msg: string): void;
}

export interface ArchivePathSummary {
  segments: number;
  verified: number;
  failures: number;
  multipart: number;
  closeToVerifiedMs: { p50: number | null; p95: number | null; max: number | null };
  uploadMs: { p50: number | null; p95: number | null };
  /** Process CPU minus the writers-only run's, seconds, and as % of one core over the window. */
  netCpuSeconds: number;
  cpuPctOfCore: number;
  /** The S3 server's CPU (this bench process) while the path ran, % of one core over the window. */
  s3CpuPctOfCore: number;
  tailSeconds: number;
  errors: string[];
}

export interface ArchiveBenchResult {
  cameras: number;
  segmentSeconds: number;
  windowSeconds: number;
  bitrateKbps: number;
  uploadConcurrency: number;
  uploadIntervalMs: number;
  multipartThreshold: number;
  writersCpuSeconds: number;
  skyeye: ArchivePathSummary;
  baseline: ArchivePathSummary;
  /** Sky Eye / baseline. */
  ratios: { p50: number | null; p95: number | null; max: number | null; cpu: number | null };
}

function runChild(req: ArchiveChildRequest, signal: AbortSignal): Promise<ArchiveChildResult> {
  const child = fork(fileURLToPath(new URL('./archive-child.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  return new Promise<ArchiveChildResult>((resolve, reject) => {
    child.once('message', (m: ArchiveChildResult | { error: string }) => ('error' in m ? reject(new Error(`archive ${req.mode}: ${m.error}`)) : resolve(m)));
    child.once('exit', (code) => reject(new Error(`archive ${req.mode} process exited (${code})`)));
    child.once('error', (e) => reject(new Error(`archive ${req.mode} process: ${e.message}`)));
    child.send(req);
  }).finally(() => signal.removeEventListener('abort', kill));
}

const ratio = (a: number | null, b: number | null) => (a == null || b == null || b === 0 ? null : a / b);

export async function runArchiveBench(o: ArchiveBenchOptions): Promise<ArchiveBenchResult> {
  const defaults = configSchema.parse({}).archive;
  const windowSeconds = Math.max(1, Math.round(o.windowSeconds / o.segmentSeconds)) * o.segmentSeconds;
  const s3Dir = path.join(o.dir, 's3');
  await mkdir(s3Dir, { recursive: true });
  const s3 = await openObjectStore(configSchema.parse({ dataDir: s3Dir }));
  const runs = new Map<ArchiveMode, { r: ArchiveChildResult; s3CpuSeconds: number }>();
  try {
    for (const mode of ['writers', 'baseline', 'skyeye'] as const) {
      if (o.signal.aborted) throw new Error('aborted');
      o.progress(`archive: ${mode === 'writers' ? 'writers alone (zero point)' : mode === 'skyeye' ? 'Sky Eye uploader' : 'bare PutObject + GetObject'}, ${o.cameras} cameras x ${o.bitrateKbps} kb/s, ${o.segmentSeconds} s segments, ${windowSeconds} s`);
      const dir = path.join(o.dir, mode);
      const c0 = process.cpuUsage();
      const r = await runChild(
        {
          mode, dir, endpoint: s3.endpoint, cameras: o.cameras, segmentSeconds: o.segmentSeconds, windowSeconds, bitrateKbps: o.bitrateKbps,
          concurrency: defaults.uploadConcurrency, uploadIntervalMs: defaults.uploadInterval, multipartThreshold: defaults.multipartThreshold,
          drainTimeoutMs: Math.max(60_000, windowSeconds * 2_000),
        },
        o.signal,
      );
      const c = process.cpuUsage(c0);
      runs.set(mode, { r, s3CpuSeconds: (c.user + c.system) / 1e6 });
      // Keep the disk bounded: the cache copies and the archived objects of this path go.
      await rm(dir, { recursive: true, force: true });
      await rm(path.join(s3Dir, s3.bucket, 'recordings'), { recursive: true, force: true });
    }
  } finally {
    await s3.close();
  }
  const writersCpu = runs.get('writers')!.r.cpuSeconds;
  const summary = (mode: 'skyeye' | 'baseline'): ArchivePathSummary => {
    const { r, s3CpuSeconds } = runs.get(mode)!;
    const close = r.timings.map((t) => t.closeToVerifiedMs);
    const up = r.timings.map((t) => t.uploadMs);
    const net = Math.max(0, r.cpuSeconds - writersCpu);
    return {
      segments: r.segments, verified: r.timings.length, failures: r.failures, multipart: r.timings.filter((t) => t.multipart).length,
      closeToVerifiedMs: { p50: percentile(close, 50), p95: percentile(close, 95), max: percentile(close, 100) },
      uploadMs: { p50: percentile(up, 50), p95: percentile(up, 95) },
      netCpuSeconds: net, cpuPctOfCore: (100 * net) / r.windowSeconds, s3CpuPctOfCore: (100 * s3CpuSeconds) / r.windowSeconds,
      tailSeconds: r.tailSeconds, errors: r.errors,
    };
  };
  const skyeye = summary('skyeye');
  const baseline = summary('baseline');
  return {
    cameras: o.cameras, segmentSeconds: o.segmentSeconds, windowSeconds, bitrateKbps: o.bitrateKbps,
    uploadConcurrency: defaults.uploadConcurrency, uploadIntervalMs: defaults.uploadInterval, multipartThreshold: defaults.multipartThreshold,
    writersCpuSeconds: writersCpu, skyeye, baseline,
    ratios: {
      p50: ratio(skyeye.closeToVerifiedMs.p50, baseline.closeToVerifiedMs.p50),
      p95: ratio(skyeye.closeToVerifiedMs.p95, baseline.closeToVerifiedMs.p95),
      max: ratio(skyeye.closeToVerifiedMs.max, baseline.closeToVerifiedMs.max),
      cpu: ratio(skyeye.cpuPctOfCore, baseline.cpuPctOfCore),
    },
  };
}

const f = (x: number | null | undefined, d = 0) => (x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const x = (r: number | null) => (r == null ? 'n/a' : `${r.toFixed(2)}x`);

export function renderArchiveTable(a: ArchiveBenchResult): string {
  const s = a.skyeye;
  const b = a.baseline;
  const per = a.cameras * (a.windowSeconds / a.segmentSeconds);
  const L = [
    `Archive: segment close -> verified in S3 (embedded s3rver), ${a.cameras} cameras x ${a.bitrateKbps} kb/s, ${a.segmentSeconds} s segments cut together, ${a.windowSeconds} s (${per} segments a path); upload concurrency ${a.uploadConcurrency}`,
    '| | Sky Eye uploader | bare PutObject+GetObject | Sky Eye/baseline |',
    '|---|---|---|---|',
    `| close -> verified p50 / p95 / max, ms | ${f(s.closeToVerifiedMs.p50)} / ${f(s.closeToVerifiedMs.p95)} / ${f(s.closeToVerifiedMs.max)} | ${f(b.closeToVerifiedMs.p50)} / ${f(b.closeToVerifiedMs.p95)} / ${f(b.closeToVerifiedMs.max)} | ${x(a.ratios.p50)} / ${x(a.ratios.p95)} / ${x(a.ratios.max)} |`,
    `| of which uploading (claim -> verified) p50 / p95, ms | ${f(s.uploadMs.p50)} / ${f(s.uploadMs.p95)} | ${f(b.uploadMs.p50)} / ${f(b.uploadMs.p95)} | |`,
    `| CPU, % of one core (process minus writers alone) | ${f(s.cpuPctOfCore, 1)} | ${f(b.cpuPctOfCore, 1)} | ${x(a.ratios.cpu)} |`,
    `| S3 server CPU meanwhile, % of one core | ${f(s.s3CpuPctOfCore, 1)} | ${f(b.s3CpuPctOfCore, 1)} | |`,
    `| verified / segments (multipart; failed attempts) | ${s.verified}/${s.segments} (${s.multipart}; ${s.failures}) | ${b.verified}/${b.segments} (0; ${b.failures}) | |`,
    `Sky Eye's uploader loop is kicked when a segment is indexed (else runs every ${a.uploadIntervalMs} ms) and claims from the segment rows; the baseline is handed each file in memory the moment it closes. Writers alone: ${f(a.writersCpuSeconds, 1)} CPU-s.`,
  ];
  for (const e of [...s.errors.map((m) => `skyeye: ${m}`), ...b.errors.map((m) => `baseline: ${m}`)].slice(0, 5)) L.push(`  error: ${e}`);
  return L.join('\n');
}
