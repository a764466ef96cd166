/**
 * Timing probes on a few cameras ingested by BOTH paths at once (same packets, same keyframes):
 * time to first frame, live latency with stall markers, and recovery after a camera reboot.
 *
 * Latency method: the simulator stops relaying a camera's RTP for ~1.5-2 s (stall fault), then
 * resumes at a known time T (taken in the simulator process; same machine clock). The first frame
 * relayed after T leaves the camera at T. We time when it becomes playable:
 *  - HLS: first new segment listed in the playlist after T (playlists polled every 20 ms). A
 *    segment is listed when the next keyframe closes it, so this includes waiting for the
 *    keyframe (0..GOP), as for any frame in a live HLS stream; a player's hold-back comes on top.
 *  - FLV (Sky Eye only): first video tag after T at an HTTP-FLV reader on node-media-server.
 * Tile start (FLV): with the readers closed and the republish stopped, a new reader's request ->
 * first video tag.
 * Random pauses between markers spread T over the GOP; both paths see the same T and keyframes.
 */
import { FlvReader } from './flv';
import { PlaylistWatcher } from './hls';
import type { BaselinePath } from './baseline';
import type { SimClient, SimCam } from './sim-client';
import { FLV_GRACE_MS, type SkyEyePath } from './skyeye';
import { sleep, stats, waitFor, type Stats } from './util';

export interface ProbeResult {
  cameras: number;
  ttffHlsMs: { skyeye: Stats | null; baseline: Stats | null };
  ttffFlvMs: Stats | null;
  latencyHlsMs: { skyeye: Stats | null; baseline: Stats | null };
  latencyFlvMs: Stats | null;
  /**
   * A new FLV player after nobody watched for a while: request -> first video tag. With the
   * on-demand republish the publish had stopped (cold: the gate's GOP cache starts it); with
   * --flv-always node-media-server's own GOP cache answers.
   */
  tileStartFlvMs: Stats | null;
  recovery: { rebootSeconds: number; skyeyeLiveMs: number | null; skyeyeHlsMs: number | null; baselineHlsMs: number | null; notes: string[] };
}

export interface ProbeContext {
  sim: SimClient;
  sky: SkyEyePath;
  base: BaselinePath;
  markers: number;
  rebootSeconds: number;
  signal: AbortSignal;
  progress(msg: string): void;
}

const delta = (a: number | null | undefined, b: number | undefined) => (a == null || b === undefined ? null : a - b);
const keep = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);

/** Closes the probe's FLV readers, waits for the republish to stop (nobody watching), then times new players. */
async function tileStart(ctx: ProbeContext, cams: SimCam[], readers: Array<FlvReader | null>): Promise<Stats | null> {
  const urls = cams.map((c) => ctx.sky.flvUrl(c.id));
  if (urls.some((u) => !u)) return null;
  for (const r of readers) r?.close();
  await sleep(FLV_GRACE_MS + 1_000, ctx.signal);
  await waitFor(() => cams.every((c) => !ctx.sky.republishing(c.id)), 10_000, ctx.signal);
  ctx.progress(`probe: tile start with nobody watching before (republishing: ${cams.filter((c) => ctx.sky.republishing(c.id)).length}/${cams.length})`);
  const out: number[] = [];
  for (const u of urls) {
    const t = Date.now();
    const r = new FlvReader(u!).start();
    await waitFor(() => r.firstVideoAt !== null, 10_000, ctx.signal);
    if (r.firstVideoAt !== null) out.push(r.firstVideoAt - t);
    r.close();
  }
  return stats(out);
}

export async function runProbe(ctx: ProbeContext, cams: SimCam[]): Promise<ProbeResult> {
  const { sim, sky, base, signal } = ctx;
  const idx = cams.map((c) => c.index);
  const sw = cams.map((c) => new PlaylistWatcher(sky.playlist(c.id), 20).start());
  const bw = cams.map((c) => new PlaylistWatcher(base.playlist(c.id), 20).start());
  const flv = cams.map((c) => sky.flvUrl(c.id)).map((u) => (u ? new FlvReader(u).start() : null));
  try {
    ctx.progress(`probe: starting ${cams.length} camera(s) on both paths`);
    await Promise.all([sky.setCameras(cams), base.setCameras(cams)]);
    const ready = () => [...sw, ...bw].every((w) => w.firstListedAt !== null) && flv.every((f) => !f || f.firstVideoAt !== null);
    if (!(await waitFor(ready, 30_000, signal))) ctx.progress('probe: not every output produced a first frame within 30 s');
    const ttff = (ws: PlaylistWatcher[], p: SkyEyePath | BaselinePath) => stats(keep(ws.map((w, i) => delta(w.firstListedAt, p.startedAt(cams[i]!.id)))));
    const result: ProbeResult = {
      cameras: cams.length,
      ttffHlsMs: { skyeye: ttff(sw, sky), baseline: ttff(bw, base) },
      ttffFlvMs: stats(keep(flv.map((f, i) => delta(f?.firstVideoAt, sky.startedAt(cams[i]!.id))))),
      latencyHlsMs: { skyeye: null, baseline: null },
      latencyFlvMs: null,
      tileStartFlvMs: null,
      recovery: { rebootSeconds: ctx.rebootSeconds, skyeyeLiveMs: null, skyeyeHlsMs: null, baselineHlsMs: null, notes: [] },
    };

    const lat = { sky: [] as number[], base: [] as number[], flv: [] as number[] };
    await sleep(2_500, signal);
    for (let m = 0; m < ctx.markers; m++) {
      ctx.progress(`probe: latency marker ${m + 1}/${ctx.markers}`);
      await sim.stall(idx);
      await sleep(1_500 + Math.random() * 500, signal);
      const at = await sim.clear(idx);
      await sleep(3_200, signal);
      cams.forEach((_c, i) => {
        const t = at[i]!;
        const s = sw[i]!.firstAfter(t);
        const b = bw[i]!.firstAfter(t);
        const f = flv[i]?.firstVideoAfter(t);
        if (s) lat.sky.push(s.at - t);
        if (b) lat.base.push(b.at - t);
        if (f !== undefined) lat.flv.push(f - t);
      });
      await sleep(Math.random() * 1_000, signal);
    }
    result.latencyHlsMs = { skyeye: stats(lat.sky), baseline: stats(lat.base) };
    result.latencyFlvMs = stats(lat.flv);
    result.tileStartFlvMs = await tileStart(ctx, cams, flv);

    const cam = cams[0]!;
    ctx.progress(`probe: rebooting ${cam.id} for ${ctx.rebootSeconds} s`);
    base.restartDelayMs = 1_000;
    const { backAt } = await sim.reboot(cam.index, ctx.rebootSeconds);
    const done = () => sky.statusAfter(cam.id, 'live', backAt) !== undefined && !!sw[0]!.firstAfter(backAt) && !!bw[0]!.firstAfter(backAt);
    if (!(await waitFor(done, 45_000, signal))) result.recovery.notes.push('not every path recovered within 45 s');
    result.recovery.skyeyeLiveMs = delta(sky.statusAfter(cam.id, 'live', backAt), backAt);
    result.recovery.skyeyeHlsMs = delta(sw[0]!.firstAfter(backAt)?.at, backAt);
    result.recovery.baselineHlsMs = delta(bw[0]!.firstAfter(backAt)?.at, backAt);
    result.recovery.notes.push(...sky.incidents(backAt - ctx.rebootSeconds * 1000 - 1000).filter((s) => s.startsWith(cam.id)).slice(0, 4));
    return result;
  } finally {
    base.restartDelayMs = null;
    for (const w of [...sw, ...bw]) w.stop();
    for (const f of flv) f?.close();
    await Promise.all([sky.setCameras([]), base.setCameras([])]);
  }
}
