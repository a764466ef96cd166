/**
 * What the FLV output costs the node process alone (issue 13), without the rest of the ingest
 * (RTSP proxy, recorder) blurring it: N ffmpeg children loop the simulator's cached 1080p 4 Mb/s
 * clip (-re, stream copy) as FLV into the built-in media server, either by RTMP to /live (the
 * always-on republish) or into the on-demand gate; node's CPU (this process only) is measured
 * per window, with nobody watching and with one viewer per camera: a curl (the browser, another
 * process) reading an HTTP server of this process that stands for the API's FLV route, which pipes
 * either node-media-server's HTTP-FLV read over loopback (`onDemand+viewer`: the republish, the
 * API's path before) or the gate's own viewer (`onDemand+direct`: the API's path now). Modes
 * alternate per round so drifting background load hits all alike.
 *
 * `onDemand+ws`: the gate's viewer over a WebSocket (the console wall's WS-FLV), one node process
 * standing for the browsers.
 *
 *   npx tsx bench/flv-node-cost.ts [cameras=8] [rounds=3] [windowSeconds=20]
 * `FLV_MODES=onDemand,onDemand+direct` (comma-separated) measures only those modes.
 * Needs the simulator's cached clip (any `npm run bench` run makes it).
 */
import { readdirSync } from 'node:fs';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { defaultCacheDir } from '@sim/media/cache';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { spawnFfmpeg } from '../test/integration/live/helpers';
import { startMediaServer } from '@workers/rtmp/media-server';
import { httpFlvUrl } from '@workers/rtmp/urls';
import { coresPct, procTicks } from './lib/proc';
import { sleep } from './lib/util';

const [n = 8, rounds = 3, windowS = 20] = process.argv.slice(2).map(Number);
type Mode = 'always' | 'onDemand' | 'onDemand+viewer' | 'onDemand+direct' | 'onDemand+ws';
const MODES = (process.env.FLV_MODES ?? 'always,onDemand,onDemand+viewer,onDemand+direct').split(',') as Mode[];
const quiet = { info() {}, warn() {}, error() {}, debug() {} } as never;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function clip(): string {
  const dir = defaultCacheDir();
  const f = readdirSync(dir).find((x) => /^main-1920x1080-.*\.mp4$/.test(x));
  if (!f) throw new Error(`no cached 1080p clip in ${dir}: run npm run bench once`);
  return path.join(dir, f);
}

async function windowCost(mode: Mode, src: string): Promise<number> {
  const media = await startMediaServer({ host: '127.0.0.1', rtmpPort: 0, flvPort: 0, authorizePush: async () => false, logger: quiet, ...(mode === 'always' ? {} : { flvOnDemand: { graceMs: 10_000 } }) });
  const ids = Array.from({ length: n }, (_, i) => `cam${i}`);
  const procs = await Promise.all(ids.map(async (id) => spawnFfmpeg(['-re', '-stream_loop', '-1', '-i', src, '-map', '0:v:0', '-c', 'copy', '-f', 'flv', await media.liveOutput(id)])));
  // The API's FLV route reduced to its media path, read by one curl per camera (the browser, billed
  // apart): before, node-media-server's HTTP-FLV read back over loopback and piped on; now the
  // gate's viewer piped into the response.
  const api = http.createServer((req, res) => {
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    const id = req.url!.slice(1);
    const send = (upstream: Readable) => {
      res.useChunkedEncodingByDefault = false; // as the API's FLV route: close-delimited
      res.writeHead(200, { 'content-type': 'video/x-flv' });
      pipeline(upstream, res).catch(() => undefined);
    };
    if (mode === 'onDemand+direct') {
      const stream = media.watchLive(id, ac.signal);
      return stream ? send(stream) : void res.writeHead(404).end();
    }
    http.get(httpFlvUrl(media.flv, id), { signal: ac.signal }, send).on('error', () => res.destroy());
  });
  // WS-FLV (the console wall's path): the gate's viewer piped into a WebSocket as ws-flv.ts does,
  // read by one node process holding every camera's socket (the browsers, billed apart).
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  api.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stream = media.watchLive(req.url!.slice(1));
      if (!stream) return ws.terminate();
      pipeline(stream, createWebSocketStream(ws)).catch(() => undefined);
    }),
  );
  const players: ChildProcess[] = [];
  try {
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const port = (api.address() as AddressInfo).port;
    if (mode === 'onDemand+viewer' || mode === 'onDemand+direct') for (const id of ids) players.push(spawn('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/${id}`], { stdio: 'ignore' }));
    if (mode === 'onDemand+ws') {
      const urls = ids.map((id) => `ws://127.0.0.1:${port}/${id}`);
      players.push(spawn(process.execPath, ['-e', "const W = require('ws'); for (const u of process.argv.slice(1)) new W(u).on('message', () => {})", ...urls], { stdio: 'ignore' }));
    }
    await sleep(5_000);
    const a = procTicks(process.pid)!;
    const t0 = Date.now();
    await sleep(windowS * 1000);
    const b = procTicks(process.pid)!;
    return coresPct(b.self - a.self, (Date.now() - t0) / 1000) / n;
  } finally {
    for (const p of players) p.kill();
    for (const ws of wss.clients) ws.terminate();
    api.closeAllConnections();
    api.close();
    await Promise.all(procs.map((p) => p.kill()));
    await media.close();
  }
}

async function main(): Promise<void> {
  const src = clip();
  const out = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
      const pct = await windowCost(mode, src);
      out.get(mode)!.push(pct);
      process.stdout.write(`round ${r + 1} ${mode.padEnd(16)} node ${pct.toFixed(3)} % of one core per camera\n`);
    }
  }
  process.stdout.write(`median of ${rounds}, N=${n}, ${windowS} s windows: ${MODES.map((m) => `${m} ${median(out.get(m)!).toFixed(3)}`).join('; ')} (% of one core per camera, node only)\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`flv-node-cost failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
