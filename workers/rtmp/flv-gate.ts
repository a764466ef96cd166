/**
 * The on-demand FLV republish. Each camera's ingest ffmpeg writes its FLV output (tee slave,
 * onfail=ignore) to a loopback TCP listener of its own here (`outputUrl`), always; this process
 * only follows tag boundaries (flv-tags.ts: header, metadata, sequence header and the current
 * GOP, copied into one reused buffer; no decoding) and drops the bytes. Viewers the API opens
 * (`watch`: HTTP-FLV, WS-FLV) are served straight from here (flv-fanout.ts), starting with the
 * cached GOP so a new tile starts at the last keyframe. Only while a player of node-media-server's
 * /live/<cameraId> watches are the bytes fed into it (nms-republish.ts), from the cached GOP too;
 * `graceMs` after its last player left (counted by node-media-server's own player list at that
 * moment) that publish ends.
 *
 * Recording and live HLS never notice: they are other outputs of the same ffmpeg, which is never
 * restarted for viewers. A connection must come from loopback and pass `authorize` (the media
 * server's check: the connecting socket belongs to a descendant of this process, our own ffmpeg);
 * nothing secret is on ffmpeg's command line. A newer connection for the same camera (ffmpeg
 * restarted) replaces the older one.
 *
 * Every connection is read into one 256 KiB buffer of the gate's (`READ_BYTES`: a whole batch, below,
 * of a camera up to 8 Mb/s in one read; reads are handled one at a time,
 * and nothing downstream keeps a view: the scanner copies what it keeps, node-media-server's parser
 * copies what it is given). A fresh Buffer per read cost node about as much again as the reading:
 * 8 ffmpeg writing 4 Mb/s FLV each, a server that only counts bytes, 0.33 / 0.52 % of a core per
 * camera with 'data' events, 0.18 / 0.19 % reading into reused memory (two alternating 20 s pairs,
 * 2026-12-02).
 *
 * While nobody watches a camera (no player of /live/<cameraId>, no direct viewer), its connection
 * is read in batches: paused after a read that emptied it, and every paused connection resumed
 * together `BATCH_MS` later, so each read takes a quarter of a second of FLV instead of a frame or
 * less; a viewer arriving resumes its camera at once and reading stays unbatched while anyone
 * watches. The paused bytes wait in the loopback socket's buffers, which hold ~3.9 MB before the
 * writer would block (a fresh 127.0.0.1 connection nobody reads, measured on the 2-core machine):
 * 250 ms of a 4 Mb/s camera is 125 KB, of a 40 Mb/s one 1.25 MB, so ffmpeg's write never waits.
 * The gate alone (`FLV_MODES=onDemand npx tsx bench/flv-node-cost.ts 16 1 20`, three alternating
 * rounds, 2026-12-04): 100 ms batches into 64 KiB 0.087-0.125 % of a core per camera, 250 ms into
 * 256 KiB 0.047-0.062, 500 ms into 512 KiB 0.038-0.044 (not taken: a 40 Mb/s camera would queue
 * 2.5 MB of the 3.9).
 */
import net from 'node:net';
import type { Log } from '@common/log';
import type { Readable } from 'node:stream';
import { FlvFanout } from './flv-fanout';
import { FlvTagScanner } from './flv-tags';
import type { Republish } from './nms-republish';

export interface FlvGateOptions {
  authorize(peer: { clientPort: number; serverPort: number }): Promise<boolean>;
  /** Starts publishing into node-media-server (null: another publisher has the path). */
  republish(cameraId: string): Republish | null;
  /** Ends a publish left waiting in node-media-server's grace window (source gone, nobody watching). */
  finish(cameraId: string): void;
  /** Players of /live/<cameraId> now. */
  viewers(cameraId: string): number;
  graceMs: number;
  logger: Log;
}

export interface FlvGateStats {
  /** An ingest ffmpeg is connected and accepted. */
  connected: boolean;
  /** Bytes read from the ingest ffmpeg, and in how many reads (batched while nobody watches). */
  bytesIn: number;
  reads: number;
  /** Bytes handed to node-media-server (0 while nobody watched). */
  bytesRepublished: number;
  republishing: boolean;
  /** Viewers served straight from the gate (flv-fanout.ts), and the bytes sent to them. */
  directViewers: number;
  bytesDirect: number;
}

export interface FlvGate {
  /** tcp://127.0.0.1:<port> where this camera's ingest ffmpeg writes FLV (a listener per camera, kept). */
  outputUrl(cameraId: string): Promise<string>;
  /**
   * A viewer served straight from the gate (flv-fanout.ts: no node-media-server), ending with
   * `signal`; null when no ingest of this process writes the camera's FLV here.
   */
  watch(cameraId: string, signal?: AbortSignal): Readable | null;
  /** A player joined /live/<cameraId>. */
  joined(cameraId: string): void;
  /** A player left; the publish ends `graceMs` later if nobody watches then. */
  left(cameraId: string): void;
  stats(cameraId: string): FlvGateStats | null;
  close(): Promise<void>;
}

interface Source {
  socket: net.Socket;
  scanner: FlvTagScanner;
}

interface Entry {
  cameraId: string;
  server: net.Server;
  url: Promise<string>;
  source: Source | null;
  wanted: boolean;
  rep: Republish | null;
  fanout: FlvFanout;
  repBytesBefore: number;
  bytesIn: number;
  reads: number;
  idle: NodeJS.Timeout | undefined;
}

/** Bytes held from a connection while its peer is being checked. */
const MAX_HELD = 8 * 1024 * 1024;
/** How long a connection nobody watches stays paused after a read that emptied it. */
export const BATCH_MS = 250;
/** The gate's one read buffer: a batch of an 8 Mb/s camera. */
const READ_BYTES = 256 * 1024;

/** Paused connections, all resumed together by one timer `ms` after the first was paused. */
function batches(ms: number) {
  const paused = new Set<net.Socket>();
  let timer: NodeJS.Timeout | undefined;
  const resumeAll = () => {
    timer = undefined;
    const all = [...paused];
    paused.clear();
    for (const s of all) s.resume();
  };
  return {
    hold(s: net.Socket) {
      paused.add(s);
      timer ??= setTimeout(resumeAll, ms).unref();
    },
    wake(s: net.Socket | undefined) {
      if (s && paused.delete(s)) s.resume();
    },
    forget: (s: net.Socket) => paused.delete(s),
    stop() {
      clearTimeout(timer);
      paused.clear();
    },
  };
}

/**
 * net.Server has no `onread`: the server accepts paused (`pauseOnConnect`) and the accepted handle
 * moves into a socket that reads into `memory`, calling `onChunk` with a view valid during the call;
 * `onChunk` returning false pauses the socket (resume() reads on).
 * The new socket takes over the server's count of open connections (`_server`), so server.close()
 * still waits for it; the accepted wrapper is dropped unread and never destroyed (that would close
 * the handle).
 */
function readInto(accepted: net.Socket, memory: Buffer, onChunk: (view: Buffer) => boolean): net.Socket {
  const a = accepted as net.Socket & { _handle: unknown; _server: unknown };
  const socket = new net.Socket({ handle: a._handle, onread: { buffer: memory, callback: (n: number) => onChunk(memory.subarray(0, n)) } } as net.SocketConstructorOpts);
  Object.assign(socket, { _server: a._server });
  socket.resume();
  return socket;
}

export function startFlvGate(o: FlvGateOptions): FlvGate {
  const entries = new Map<string, Entry>();
  const sockets = new Set<net.Socket>();

  const startRep = (e: Entry) => {
    if (!e.wanted || e.rep || !e.source?.scanner.header) return;
    e.rep = o.republish(e.cameraId);
    if (!e.rep) return;
    o.logger.info({ cameraId: e.cameraId }, 'flv gate: republish started (a viewer is watching)');
    for (const p of e.source.scanner.startPieces()) e.rep.write(p);
  };
  const stopRep = (e: Entry, how: 'idle' | 'source-gone') => {
    if (!e.rep) return;
    e.repBytesBefore += e.rep.bytes;
    e.rep.stop(how);
    e.rep = null;
    if (how === 'idle') o.logger.info({ cameraId: e.cameraId }, 'flv gate: republish stopped (nobody watching)');
  };

  const memory = Buffer.allocUnsafe(READ_BYTES);
  const quiet = batches(BATCH_MS);

  const accept = (e: Entry, accepted: net.Socket) => {
    const peer = { clientPort: accepted.remotePort ?? 0, serverPort: accepted.localPort ?? 0 };
    const remote = accepted.remoteAddress;
    const held: Buffer[] = [];
    let heldBytes = 0;
    let src: Source | null = null;
    const socket = readInto(accepted, memory, (chunk) => {
      e.bytesIn += chunk.length;
      e.reads++;
      if (!src) {
        held.push(Buffer.from(chunk));
        heldBytes += chunk.length;
        if (heldBytes > MAX_HELD) socket.destroy();
        return true;
      }
      feed(src, chunk);
      // Nobody watches and this read emptied the socket: the rest comes with the next batch.
      if (e.wanted || e.fanout.size > 0 || chunk.length === memory.length || socket.destroyed) return true;
      quiet.hold(socket);
      return false;
    });
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      quiet.forget(socket);
    });
    socket.on('error', () => undefined);
    const feed = (s: Source, chunk: Buffer) => {
      try {
        s.scanner.push(chunk);
        startRep(e);
      } catch (err) {
        o.logger.warn({ cameraId: e.cameraId, err }, 'flv gate: not an FLV stream; connection dropped');
        socket.destroy();
      }
      e.fanout.flush();
    };
    const local = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
    (local ? o.authorize(peer) : Promise.resolve(false))
      .catch(() => false)
      .then((ok) => {
        if (!ok || socket.destroyed) {
          if (!ok) o.logger.warn({ cameraId: e.cameraId }, 'flv gate: connection refused (not a process of this Sky Eye)');
          socket.destroy();
          return;
        }
        if (e.source) {
          stopRep(e, 'source-gone');
          e.source.socket.destroy();
        }
        if (o.viewers(e.cameraId) > 0) e.wanted = true; // players already waiting (ffmpeg restarted, or slow to start)
        const scanner = new FlvTagScanner();
        src = { socket, scanner };
        e.source = src;
        e.fanout.source(scanner);
        scanner.onTag = (pieces, kind) => {
          if (e.rep) for (const p of pieces) e.rep.write(p);
          e.fanout.tag(pieces, kind);
        };
        socket.once('close', () => {
          if (e.source !== src) return;
          e.source = null;
          stopRep(e, 'source-gone');
        });
        for (const c of held.splice(0)) feed(src, c);
      })
      .catch(() => undefined);
  };

  const entryOf = (cameraId: string): Entry => {
    let e = entries.get(cameraId);
    if (e) return e;
    const server = net.createServer({ noDelay: true, pauseOnConnect: true });
    const url = new Promise<string>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        server.on('error', (err) => o.logger.warn({ cameraId, err }, 'flv gate: listener error'));
        resolve(`tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
      });
    });
    e = { cameraId, server, url, source: null, wanted: false, rep: null, fanout: new FlvFanout(), repBytesBefore: 0, bytesIn: 0, reads: 0, idle: undefined };
    const entry = e;
    server.on('connection', (s) => accept(entry, s));
    entries.set(cameraId, e);
    url.catch(() => entries.delete(cameraId));
    return e;
  };

  return {
    outputUrl: (cameraId) => entryOf(cameraId).url,
    watch(cameraId, signal) {
      const e = entries.get(cameraId);
      if (!e) return null;
      const viewer = e.fanout.watch(signal);
      quiet.wake(e.source?.socket);
      return viewer;
    },
    joined(cameraId) {
      const e = entries.get(cameraId);
      if (!e) return;
      clearTimeout(e.idle);
      e.wanted = true;
      quiet.wake(e.source?.socket);
      startRep(e);
    },
    left(cameraId) {
      const e = entries.get(cameraId);
      if (!e) return;
      clearTimeout(e.idle);
      e.idle = setTimeout(() => {
        if (o.viewers(cameraId) > 0) return;
        e.wanted = false;
        stopRep(e, 'idle');
        o.finish(cameraId);
      }, o.graceMs).unref();
    },
    stats(cameraId) {
      const e = entries.get(cameraId);
      if (!e) return null;
      return { connected: e.source !== null, bytesIn: e.bytesIn, reads: e.reads, bytesRepublished: e.repBytesBefore + (e.rep?.bytes ?? 0), republishing: e.rep !== null, directViewers: e.fanout.size, bytesDirect: e.fanout.bytes };
    },
    async close() {
      quiet.stop();
      for (const e of entries.values()) {
        clearTimeout(e.idle);
        stopRep(e, 'idle');
        e.fanout.close();
      }
      for (const s of sockets) s.destroy();
      await Promise.all([...entries.values()].map((e) => new Promise<void>((r) => (e.server.listening ? e.server.close(() => r()) : r()))));
      entries.clear();
    },
  };
}
