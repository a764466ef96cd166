/**
 * Capacity ramp for one path: N cameras, then more, each step measured for a fixed window.
 * A step passes when the path's CPU stays within the limit and no camera shows a segment gap
 * (HLS silence or a too-long segment, an unexpected exit or non-live status, and for Sky Eye a
 * hole in the recordings). The ramp stops at the first failing step.
 */
import { PlaylistWatcher } from './hls';
import type { IngestPath } from './paths';
import { CORES, CpuWindow, coresPct, machineBusyPct, machineTicks, procTicks, rssBytes, sumRss } from './proc';
import type { SimClient } from './sim-client';
import { SkyEyePath } from './skyeye';
import { sleep, stats, waitFor } from './util';

export interface StepResult {
  path: 'skyeye' | 'baseline' | 'baselineSame';
  cameras: number;
  seconds: number;
  /** Whole machine busy, % of all cores (includes other users of the machine). */
  machinePct: number;
  /** ffmpeg children of the path, % of one core. */
  ffmpegCorePct: number;
  /** This node process (Sky Eye in-process parts + the bench's own polling), % of one core. */
  nodeCorePct: number;
  /** Of nodeCorePct: children this process reaped during the window (Sky Eye: ffprobe of recordings). */
  reapedCorePct: number;
  /** Simulator process and its publishers, % of one core (not part of either path). */
  simCorePct: number;
  /** The path's CPU (ffmpeg + node) as % of total machine CPU: the capacity criterion by default. */
  ownPct: number;
  ffmpegRssBytes: number;
  nodeRssBytes: number;
  ttffHlsMedianMs: number | null;
  /** Sky Eye: recorded segments that started in the window, and how many carry each flag. */
  segments?: { count: number; flagged: Record<string, number> };
  problems: string[];
  pass: boolean;
}

export interface RampContext {
  sim: SimClient;
  steps: number[];
  stepSeconds: number;
  /** Window of the last step. */
  holdSeconds: number;
  recordSeconds: number;
  cpuLimitPct: number;
  cpuBasis: 'own' | 'machine';
  signal: AbortSignal;
  progress(msg: string): void;
}

const HLS_TIME = 2;

/**
 * How long a step waits for every new camera's first segment: 25 s, or longer when more cameras
 * start at once than a worker's start slots admit together (workers/ingest/start-slots.ts: six per
 * core, each held at most 5 s), so the last batch still gets 10 s for its first segment.
 */
export function startDeadlineMs(added: number): number {
  return Math.max(25_000, Math.ceil(added / (CORES * 6)) * 5_000 + 10_000);
}

export async function runRamp(ctx: RampContext, path: IngestPath): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const watchers = new Map<string, PlaylistWatcher>();
  const self = process.pid;
  try {
    for (const n of ctx.steps) {
      const cams = ctx.sim.cameras.slice(0, n);
      const added = cams.filter((c) => !watchers.has(c.id));
      for (const c of added) watchers.set(c.id, new PlaylistWatcher(path.playlist(c.id), 250).start());
      ctx.progress(`${path.name}: ${n} camera(s), starting ${added.length}`);
      await path.setCameras(cams);
      const problems: string[] = [];
      const allListed = () => cams.every((c) => watchers.get(c.id)!.firstListedAt !== null);
      const deadline = startDeadlineMs(added.length);
      if (!(await waitFor(allListed, deadline, ctx.signal))) problems.push(`not every camera produced a segment within ${deadline / 1000} s`);
      const ttff = stats(added.map((c) => (watchers.get(c.id)!.firstListedAt ?? NaN) - (path.startedAt(c.id) ?? NaN)).filter(Number.isFinite));
      await sleep(2_000, ctx.signal);

      const pids = path.ffmpegPids();
      const simPids = [ctx.sim.pid, ...(await ctx.sim.publisherPids())].filter((p): p is number => p !== undefined);
      const w = new CpuWindow(pids);
      const sw = new CpuWindow(simPids);
      const node0 = procTicks(self)!;
      const m0 = machineTicks();
      const t0 = Date.now();
      const rss: Array<[number, number]> = [];
      const seconds = n === ctx.steps.at(-1) ? ctx.holdSeconds : ctx.stepSeconds;
      for (let s = 0; s < seconds; s++) {
        await sleep(1_000, ctx.signal);
        if (s % 2 === 0) rss.push([sumRss(path.ffmpegPids()), rssBytes(self) ?? 0]);
        if ((s + 1) % 5 === 0 && s + 1 < seconds) ctx.progress(`${path.name}: ${n} camera(s), ${s + 1}/${seconds} s, machine ${machineBusyPct(m0, machineTicks()).toFixed(0)}% busy`);
      }
      const t1 = Date.now();
      const [ffTicks, secs] = w.end(pids);
      const [simTicks] = sw.end(simPids);
      const node1 = procTicks(self)!;
      const reapedTicks = node1.children - node0.children;
      const nodeTicks = node1.self - node0.self + reapedTicks;
      const machinePct = machineBusyPct(m0, machineTicks());

      for (const c of cams) for (const g of watchers.get(c.id)!.gaps(t0, t1, HLS_TIME * 2500, HLS_TIME * 2 + 1)) problems.push(`${c.id}: ${g}`);
      problems.push(...path.incidents(t0));
      const alive = path.ffmpegPids().length;
      if (alive < n) problems.push(`${n - alive} ffmpeg process(es) not running`);
      let segments: StepResult['segments'];
      if (path instanceof SkyEyePath) {
        await sleep(1_500, ctx.signal); // let the recorder index the segment that closed last
        problems.push(...path.recordingGaps(cams.map((c) => c.id), t0, t1 - (ctx.recordSeconds + 2) * 1000));
        segments = path.segmentFlags(t0, t1);
      }
      const ffmpegCorePct = coresPct(ffTicks, secs);
      const nodeCorePct = coresPct(nodeTicks, secs);
      const ownPct = (ffmpegCorePct + nodeCorePct) / CORES;
      const cpu = ctx.cpuBasis === 'own' ? ownPct : machinePct;
      if (cpu > ctx.cpuLimitPct) problems.push(`CPU ${cpu.toFixed(0)}% > ${ctx.cpuLimitPct}% (${ctx.cpuBasis})`);
      const avg = (i: 0 | 1) => rss.reduce((a, r) => a + r[i], 0) / Math.max(1, rss.length);
      const r: StepResult = {
        path: path.name,
        cameras: n,
        seconds: secs,
        machinePct,
        ffmpegCorePct,
        nodeCorePct,
        reapedCorePct: coresPct(reapedTicks, secs),
        simCorePct: coresPct(simTicks, secs),
        ownPct,
        ffmpegRssBytes: avg(0),
        nodeRssBytes: avg(1),
        ttffHlsMedianMs: ttff?.median ?? null,
        segments,
        problems,
        pass: problems.length === 0,
      };
      results.push(r);
      const flagged = segments ? `, ${segments.count} segments recorded (flagged: ${Object.entries(segments.flagged).map(([f, k]) => `${f} ${k}`).join(', ') || 'none'})` : '';
      ctx.progress(`${path.name}: ${n} camera(s) ${r.pass ? 'PASS' : 'FAIL'}: own ${ownPct.toFixed(0)}%, machine ${machinePct.toFixed(0)}%${flagged}${r.pass ? '' : ` - ${problems.slice(0, 3).join('; ')}`}`);
      if (!r.pass) break;
    }
  } finally {
    for (const w of watchers.values()) w.stop();
    await path.setCameras([]);
  }
  return results;
}
