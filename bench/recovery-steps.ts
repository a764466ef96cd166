/**
 * Where recovery time goes: one simulated camera ingested with production timings (default
 * backoff, probe and supervisor options, 1 s HLS, 60 s recordings), rebooted `--runs` times for
 * `--outage` seconds; each step after the camera answers again is timestamped:
 * probe answers -> ffmpeg spawned -> RTSP DESCRIBE/SETUP/PLAY at the camera (through the auth
 * proxy) -> first RTP packet and first IDR frame sent -> first live HLS segment file and
 * recording segment file created -> live playlist written -> `live` reported.
 * Usage: npx tsx bench/recovery-steps.ts [--runs 3] [--outage 25] [--hls 1]
 * Instruments the simulator (wraps its RTSP server's request handler and RTP relay): for
 * measurement only, never in tests.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CameraStatusEvent } from '@common/events';
import { startFleet } from '@sim/index';
import { spawnRunner, type ProcessRunner } from '@workers/ffmpeg/process';
import { createCameraProbe, type CameraProbe } from '@workers/ingest/probe';
import { startIngestWorker } from '@workers/ingest/worker';
import { InMemorySegmentSink } from '@workers/recorder/sink';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, outage: { type: 'string', default: '25' }, hls: { type: 'string', default: '1' } } });
const RUNS = Number(values.runs);
const OUTAGE_S = Number(values.outage);
/** The steps reported one by one (OPTIONS#2 is ffmpeg's first request; #1 was the probe's). */
const STEPS: Array<[string, string]> = [
  ['camera back', 'probe answered'],
  ['probe answered', 'ffmpeg spawned'],
  ['ffmpeg spawned', 'OPTIONS#2'],
  ['OPTIONS#2', 'PLAY#1'],
  ['PLAY#1', 'first RTP sent'],
  ['first RTP sent', 'first IDR sent'],
  ['first IDR sent', 'recording file created'],
  ['first IDR sent', 'HLS playlist written'],
  ['HLS playlist written', 'live reported'],
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** First time of each named step in the current run (ms since epoch). */
let marks = new Map<string, number>();
let armed = false;
const mark = (name: string, t = Date.now()) => {
  if (armed && !marks.has(name)) marks.set(name, t);
};

/** NAL unit type of an H.264 RTP payload (FU-A: the fragment's type, only on its start). */
function nalType(pkt: Buffer): number | null {
  if (pkt.length < 14) return null;
  const cc = pkt[0]! & 0x0f;
  const ext = (pkt[0]! & 0x10) !== 0;
  let o = 12 + cc * 4;
  if (ext) o += 4 + 4 * pkt.readUInt16BE(o + 2);
  const t = pkt[o]! & 0x1f;
  if (t === 28) return (pkt[o + 1]! & 0x80) !== 0 ? pkt[o + 1]! & 0x1f : null;
  return t;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'skyeye-recovery-steps-'));
  const fleet = await startFleet({ cameras: 1, baseOctet: 200 + (process.pid % 40), startOnvif: false, startDiscovery: false, withSub: false });
  const cam = fleet.cameras[0]!;
  type Srv = { handle(c: unknown, req: { method: string }): Promise<void>; subscriber(s: unknown): { rtp(p: Buffer): void; rtcp(p: Buffer): void }; start(): Promise<void> };
  const srv = cam.rtsp as unknown as Srv;
  const handle = srv.handle.bind(srv);
  /** Requests seen per method this run: OPTIONS#1 is the probe's, DESCRIBE#1 the unauthenticated one. */
  const seen = new Map<string, number>();
  srv.handle = (c, req) => {
    const n = (seen.get(req.method) ?? 0) + 1;
    seen.set(req.method, n);
    mark(`${req.method}#${n}`);
    return handle(c, req);
  };
  const subscriber = srv.subscriber.bind(srv);
  srv.subscriber = (s) => {
    const sub = subscriber(s);
    return {
      rtp(p) {
        mark('first RTP sent');
        const t = nalType(p);
        if (t === 5) mark('first IDR sent');
        sub.rtp(p);
      },
      rtcp: (p) => sub.rtcp(p),
    };
  };
  const start = srv.start.bind(srv);
  srv.start = async () => {
    await start();
    mark('camera back');
  };

  const events: CameraStatusEvent[] = [];
  const id = 'cam-steps';
  const seenRec = new Set<string>();
  const seenLive = new Set<string>();
  const inner = createCameraProbe();
  const probes: string[] = [];
  const cameraProbe: CameraProbe = async (spec) => {
    const t0 = Date.now();
    const r = await inner(spec);
    if (armed) probes.push(`${t0}:${r === true ? 'ok' : 'down'}`);
    if (r === true) mark('probe answered');
    return r;
  };
  const stderr: string[] = [];
  const runner: ProcessRunner = {
    start(cmd, args, env) {
      mark('ffmpeg spawned');
      for (const f of readdirSync(worker.store.liveDir(id))) seenLive.add(f);
      const h = spawnRunner.start(cmd, args, env);
      h.onStderr((c) => armed && stderr.push(c.trim()));
      return h;
    },
  };
  const worker = await startIngestWorker({
    dataDir,
    sink: new InMemorySegmentSink(),
    onStatus: (e) => {
      events.push(e);
      if (e.status === 'live') mark('live reported', Date.parse(e.at));
    },
    hls: { segmentSeconds: Number(values.hls), listSize: 6 },
    staleMs: 6_000,
    cameraProbe,
    runner,
  });
  await worker.manager.sync([{ id, rtspUrl: cam.rtspMainUrl, transport: 'tcp', credentials: { username: cam.username, password: cam.password }, recording: { mode: 'continuous', segmentSeconds: 60 } }]);

  // fs watcher: first live segment file, playlist written, recording file created (20 ms polls).
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const live = await readdir(worker.store.liveDir(id)).catch(() => []);
      for (const f of live.filter((n) => marks.has('ffmpeg spawned') && n.startsWith('seg-') && !seenLive.has(n))) {
        mark('HLS segment file created');
        if (((await stat(path.join(worker.store.liveDir(id), f)).catch(() => null))?.size ?? 0) > 0) mark('HLS segment has data');
      }
      const pl = await stat(worker.store.livePlaylist(id)).catch(() => null);
      if (pl && marks.has('camera back') && pl.mtimeMs >= marks.get('camera back')!) mark('HLS playlist written', Math.round(pl.mtimeMs));
      for (const f of await readdir(worker.store.cacheDir(id)).catch(() => [])) {
        if (!f.endsWith('.mp4') || seenRec.has(f)) continue;
        seenRec.add(f);
        mark('recording file created');
      }
      await sleep(20);
    }
  })();

  const until = async (what: string, ms: number, fn: () => boolean) => {
    const t0 = Date.now();
    while (!fn()) {
      if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
      await sleep(50);
    }
  };
  const rows: Array<Map<string, number>> = [];
  try {
    await until('first live', 30_000, () => events.some((e) => e.status === 'live'));
    for (let run = 1; run <= RUNS; run++) {
      await sleep(10_000);
      for (const f of await readdir(worker.store.liveDir(id))) seenLive.add(f);
      for (const f of await readdir(worker.store.cacheDir(id))) seenRec.add(f);
      marks = new Map();
      probes.length = 0;
      stderr.length = 0;
      seen.clear();
      const mark0 = events.length;
      cam.setFault({ reboot: OUTAGE_S });
      await until('camera down', 10_000, () => !cam.rtsp.listening);
      armed = true;
      await until('left live', 15_000, () => events.slice(mark0).some((e) => e.status !== 'live'));
      await until('recovered', OUTAGE_S * 1000 + 30_000, () => marks.has('live reported') && marks.has('recording file created') && marks.has('HLS playlist written'));
      armed = false;
      const back = marks.get('camera back')!;
      const lastDown = probes.filter((p) => p.endsWith('down')).map((p) => Number(p.split(':')[0])).filter((t) => t < back).pop();
      if (lastDown !== undefined) marks.set('last silent probe', lastDown);
      rows.push(marks);
      const list = [...marks.entries()].sort((a, b) => a[1] - b[1]);
      console.log(`run ${run} (outage ${OUTAGE_S} s): ${list.map(([k, t]) => `${k} ${t - back >= 0 ? '+' : ''}${t - back}`).join(', ')} ms`);
      if (stderr.length) console.log(`  ffmpeg stderr: ${stderr.join(' | ').slice(0, 600)}`);
      console.log(`  probes while down: ${probes.length}, statuses: ${events.slice(mark0).map((e) => e.status).join(' -> ')}`);
    }
  } finally {
    polling = false;
    await poll;
    await worker.close();
    await fleet.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const names = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const med = names
    .map((n) => ({ n, ms: median(rows.filter((r) => r.has(n)).map((r) => r.get(n)! - r.get('camera back')!)) }))
    .sort((a, b) => a.ms - b.ms);
  console.log(`\nmedian of ${rows.length} runs, ms after the camera answered again:`);
  for (const { n, ms } of med) console.log(`  ${n.padEnd(26)} ${Math.round(ms)}`);
  console.log(`\nmedian of each step, ms:`);
  for (const [a, b] of STEPS) {
    const d = rows.filter((r) => r.has(a) && r.has(b)).map((r) => r.get(b)! - r.get(a)!);
    if (d.length) console.log(`  ${`${a} -> ${b}`.padEnd(50)} ${Math.round(median(d))}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
