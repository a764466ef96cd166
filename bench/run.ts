/**
 * `npm run bench`: Sky Eye's ingest pipeline vs bare ffmpeg on the same simulated cameras, in one
 * run. Phases: archive (opt-in, --archive-cameras N: segment close -> verified in S3, uploader vs a
 * bare SDK loop), clips, probe (TTFF, latency, recovery; both paths on the same cameras), then a
 * capacity ramp for Sky Eye and one for the baseline. Prints a table; --json writes bench/results/latest.json.
 * Every child process and temp dir is removed at the end and on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveFfmpegPath } from '@workers/ffmpeg/version';
import { BaselinePath } from './lib/baseline';
import { parseOptions, rampSteps, USAGE, type BenchOptions } from './lib/options';
import { runProbe, type ProbeResult } from './lib/probe';
import { CORES, machineBusyPct, machineTicks, rssBytes } from './lib/proc';
import { runRamp, type StepResult } from './lib/ramp';
import { METHOD, renderTable, summarize } from './lib/report';
import { SimClient } from './lib/sim-client';
import { SkyEyePath } from './lib/skyeye';
import { renderClipTable, runClipBench, type ClipBenchRow } from './lib/clips';
import { renderArchiveTable, runArchiveBench, type ArchiveBenchResult } from './lib/archive';
import { renderControlTable, runControlBench } from './lib/control';
import { sleep } from './lib/util';

const t0 = Date.now();
const progress = (msg: string) => {
  const s = Math.round((Date.now() - t0) / 1000);
  process.stderr.write(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${msg}\n`);
};

async function environment(signal: AbortSignal): Promise<Record<string, string>> {
  let ffmpeg = 'ffmpeg ?';
  try {
    ffmpeg = execFileSync(resolveFfmpegPath(), ['-hide_banner', '-version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/ Copyright.*/, '');
  } catch {
    /* reported as unknown */
  }
  const m0 = machineTicks();
  await sleep(2_000, signal);
  return { cores: String(CORES), ffmpeg, node: process.version, backgroundPct: machineBusyPct(m0, machineTicks()).toFixed(0) };
}

/** The results file as the last run left it ({} when there is none or it does not parse). */
async function previousResults(): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(fileURLToPath(new URL('./results/latest.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The last control-plane run's part of the results file, kept by the other phases' runs. */
async function keptControl(): Promise<Record<string, unknown>> {
  const { control, controlRun } = await previousResults();
  return control ? { control, controlRun } : {};
}

async function writeResults(doc: object): Promise<void> {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  progress(`wrote ${path.relative(process.cwd(), file)}`);
}

async function main(o: BenchOptions): Promise<number> {
  const ac = new AbortController();
  const { signal } = ac;
  let firstInterrupt = 0;
  const onSigint = () => {
    // npm and tsx forward the terminal's SIGINT, so one Ctrl-C can arrive two or three times.
    if (firstInterrupt && Date.now() - firstInterrupt > 2_000) process.exit(130); // exit hooks still kill the process groups
    if (firstInterrupt) return;
    firstInterrupt = Date.now();
    progress('interrupted: cleaning up (Ctrl-C again to force)');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  const tmp = await mkdtemp(path.join(tmpdir(), 'skyeye-bench-'));
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
  process.once('exit', removeTmp);
  let sim: SimClient | null = null;
  let sky: SkyEyePath | null = null;
  let base: BaselinePath | null = null;
  let same: BaselinePath | null = null;
  const warnings: string[] = [];
  const errors: string[] = [];
  try {
    const env = await environment(signal);
    progress(`${CORES} cores, background load ${env.backgroundPct}%; ${env.ffmpeg}`);
    if (o.control) {
      const control = await runControlBench({ dir: path.join(tmp, 'control'), cameras: o.controlCameras, seconds: o.controlSeconds, sockets: o.controlSockets, databases: o.controlDatabases, pgUrl: o.controlPgUrl, apiProcesses: o.controlApiProcesses, redisUrl: o.controlRedisUrl, routes: o.controlRoutes, signal, progress });
      process.stdout.write(`\n${renderControlTable(control)}\n`);
      // Beside the last ingest run's results (latest.json keeps its shape): only `control` is replaced.
      if (o.json) await writeResults({ ...(await previousResults()), control, controlRun: { at: new Date().toISOString(), options: o, environment: env, errors } });
      return 0;
    }
    let clipRows: ClipBenchRow[] = [];
    let archive: ArchiveBenchResult | null = null;
    if (o.archiveCameras > 0 && !o.clipsOnly) {
      try {
        archive = await runArchiveBench({ dir: path.join(tmp, 'archive'), cameras: o.archiveCameras, segmentSeconds: o.archiveSegmentSeconds, windowSeconds: o.archiveSeconds, bitrateKbps: o.bitrateKbps, signal, progress });
        process.stdout.write(`\n${renderArchiveTable(archive)}\n`);
      } catch (e) {
        if (signal.aborted) throw e;
        errors.push(`archive: ${(e as Error).message}`);
      }
      await rm(path.join(tmp, 'archive'), { recursive: true, force: true });
    }
    if (o.clipMinutes.length && !o.archiveOnly) {
      try {
        clipRows = await runClipBench({ dir: path.join(tmp, 'clips'), minutes: o.clipMinutes, width: o.width, height: o.height, bitrateKbps: o.bitrateKbps, signal, progress });
        process.stdout.write(`\n${renderClipTable(clipRows)}\n`);
      } catch (e) {
        if (signal.aborted) throw e;
        errors.push(`clips: ${(e as Error).message}`);
      }
      await rm(path.join(tmp, 'clips'), { recursive: true, force: true });
    }
    if (o.clipsOnly || o.archiveOnly) {
      for (const e of errors) process.stdout.write(`error: ${e}\n`);
      if (o.json) await writeResults({ at: new Date().toISOString(), options: o, environment: env, clips: clipRows, archive, errors, ...(await keptControl()) });
      return errors.length ? 1 : 0;
    }
    progress(`starting ${o.maxCameras} simulated ${o.width}x${o.height} camera(s) (the clip is encoded once and cached)`);
    sim = await SimClient.start({ cameras: o.maxCameras, baseOctet: o.baseOctet, width: o.width, height: o.height, bitrateKbps: o.bitrateKbps, mode: o.simMode });
    if (signal.aborted) throw new Error('aborted');
    const nodeRssRef = rssBytes(process.pid) ?? 0;
    sky = await SkyEyePath.start({
      dataDir: path.join(tmp, 'skyeye'),
      recordSeconds: o.recordSeconds,
      flv: o.flv,
      flvAlways: o.flvAlways,
      viewers: o.viewers,
      onWarn: (w) => {
        warnings.push(w);
        if (o.verbose) progress(`warn: ${w}`);
      },
    });
    base = new BaselinePath(path.join(tmp, 'baseline'));
    same = new BaselinePath(path.join(tmp, 'baseline-same'), { recordSeconds: o.recordSeconds });

    let probe: ProbeResult | null = null;
    try {
      const cams = sim.cameras.slice(0, Math.min(2, o.maxCameras));
      probe = await runProbe({ sim, sky, base, markers: o.markers, rebootSeconds: o.rebootSeconds, signal, progress }, cams);
    } catch (e) {
      if (signal.aborted) throw e;
      errors.push(`probe: ${(e as Error).message}`);
    }
    const steps = rampSteps(o.cameras, o.maxCameras);
    const rc = { sim, steps, stepSeconds: o.stepSeconds, holdSeconds: o.holdSeconds, recordSeconds: o.recordSeconds, cpuLimitPct: o.cpuLimitPct, cpuBasis: o.cpuBasis, signal, progress };
    const ramp = async (p: SkyEyePath | BaselinePath): Promise<StepResult[]> => {
      if (!o.rampPaths.includes(p.name)) return [];
      try {
        return await runRamp(rc, p);
      } catch (e) {
        if (signal.aborted) throw e;
        errors.push(`${p.name} ramp: ${(e as Error).message}`);
        return [];
      }
    };
    const skySteps = await ramp(sky);
    const baseSteps = await ramp(base);
    await base.close();
    const sameSteps = await ramp(same);

    const summary = summarize(skySteps, baseSteps, nodeRssRef, sameSteps);
    const table = renderTable(o, env, summary, probe, [...skySteps, ...baseSteps, ...sameSteps]);
    process.stdout.write(`\n${table}\n`);
    for (const e of errors) process.stdout.write(`error: ${e}\n`);
    if (warnings.length) process.stdout.write(`(${warnings.length} ingest warning(s); --verbose prints them)\n`);
    if (clipRows.length) process.stdout.write(`\n${renderClipTable(clipRows)}\n`);
    if (archive) process.stdout.write(`\n${renderArchiveTable(archive)}\n`);
    if (o.json) await writeResults({ at: new Date().toISOString(), options: o, environment: env, summary, probe, steps: [...skySteps, ...baseSteps, ...sameSteps], clips: clipRows, archive, errors, warnings: warnings.slice(-50), method: METHOD, ...(await keptControl()) });
    return errors.length ? 1 : 0;
  } catch (e) {
    if (!signal.aborted) throw e;
    return 130;
  } finally {
    progress('cleaning up');
    await sky?.close().catch(() => undefined);
    await base?.close().catch(() => undefined);
    await same?.close().catch(() => undefined);
    await sim?.stop().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
    process.off('exit', removeTmp);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

let opts: BenchOptions | 'help';
try {
  opts = parseOptions(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (opts === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
main(opts).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
