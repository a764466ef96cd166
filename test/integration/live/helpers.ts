/** Test helpers for live delivery: ffmpeg in its own process group, FLV tag reading, polling. */
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';

export interface Ffmpeg {
  proc: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

/** Spawns ffmpeg detached (own process group) so kill() takes every child with it. */
export function spawnFfmpeg(args: string[]): Ffmpeg {
  const proc = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    if (err.length < 20_000) err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    stderr: () => err,
    exited,
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited;
    },
  };
}

export const testPattern = (url: string) => [
  '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
  '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '25', '-pix_fmt', 'yuv420p',
  '-f', 'flv', url,
];

export interface WsFlv {
  /** Resolves when the FLV header and a first tag have arrived. */
  playing: Promise<void>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  bytes(): number;
  close(): void;
}

/** Opens `url` (an http(s) FLV URL from GET /cameras/{id}/live) as a WebSocket and counts what comes. */
export function openWsFlv(url: string): WsFlv {
  const ws = new WebSocket(url.replace(/^http/, 'ws'));
  let bytes = 0;
  let head = Buffer.alloc(0);
  let onPlaying!: () => void;
  const playing = new Promise<void>((r) => (onPlaying = r));
  ws.on('message', (data: Buffer) => {
    bytes += data.length;
    if (head.length < 3) head = Buffer.concat([head, data]);
    if (head.subarray(0, 3).toString() === 'FLV' && bytes > 13 + 11) onPlaying();
  });
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  return { playing, closed, bytes: () => bytes, close: () => ws.terminate() };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface FlvProgress {
  header: boolean;
  /** ms from request start to the first byte / the first H.264 keyframe tag. */
  firstByteMs?: number;
  firstKeyframeMs?: number;
  videoTags: number;
}

/** Reads an FLV body until a keyframe video tag arrives (or the deadline), then aborts. */
export async function readFlv(url: string, timeoutMs: number): Promise<FlvProgress & { status: number; contentType: string | null; transferEncoding: string | null }> {
  const t0 = performance.now();
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const out: FlvProgress = { header: false, videoTags: 0 };
  let status = 0;
  let contentType: string | null = null;
  let transferEncoding: string | null = null;
  try {
    const res = await fetch(url, { signal: ac.signal });
    status = res.status;
    contentType = res.headers.get('content-type');
    transferEncoding = res.headers.get('transfer-encoding');
    if (res.status !== 200 || !res.body) return { ...out, status, contentType, transferEncoding };
    let buf = Buffer.alloc(0);
    let pos = 13; // 9-byte header + PreviousTagSize0
    const reader = res.body.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      if (out.firstByteMs === undefined) out.firstByteMs = performance.now() - t0;
      buf = Buffer.concat([buf, Buffer.from(chunk)]);
      if (!out.header && buf.length >= 3) out.header = buf.subarray(0, 3).toString() === 'FLV';
      while (buf.length >= pos + 11) {
        const type = buf[pos]!;
        const size = buf.readUIntBE(pos + 1, 3);
        if (buf.length < pos + 11 + size + 4) break;
        if (type === 9) {
          out.videoTags++;
          const frameType = buf[pos + 11]! >> 4;
          const avcPacketType = buf[pos + 12];
          if (frameType === 1 && avcPacketType === 1 && out.firstKeyframeMs === undefined) out.firstKeyframeMs = performance.now() - t0;
        }
        pos += 11 + size + 4;
      }
      if (out.firstKeyframeMs !== undefined) break;
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return { ...out, status, contentType, transferEncoding };
}

// ---- A live-only harness: real database, real node-media-server, the real live routers on HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import { systemClock } from '@common/clock';
import { loadConfig } from '@config/load';
import type { Database } from '@server/db/database';
import { openTestDatabase } from '@test/helpers/database';
import { createLogger } from '@server/http/logger';
import { EventBus } from '@server/realtime/bus';
import { errorHandler, notFoundHandler } from '@server/http/problem';
import { buildLiveService, liveMediaRoutes, startLiveMediaServer, type LiveService } from '@server/live/index';
import type { Viewer } from '@server/live/live-service';
import { randomBytes } from 'node:crypto';
import type { MediaServer } from '@workers/rtmp/media-server';
import { LeaseRepository } from '@server/leases/lease-repository';
import { PushKeyRepository } from '@server/ingest/push-key-repository';

export interface LiveHarness {
  url: string;
  dataDir: string;
  database: Database;
  bus: EventBus;
  live: LiveService;
  media: MediaServer;
  /** A signed-in viewer: a new user with one live session (rows in the real tables). */
  viewer(role?: string): Promise<Viewer>;
  logs(): string;
  close(): Promise<void>;
}

export async function startLiveHarness(): Promise<LiveHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skyeye-live-'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const config = loadConfig({ env: { SKYEYE_DATA_DIR: dataDir, SKYEYE_LIVE_RTMP_PORT: '0', SKYEYE_LIVE_FLV_PORT: '0', SKYEYE_LOG_LEVEL: 'debug' } });
  const logger = createLogger('debug', sink);
  const testDb = await openTestDatabase(); // the chosen backend (SKYEYE_TEST_DB), not always PGlite
  const database = testDb.database;
  const ctx = { config, database, logger, clock: systemClock, bus: new EventBus() };
  const media = await startLiveMediaServer(ctx, new PushKeyRepository(database.db));
  if (!media) throw new Error('media server did not start');
  const live = buildLiveService(ctx, new Set(), { media, leases: new LeaseRepository(database.db) });
  const app = express();
  const v1 = express.Router();
  v1.use(liveMediaRoutes(live, logger));
  app.use('/api/v1', v1);
  app.use(notFoundHandler);
  app.use(errorHandler);
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataDir,
    database,
    bus: ctx.bus,
    live,
    media,
    async viewer(role = 'operator') {
      const [u] = await database.query<{ id: string }>(`INSERT INTO users (username, role, password_hash) VALUES ($1, $2, 'x') RETURNING id`, [`viewer-${randomBytes(4).toString('hex')}`, role]);
      const sessionId = randomBytes(32).toString('hex');
      await database.query('INSERT INTO sessions (id, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)', [sessionId, u!.id, 'csrf', new Date(Date.now() + 3_600_000).toISOString()]);
      return { userId: u!.id, sessionId, role };
    },
    logs: () => lines.join(''),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await media.close();
      await testDb.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
