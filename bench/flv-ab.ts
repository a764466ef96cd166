/**
 * A/B of the FLV output with nobody watching (issue 13): Sky Eye's ingest of N simulated cameras
 * with the always-on RTMP republish (A) and the on-demand gate (B), alternating A/B/B/A... in one
 * process against the same simulator, so a shared machine's drifting background load hits both
 * alike. Per window: node (this process, nothing else polls here) and ffmpeg CPU per camera.
 *
 *   npx tsx bench/flv-ab.ts [cameras=4] [rounds=3] [windowSeconds=30]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coresPct, CpuWindow, procTicks } from './lib/proc';
import { SimClient } from './lib/sim-client';
import { SkyEyePath } from './lib/skyeye';
import { sleep } from './lib/util';

const [n = 4, rounds = 3, windowS = 30] = process.argv.slice(2).map(Number);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'skyeye-flv-ab-'));
  const sim = await SimClient.start({ cameras: n, baseOctet: 220, width: 1920, height: 1080, bitrateKbps: 4000, mode: 'loop' });
  const out: Record<'always' | 'onDemand', { node: number[]; ffmpeg: number[] }> = { always: { node: [], ffmpeg: [] }, onDemand: { node: [], ffmpeg: [] } };
  try {
    for (let r = 0; r < rounds; r++) {
      const order: Array<'always' | 'onDemand'> = r % 2 === 0 ? ['always', 'onDemand'] : ['onDemand', 'always'];
      for (const mode of order) {
        const sky = await SkyEyePath.start({ dataDir: path.join(tmp, `${mode}-${r}`), recordSeconds: 10, flv: true, flvAlways: mode === 'always' });
        try {
          await sky.setCameras(sim.cameras);
          await sleep(10_000); // ingest live, first segments written
          const pids = sky.ffmpegPids();
          const ff = new CpuWindow(pids);
          const node0 = procTicks(process.pid)!;
          const t0 = Date.now();
          await sleep(windowS * 1000);
          const secs = (Date.now() - t0) / 1000;
          const node1 = procTicks(process.pid)!;
          const [ffTicks, ffSecs] = ff.end(pids);
          const node = coresPct(node1.self - node0.self + node1.children - node0.children, secs) / n;
          const ffmpeg = coresPct(ffTicks, ffSecs) / n;
          out[mode].node.push(node);
          out[mode].ffmpeg.push(ffmpeg);
          process.stdout.write(`round ${r + 1} ${mode.padEnd(8)} node ${node.toFixed(2)} %/camera, ffmpeg ${ffmpeg.toFixed(2)} %/camera\n`);
        } finally {
          await sky.close();
        }
      }
    }
    const m = (k: 'always' | 'onDemand') => `node ${median(out[k].node).toFixed(2)}, ffmpeg ${median(out[k].ffmpeg).toFixed(2)}`;
    process.stdout.write(`median of ${rounds} (% of one core per camera, N=${n}, ${windowS} s windows): always ${m('always')}; on-demand ${m('onDemand')}\n`);
  } finally {
    await sim.stop().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`flv-ab failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
