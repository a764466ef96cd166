/** Side-by-side summary (Sky Eye / baseline), the readable table and the JSON document. */
import type { BenchOptions } from './options';
import type { ProbeResult } from './probe';
import type { StepResult } from './ramp';
import type { Stats } from './util';

export interface Summary {
  perCameraAt: number | null;
  cpuPerCameraPct: {
    skyeye: number | null;
    skyeyeNode: number | null;
    skyeyeFfprobe: number | null;
    skyeyeFfmpeg: number | null;
    baseline: number | null;
    /** Bare ffmpeg writing Sky Eye's file outputs (live HLS + fMP4 recording segments), same N. */
    baselineSameOutputs: number | null;
  };
  rssPerCameraMiB: { skyeye: number | null; baseline: number | null };
  capacity: { skyeye: number; baseline: number; skyeyeAllPassed: boolean; baselineAllPassed: boolean };
}

const MiB = 1024 * 1024;

export function summarize(sky: StepResult[], base: StepResult[], nodeRssRef: number, same: StepResult[] = []): Summary {
  const cap = (r: StepResult[]) => Math.max(0, ...r.filter((s) => s.pass).map((s) => s.cameras));
  const common = sky.filter((s) => base.some((b) => b.cameras === s.cameras));
  const pick = common.filter((s) => s.pass && base.find((b) => b.cameras === s.cameras)!.pass).at(-1) ?? common.at(-1);
  const b = pick && base.find((x) => x.cameras === pick.cameras);
  const n = pick?.cameras ?? 0;
  const s = pick && same.find((x) => x.cameras === pick.cameras);
  // The bench's own polling runs in this node process in both paths: subtract the baseline's.
  const nodeNet = pick && b ? Math.max(0, pick.nodeCorePct - b.nodeCorePct) : null;
  return {
    perCameraAt: pick ? n : null,
    cpuPerCameraPct: {
      skyeye: pick && nodeNet !== null ? (pick.ffmpegCorePct + nodeNet) / n : null,
      skyeyeNode: nodeNet !== null && n ? nodeNet / n : null,
      skyeyeFfprobe: pick ? pick.reapedCorePct / n : null,
      skyeyeFfmpeg: pick ? pick.ffmpegCorePct / n : null,
      baseline: b ? b.ffmpegCorePct / n : null,
      baselineSameOutputs: s ? s.ffmpegCorePct / n : null,
    },
    rssPerCameraMiB: {
      skyeye: pick ? (pick.ffmpegRssBytes + Math.max(0, pick.nodeRssBytes - nodeRssRef)) / n / MiB : null,
      baseline: b ? b.ffmpegRssBytes / n / MiB : null,
    },
    capacity: { skyeye: cap(sky), baseline: cap(base), skyeyeAllPassed: sky.every((s) => s.pass), baselineAllPassed: base.every((s) => s.pass) },
  };
}

const f = (x: number | null | undefined, d = 1) => (x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
const ms = (s: Stats | null) => (s ? `${f(s.median, 0)} (${f(s.min, 0)}-${f(s.max, 0)}, n=${s.n})` : 'n/a');
const pad = (s: string, w: number) => s.padEnd(w);

export function renderTable(o: BenchOptions, env: Record<string, string>, sum: Summary, probe: ProbeResult | null, steps: StepResult[]): string {
  const L: string[] = [];
  L.push(`Sky Eye ingest benchmark - ${o.width}x${o.height} 25 fps H.264 ${o.bitrateKbps} kb/s, stream copy; ${env.cores} cores; ${env.ffmpeg}`);
  L.push(`background load before start: ${env.backgroundPct}% of machine`);
  L.push('');
  const row = (name: string, a: string, b: string, r: string) => L.push(`${pad(name, 50)}${pad(a, 26)}${pad(b, 30)}${r}`);
  row('', 'Sky Eye', 'baseline (bare ffmpeg)', 'Sky Eye/baseline');
  const c = sum.cpuPerCameraPct;
  row(`CPU per camera, % of 1 core (at N=${sum.perCameraAt ?? '-'})`, f(c.skyeye, 2), f(c.baseline, 2), ratio(c.skyeye, c.baseline));
  row('  of which ffmpeg', f(c.skyeyeFfmpeg, 2), f(c.baseline, 2), ratio(c.skyeyeFfmpeg, c.baseline));
  row('  vs bare ffmpeg, same outputs (HLS + fMP4)', f(c.skyeye, 2), f(c.baselineSameOutputs, 2), ratio(c.skyeye, c.baselineSameOutputs));
  row('  of which node process (net of bench polling)', `${f(c.skyeyeNode, 2)} (ffprobe ${f(c.skyeyeFfprobe, 2)})`, '-', '');
  const m = sum.rssPerCameraMiB;
  row(`RSS per camera, MiB (at N=${sum.perCameraAt ?? '-'})`, f(m.skyeye), f(m.baseline), ratio(m.skyeye, m.baseline));
  const cap = (n: number, all: boolean) => `${all ? '>=' : ''}${n}`;
  row(`Max cameras, CPU <=${o.cpuLimitPct}% (${o.cpuBasis}), no gaps`, cap(sum.capacity.skyeye, sum.capacity.skyeyeAllPassed), cap(sum.capacity.baseline, sum.capacity.baselineAllPassed), ratio(sum.capacity.skyeye, sum.capacity.baseline));
  if (probe) {
    row('Latency frame -> HLS listed, ms median (range)', ms(probe.latencyHlsMs.skyeye), ms(probe.latencyHlsMs.baseline), ratio(probe.latencyHlsMs.skyeye?.median, probe.latencyHlsMs.baseline?.median));
    row('Latency frame -> FLV video tag, ms', ms(probe.latencyFlvMs), 'n/a (no FLV)', '');
    row('Time to first HLS segment, ms', ms(probe.ttffHlsMs.skyeye), ms(probe.ttffHlsMs.baseline), ratio(probe.ttffHlsMs.skyeye?.median, probe.ttffHlsMs.baseline?.median));
    row('Time to first FLV video tag, ms', ms(probe.ttffFlvMs), 'n/a (no FLV)', '');
    row(`FLV tile start, nobody watching, ms${o.flvAlways ? ' (always)' : ''}`, ms(probe.tileStartFlvMs ?? null), 'n/a (no FLV)', '');
    const rc = probe.recovery;
    row(`Recovery after ${rc.rebootSeconds} s reboot: back -> new HLS, ms`, f(rc.skyeyeHlsMs, 0), `${f(rc.baselineHlsMs, 0)} (1 s retry loop)`, ratio(rc.skyeyeHlsMs, rc.baselineHlsMs));
    row('Recovery: camera back -> status live, ms', f(rc.skyeyeLiveMs, 0), 'n/a', '');
    for (const n of rc.notes) L.push(`  recovery note: ${n}`);
  }
  L.push('');
  L.push('Ramp (CPU: % of one core; own/machine: % of all cores; RSS MiB, averaged):');
  L.push('path      N   own%  mach%  ffmpeg%  node%  (reaped)  sim%  ffRSS  nodeRSS  ttff(ms)  result');
  for (const s of steps) {
    L.push(
      `${pad(s.path, 8)}${String(s.cameras).padStart(3)}  ${f(s.ownPct, 0).padStart(5)}  ${f(s.machinePct, 0).padStart(5)}  ${f(s.ffmpegCorePct).padStart(7)}  ${f(s.nodeCorePct).padStart(5)}  ${`(${f(s.reapedCorePct)})`.padStart(8)}  ${f(s.simCorePct).padStart(4)}  ${f(s.ffmpegRssBytes / MiB, 0).padStart(5)}  ${f(s.nodeRssBytes / MiB, 0).padStart(7)}  ${f(s.ttffHlsMedianMs, 0).padStart(8)}  ${s.pass ? 'pass' : `FAIL: ${s.problems.slice(0, 2).join('; ')}${s.problems.length > 2 ? ` (+${s.problems.length - 2})` : ''}`}`,
    );
  }
  L.push('');
  L.push(METHOD);
  return L.join('\n');
}

export const METHOD = `Method:
- Cameras: simulator (separate process, not billed to either path) served as RTSP over TCP. --sim-mode replay (default):
  the cached clip packetised once (RTP, 1,472-byte packets), each frame's packets sent as one write at 25 fps,
  looping; loop: an ffmpeg per camera stream-copies the clip with -re to the simulator, one write per RTP packet.
- Sky Eye: startIngestWorker (supervisor, RTSP auth proxy, recorder with ffprobe) with the real argument builders:
  live HLS 2 s + fMP4 recording segments + FLV output to the built-in media server. Baseline: one bare
  ffmpeg -rtsp_transport tcp -i rtsp://... -c copy -f hls (2 s, 6 entries) per camera - HLS only. Same-outputs
  baseline (baselineSame): bare ffmpeg with Sky Eye's HLS and fMP4 recording outputs (same argument builders).
  FLV: to the on-demand gate unless --flv-always; the probe's players read it as the API's FLV route serves it (the
  gate's viewer piped to an HTTP response; node-media-server with --flv-always); the ramp has no viewer unless --viewers
  (one per camera, that same route read by a curl in a process of its own) or --viewers-ws (one WebSocket per camera,
  the wall's WS-FLV media path, all held by one node process standing for the browser).
- CPU: utime+stime deltas from /proc/<pid>/stat over the window (ffmpeg children; node = this process incl. reaped
  children (cutime: the recorder's ffprobe), minus the same bench polling measured during the baseline step).
  own% = (ffmpeg + node) / all cores: the capacity criterion unless --cpu-basis machine; mach% includes other users.
- RSS: VmRSS from /proc/<pid>/status; Sky Eye adds the node process's growth since before it started. ffmpeg RSS
  counts shared libraries in every process.
- Gaps: a camera fails a step if its playlist lists no new segment for >5 s, lists a segment >5 s long, its ingest
  exits or leaves 'live', or (Sky Eye) its recordings leave >1.5 s uncovered.
- Latency: stall marker (see bench/lib/probe.ts): RTP relay paused, resumed at T; time to first HLS segment listed /
  first FLV video tag after T. HLS includes waiting for the next keyframe (GOP 2 s); a player's hold-back is extra.
- TTFF: ingest start (sync/spawn) -> first segment listed / first FLV video tag. Recovery: camera listening again ->
  Sky Eye 'live' status / first new segment (Sky Eye backoff 1,2,5 s... vs a naive 1 s retry loop for the baseline).`;
