/**
 * Where Sky Eye's ffmpeg spends more than a bare ffmpeg with the same file outputs (issue 13): N
 * simulated cameras read straight from the simulator (no proxy, no node in the media path), one
 * ffmpeg per camera, the argument variants alternated in rounds so a shared machine's drifting
 * background load hits each alike. Only the ffmpeg processes are measured; the FLV outputs go to
 * a loopback sink in this process that reads and drops. The simulator runs in `loop` mode (an
 * ffmpeg publisher per camera, a write per RTP packet), not the main bench's `replay`, so compare
 * the variants with each other, not the absolute figures with `npm run bench`.
 *
 *   npx tsx bench/ffmpeg-outputs-ab.ts [cameras=16] [rounds=3] [windowSeconds=30] [variants=same,ingest,ingestNoFlv]
 *
 * Variants: `same` (the bench's baselineSame: live HLS + fMP4 recording), `ingestNoFlv` (Sky Eye's
 * own argument builder without the FLV output), `ingest` (Sky Eye's arguments as the worker runs
 * them, FLV into the tee), `ingestFlvDirect` (the FLV output straight to the socket, no tee).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeChild, spawnRunner, type ChildHandle } from '@workers/ffmpeg/process';
import { buildIngestArgs, type IngestPreset } from '@workers/ffmpeg/args';
import { detectFfmpeg, resolveFfmpegPath, type FfmpegCapabilities } from '@workers/ffmpeg/version';
import { coresPct, CpuWindow } from './lib/proc';
import { sameOutputsArgs } from './lib/baseline';
import { SimClient, type SimCam } from './lib/sim-client';
import { sleep } from './lib/util';

type Variant = 'same' | 'ingest' | 'ingestNoFlv' | 'ingestFlvDirect';
const VARIANTS: readonly Variant[] = ['same', 'ingest', 'ingestNoFlv', 'ingestFlvDirect'];

const argv = process.argv.slice(2);
const [n = 16, rounds = 3, windowS = 30] = argv.slice(0, 3).map(Number);
const variants = (argv[3] ?? 'same,ingest,ingestNoFlv').split(',') as Variant[];
for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}: ${VARIANTS.join(', ')}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function preset(cam: SimCam, dir: string, flvUrl: string | undefined): IngestPreset {
  return {
    input: { url: cam.rtspUrl, transport: 'tcp', socketTimeoutMs: 10_000 },
    hls: { playlist: path.join(dir, 'index.m3u8'), segmentPattern: path.join(dir, 'seg-%d.ts'), segmentSeconds: 2, listSize: 6 },
    recording: { pattern: path.join(dir, 'rec-%Y%m%dT%H%M%S.mp4'), segmentSeconds: 10, listPath: path.join(dir, 'rec.csv'), wallClockRefs: true },
    flvPublishUrl: flvUrl,
    audio: 'copy',
    liveVideo: 'copy',
  };
}

function args(v: Variant, cam: SimCam, dir: string, sinkUrl: string, caps: FfmpegCapabilities): string[] {
  if (v === 'same') return sameOutputsArgs(cam.rtspUrl, dir, 10);
  if (v === 'ingestNoFlv') return buildIngestArgs(preset(cam, dir, undefined), caps);
  if (v === 'ingest') return buildIngestArgs(preset(cam, dir, sinkUrl), caps);
  return [...buildIngestArgs(preset(cam, dir, undefined), caps), '-map', '0:v:0', '-an', '-c:v', 'copy', '-bsf:v', 'setts=time_base=1/1000', '-f', 'flv', '-flvflags', 'no_duration_filesize', sinkUrl];
}

async function sink(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', () => undefined).on('error', () => undefined).on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'skyeye-ffmpeg-ab-'));
  const ffmpeg = resolveFfmpegPath();
  const caps = await detectFfmpeg(ffmpeg);
  const flv = await sink();
  const sim = await SimClient.start({ cameras: n, baseOctet: 230, width: 1920, height: 1080, bitrateKbps: 4000, mode: 'loop' });
  const out = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const children: ChildHandle[] = [];
        try {
          for (const cam of sim.cameras) {
            const dir = path.join(tmp, `${v}-${r}`, cam.id);
            await mkdir(dir, { recursive: true });
            children.push(spawnRunner.start(ffmpeg, args(v, cam, dir, flv.url, caps), { PATH: process.env.PATH ?? '/usr/bin:/bin' }));
          }
          await sleep(10_000); // every ffmpeg past its probe and first segments
          const pids = children.map((c) => c.pid).filter((p): p is number => p !== undefined);
          const win = new CpuWindow(pids);
          await sleep(windowS * 1000);
          const [ticks, secs] = win.end(pids);
          const pct = coresPct(ticks, secs) / n;
          out.get(v)!.push(pct);
          process.stdout.write(`round ${r + 1} ${v.padEnd(15)} ffmpeg ${pct.toFixed(3)} % of a core per camera\n`);
        } finally {
          await Promise.all(children.map((c) => closeChild(c, 3_000)));
          await rm(path.join(tmp, `${v}-${r}`), { recursive: true, force: true });
        }
      }
    }
    const base = median(out.get(variants[0]!)!);
    for (const v of variants) {
      const m = median(out.get(v)!);
      process.stdout.write(`median ${v.padEnd(15)} ${m.toFixed(3)} %/camera (${(m / base).toFixed(2)}x ${variants[0]}), N=${n}, ${rounds} rounds of ${windowS} s\n`);
    }
  } finally {
    await sim.stop().catch(() => undefined);
    await flv.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
