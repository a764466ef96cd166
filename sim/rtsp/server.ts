/**
 * Small RTSP 1.0 server for one simulated camera: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN,
 * GET_PARAMETER; Digest/Basic auth; RTP over TCP (interleaved) or UDP; session timeout.
 * Media packets come from a MediaSource (an ffmpeg publisher relayed untouched, or the replay source);
 * only the channel / port differ per client.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Credentials, HttpAuthenticator } from '../auth/http-auth';
import type { FaultView } from '../faults';
import { formatResponse, parseTransport, readRtspItems, type RtspRequest, type TransportSpec } from './parser';
import { forEachPacket } from '../media/rtp-h264';
import type { MediaSource, Subscriber } from './source';

export interface RtspStream {
  source: MediaSource;
  sdp(): string;
}

export interface RtspServerOptions {
  address: string;
  port: number;
  /** Even UDP port for RTP (RTCP = +1) on the camera address. */
  udpPort: number;
  auth: HttpAuthenticator;
  credentials(): Credentials;
  faults(): FaultView;
  /** Resolve a request path ('/main') to a stream, or undefined (404). */
  resolve(path: string): RtspStream | undefined;
  sessionTimeoutSec?: number;
  dropAfterMs?: number;
}

/** One PLAY of one stream, from PLAY to the session's end (null while playing). */
export interface PlayRecord {
  path: string;
  client: string;
  start: number;
  end: number | null;
}

/** The most PLAY sessions of `path` that ever ran at the same time (end is exclusive). */
export function maxConcurrentPlays(records: readonly PlayRecord[], path?: string): number {
  const edges = records
    .filter((r) => path === undefined || r.path === path)
    .flatMap((r) => [[r.start, 1], [r.end ?? Infinity, -1]] as Array<[number, number]>)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

interface Session {
  id: string;
  conn: Socket;
  stream: RtspStream;
  transport: TransportSpec;
  playing: boolean;
  lastSeen: number;
  sub?: Subscriber;
  dropTimer?: NodeJS.Timeout;
  play?: PlayRecord;
}

const PUBLIC = 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER';
const MAX_QUEUE = 2 * 1024 * 1024;

export function streamPath(uri: string): string {
  let path: string;
  try {
    path = new URL(uri).pathname;
  } catch {
    path = uri;
  }
  return path.replace(/\/trackID=\d+$/, '').replace(/\/+$/, '') || '/';
}

export class RtspServer {
  private server?: Server;
  private rtpSock?: UdpSocket;
  private rtcpSock?: UdpSocket;
  private readonly conns = new Set<Socket>();
  private readonly sessions = new Map<string, Session>();
  /** Every PLAY this server served (a per-camera record: e.g. "never two ingests at once"). */
  readonly plays: PlayRecord[] = [];
  private reaper?: NodeJS.Timeout;
  private readonly timeoutSec: number;

  constructor(private readonly o: RtspServerOptions) {
    this.timeoutSec = o.sessionTimeoutSec ?? 60;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const udp = (port: number, onMsg?: (b: Buffer, port: number) => void) =>
      new Promise<UdpSocket>((resolve, reject) => {
        const s = createSocket({ type: 'udp4', reuseAddr: true });
        s.once('error', reject);
        if (onMsg) s.on('message', (b, r) => onMsg(b, r.port));
        s.bind(port, this.o.address, () => resolve(s));
      });
    this.rtpSock = await udp(this.o.udpPort);
    this.rtcpSock = await udp(this.o.udpPort + 1, (_b, port) => this.touchUdp(port));
    const server = createServer((c) => this.onConnection(c));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.address, () => resolve());
    });
    this.server = server;
    this.reaper = setInterval(() => this.reap(), 1000);
    this.reaper.unref();
  }

  /** Close the listener and every connection (clients see refused / reset). */
  async stop(): Promise<void> {
    clearInterval(this.reaper);
    const server = this.server;
    this.server = undefined;
    for (const s of [...this.sessions.values()]) this.endSession(s);
    for (const c of this.conns) c.destroy();
    this.conns.clear();
    this.rtpSock?.close();
    this.rtcpSock?.close();
    this.rtpSock = this.rtcpSock = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Drop every playing session mid-stream (drop fault). */
  dropPlaying(): void {
    for (const s of [...this.sessions.values()]) if (s.playing) s.conn.destroy();
  }

  private touchUdp(clientRtcpPort: number): void {
    for (const s of this.sessions.values())
      if (!s.transport.tcp && s.transport.clientPorts?.[1] === clientRtcpPort) s.lastSeen = Date.now();
  }

  private reap(): void {
    const now = Date.now();
    for (const s of [...this.sessions.values()]) {
      if (now - s.lastSeen > this.timeoutSec * 1000) {
        this.endSession(s);
        if (s.transport.tcp) s.conn.destroy();
      }
    }
  }

  private endSession(s: Session): void {
    clearTimeout(s.dropTimer);
    if (s.play && s.play.end === null) s.play.end = Date.now();
    if (s.sub) s.stream.source.unsubscribe(s.sub);
    s.sub = undefined;
    s.playing = false;
    this.sessions.delete(s.id);
  }

  private onConnection(c: Socket): void {
    this.conns.add(c);
    c.setNoDelay(true);
    readRtspItems(c, (it) => {
      if (it.kind === 'interleaved') {
        for (const s of this.sessions.values()) if (s.conn === c) s.lastSeen = Date.now();
      } else {
        void this.handle(c, it.req).catch(() => c.destroy());
      }
    });
    const cleanup = () => {
      this.conns.delete(c);
      for (const s of [...this.sessions.values()]) if (s.conn === c) this.endSession(s);
    };
    c.on('close', cleanup);
    c.on('error', () => c.destroy());
  }

  private send(c: Socket, b: Buffer): void {
    if (!c.destroyed) c.write(b);
  }

  private async handle(c: Socket, req: RtspRequest): Promise<void> {
    const cseq = req.headers['cseq'];
    const reply = (status: number, reason: string, h: Record<string, string> = {}, body = '') =>
      this.send(c, formatResponse(status, reason, cseq, h, body));
    if (req.method === 'OPTIONS') return reply(200, 'OK', { Public: PUBLIC });

    const auth = this.o.auth.check(req.headers['authorization'], req.method, this.o.credentials());
    if (!auth.ok) return reply(401, 'Unauthorized', { 'WWW-Authenticate': auth.challenge! });

    const sid = req.headers['session']?.split(';')[0]?.trim();
    const session = sid ? this.sessions.get(sid) : undefined;
    if (session) session.lastSeen = Date.now();
    const sessionHeader = (s: Session) => ({ Session: `${s.id};timeout=${this.timeoutSec}` });

    switch (req.method) {
      case 'GET_PARAMETER':
        if (sid && !session) return reply(454, 'Session Not Found');
        return reply(200, 'OK', session ? sessionHeader(session) : {});
      case 'DESCRIBE': {
        const stream = this.o.resolve(streamPath(req.uri));
        if (!stream) return reply(404, 'Not Found');
        const base = req.uri.endsWith('/') ? req.uri : `${req.uri}/`;
        return reply(200, 'OK', { 'Content-Base': base, 'Content-Type': 'application/sdp' }, stream.sdp());
      }
      case 'SETUP': {
        const stream = this.o.resolve(streamPath(req.uri));
        if (!stream) return reply(404, 'Not Found');
        const t = parseTransport(req.headers['transport']);
        if (!t) return reply(461, 'Unsupported Transport');
        if (sid && !session) return reply(454, 'Session Not Found');
        const s: Session = session ?? {
          id: randomBytes(8).toString('hex').toUpperCase(),
          conn: c,
          stream,
          transport: t,
          playing: false,
          lastSeen: Date.now(),
        };
        s.stream = stream;
        s.transport = t;
        this.sessions.set(s.id, s);
        const th = t.tcp
          ? `RTP/AVP/TCP;unicast;interleaved=${t.interleaved![0]}-${t.interleaved![1]}`
          : `RTP/AVP;unicast;client_port=${t.clientPorts![0]}-${t.clientPorts![1]};` +
            `server_port=${this.o.udpPort}-${this.o.udpPort + 1};source=${this.o.address}`;
        return reply(200, 'OK', { Transport: th, ...sessionHeader(s) });
      }
      case 'PLAY': {
        if (!session) return reply(454, 'Session Not Found');
        if (!session.playing) {
          session.playing = true;
          session.play = { path: streamPath(req.uri), client: `${c.remoteAddress}:${c.remotePort}`, start: Date.now(), end: null };
          if (this.plays.length >= 10_000) this.plays.shift();
          this.plays.push(session.play);
          session.sub = this.subscriber(session);
          await session.stream.source.subscribe(session.sub);
          // Some cameras restart their stream clock when another client joins.
          if (this.o.faults().clockReset) session.stream.source.resetClock();
          if (this.o.faults().drop) {
            session.dropTimer = setTimeout(() => session.conn.destroy(), this.o.dropAfterMs ?? 2000);
          }
        }
        return reply(200, 'OK', { Range: 'npt=0.000-', ...sessionHeader(session) });
      }
      case 'PAUSE':
        return reply(405, 'Method Not Allowed', { Allow: PUBLIC });
      case 'TEARDOWN':
        if (session) this.endSession(session);
        return reply(200, 'OK');
      default:
        return reply(501, 'Not Implemented', { Public: PUBLIC });
    }
  }

  private subscriber(s: Session): Subscriber {
    const faults = this.o.faults;
    if (s.transport.tcp) {
      const [chRtp, chRtcp] = s.transport.interleaved!;
      const open = () => !faults().stall && !s.conn.destroyed && s.conn.writableLength <= MAX_QUEUE;
      const frame = (ch: number, pkt: Buffer) => {
        if (!open()) return;
        const h = Buffer.from([0x24, ch, pkt.length >> 8, pkt.length & 0xff]);
        s.conn.write(Buffer.concat([h, pkt]));
      };
      const run = (r: Buffer) => {
        if (!open()) return;
        s.conn.write(chRtp === 0 ? r : onChannel(r, chRtp));
      };
      return { rtp: (p) => frame(chRtp, p), rtpRun: run, rtcp: (p) => frame(chRtcp, p) };
    }
    const host = s.conn.remoteAddress ?? '127.0.0.1';
    const [pRtp, pRtcp] = s.transport.clientPorts!;
    const udp = (sock: UdpSocket | undefined, port: number, pkt: Buffer) => {
      if (faults().stall || !sock) return;
      sock.send(pkt, port, host);
    };
    const rtp = (p: Buffer) => udp(this.rtpSock, pRtp, p);
    return { rtp, rtpRun: (r) => forEachPacket(r, rtp), rtcp: (p) => udp(this.rtcpSock, pRtcp, p) };
  }
}

/** A copy of an interleaved run with every packet on channel `ch`. */
function onChannel(run: Buffer, ch: number): Buffer {
  const out = Buffer.from(run);
  for (let at = 0; at + 4 <= out.length; at += 4 + out.readUInt16BE(at + 2)) out[at + 1] = ch;
  return out;
}
