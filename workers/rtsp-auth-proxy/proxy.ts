/**
 * Credential-injecting RTSP proxy. ffmpeg connects to rtsp://127.0.0.1:<port>/<opaque-id> with no
 * credentials; the proxy dials the real camera, rewrites request URLs, answers the camera's 401
 * with Digest from the stored credentials (Basic only when the route allows it), and relays everything else. Interleaved
 * media after PLAY passes through byte for byte; for UDP the Transport header is untouched, so
 * RTP flows camera -> ffmpeg directly. While ffmpeg is behind (its write queue in node is full)
 * the camera's socket is not read, so TCP flow control slows the camera instead of node buffering
 * its backlog. Credentials never reach a command line or a log line.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { authorizationHeader, offersOnlyBasic, pickChallenge, type Challenge, type Credentials } from '@protocol/auth/digest';
import { RtspFramer, getHeader, getHeaders, serialize, type RtspMessage } from '@protocol/rtsp/framer';
import { RtpClockWatch } from './rtp-clock';

export interface ProxyRoute {
  /** Camera URL; userinfo in it is moved to credentials and stripped. */
  cameraUrl: string;
  credentials?: Credentials;
  /**
   * Answer a camera that offers only Basic (which sends the password itself). Off by default: an
   * operator allows it per camera. A camera offering Digest always gets Digest.
   */
  allowBasic?: boolean;
  /** Called when the camera's RTP clock jumps backwards on a TCP-interleaved channel. */
  onTimestampJump?: (detail: string) => void;
}

export interface ProxyRegistration {
  /** The URL to give ffmpeg: rtsp://127.0.0.1:<port>/<opaque-id>, no secrets in it. */
  readonly localUrl: string;
  /**
   * Ends the route and closes its connections to the camera at once (in this call), so the
   * camera's session ends when the ffmpeg that used it has exited, not a turn of the event loop
   * later: a lease is released only after this, and the next holder may be pulling in a moment.
   */
  unregister(): void;
}

export interface RtspAuthProxy {
  readonly port: number;
  register(route: ProxyRoute): ProxyRegistration;
  close(): Promise<void>;
}

export interface ProxyOptions {
  host?: string;
  port?: number;
  connectTimeoutMs?: number;
  /** Optional: non-secret diagnostics (upstream errors). */
  onEvent?: (e: { id: string; kind: 'upstream_error' | 'auth_rejected'; detail: string }) => void;
}

interface ResolvedRoute {
  cameraBase: string;
  host: string;
  port: number;
  credentials?: Credentials;
  allowBasic: boolean;
  onTimestampJump?: (detail: string) => void;
}

export function resolveRoute(route: ProxyRoute): ResolvedRoute {
  const u = new URL(route.cameraUrl);
  if (u.protocol !== 'rtsp:') throw new Error(`camera URL must be rtsp:// (got ${u.protocol})`);
  let credentials = route.credentials;
  if (!credentials && u.username) {
    credentials = { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  }
  u.username = '';
  u.password = '';
  const cameraBase = u.toString().replace(/\/$/, '');
  return { cameraBase, host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 554, credentials, allowBasic: route.allowBasic === true, onTimestampJump: route.onTimestampJump };
}

/** Replaces every occurrence of `from` as a URL prefix in `s` with `to`. */
const rewrite = (s: string, from: string, to: string) => (from ? s.split(from).join(to) : s);

export async function startRtspAuthProxy(opts: ProxyOptions = {}): Promise<RtspAuthProxy> {
  const host = opts.host ?? '127.0.0.1';
  /** Each route with its open connections (ffmpeg's and the camera's), closed by unregister(). */
  const routes = new Map<string, { route: ResolvedRoute; open: Set<net.Socket> }>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => handleClient(client));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const localPrefix = `rtsp://${host}:${port}/`;

  function handleClient(client: net.Socket): void {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const framer = new RtspFramer();
    let session: Session | null = null;
    const early: RtspMessage[] = [];
    client.on('data', (chunk: Buffer) => {
      let items;
      try {
        items = framer.push(chunk);
      } catch {
        client.destroy();
        return;
      }
      for (const item of items) {
        if (session) session.fromClient(item);
        else if (item.type === 'message') {
          early.push(item);
          if (early.length === 1) session = openSession(client, item, early);
        }
      }
    });
  }

  function reply(client: net.Socket, req: RtspMessage, status: string): void {
    const cseq = getHeader(req.headers, 'cseq') ?? '0';
    client.end(`RTSP/1.0 ${status}\r\nCSeq: ${cseq}\r\n\r\n`);
  }

  interface Session {
    fromClient(item: RtspMessage | { type: 'frame'; raw: Buffer }): void;
  }

  function openSession(client: net.Socket, first: RtspMessage, early: RtspMessage[]): Session | null {
    const target = first.startLine.split(' ')[1] ?? '';
    const id = target.startsWith(localPrefix) ? target.slice(localPrefix.length).split('/')[0]!.split('?')[0]! : '';
    const entry = routes.get(id);
    if (!entry) {
      reply(client, first, '404 Not Found');
      return null;
    }
    const { route } = entry;
    const proxyBase = localPrefix + id;
    const reads = new ReadMemory();
    const upstream = net.connect({ host: route.host, port: route.port, onread: { buffer: () => reads.next(), callback: (n, buf) => (fromCamera((buf as Buffer).subarray(0, n)), true) } });
    sockets.add(upstream);
    entry.open.add(upstream).add(client);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    let connected = false;
    const timer = setTimeout(() => upstream.destroy(Object.assign(new Error('Connection timed out'), { code: 'ETIMEDOUT' })), opts.connectTimeoutMs ?? 5000);
    const pending = new Map<string, { msg: RtspMessage; retried: boolean }>();
    let challenge: Challenge | null = null;
    let nc = 0;
    const upFramer = new RtspFramer();
    const clock = route.onTimestampJump ? new RtpClockWatch() : null;

    const sendUp = (msg: RtspMessage) => {
      const out: RtspMessage = { ...msg, headers: msg.headers.filter(([k]) => k.toLowerCase() !== 'authorization') };
      if (challenge && route.credentials) {
        const [method = '', uri = ''] = out.startLine.split(' ');
        nc += 1;
        out.headers.push(['Authorization', authorizationHeader(challenge, route.credentials, method, uri, nc)]);
      }
      upstream.write(serialize(out));
    };

    const forwardRequest = (msg: RtspMessage) => {
      const rewritten: RtspMessage = {
        type: 'message',
        startLine: rewrite(msg.startLine, proxyBase, route.cameraBase),
        headers: msg.headers.map(([k, v]) => [k, rewrite(v, proxyBase, route.cameraBase)]),
        body: msg.body,
      };
      const cseq = getHeader(rewritten.headers, 'cseq');
      if (cseq !== undefined && !rewritten.startLine.startsWith('RTSP/')) pending.set(cseq, { msg: rewritten, retried: false });
      sendUp(rewritten);
    };

    const toClient = (msg: RtspMessage) => {
      let body = msg.body;
      const ctype = getHeader(msg.headers, 'content-type') ?? '';
      if (body.length > 0 && ctype.toLowerCase().includes('application/sdp')) {
        body = Buffer.from(rewrite(body.toString('utf8'), route.cameraBase, proxyBase), 'utf8');
      }
      const headers = msg.headers
        .filter(([k]) => k.toLowerCase() !== 'www-authenticate' || !route.credentials)
        .map(([k, v]): [string, string] => [k, rewrite(v, route.cameraBase, proxyBase)]);
      client.write(serialize({ type: 'message', startLine: msg.startLine, headers, body }));
    };

    upstream.on('connect', () => {
      connected = true;
      clearTimeout(timer);
      for (const m of early.splice(0)) forwardRequest(m);
    });
    // Backpressure: a relayed write that fills ffmpeg's queue in node (write() returns false at the
    // socket's highWaterMark) stops the reads from the camera until that queue has drained; the
    // frames of the read under way are still relayed, so the queue ends at most one read past it.
    client.on('drain', () => {
      if (client.writableLength === 0) reads.release();
      upstream.resume();
    });
    // Everything the camera sends, read into reused memory (ReadMemory): a relayed frame that the
    // kernel does not take at once stays queued in node, and then that memory is left to it.
    const fromCamera = (chunk: Buffer): void => {
      let items;
      try {
        items = upFramer.push(chunk, true);
      } catch {
        upstream.destroy();
        return;
      }
      for (const item of items) {
        if (item.type === 'frame') {
          if (!client.write(item.raw)) upstream.pause();
          if (client.writableLength > 0) reads.pin();
          const jump = clock?.frames(item.raw);
          if (jump) route.onTimestampJump!(`RTP timestamp went back ${jump.ticks} ticks on interleaved channel ${jump.channel}`);
          continue;
        }
        const isResponse = item.startLine.startsWith('RTSP/');
        const cseq = getHeader(item.headers, 'cseq') ?? '';
        const status = isResponse ? Number(item.startLine.split(' ')[1]) : 0;
        const p = pending.get(cseq);
        if (isResponse && status === 401 && p && !p.retried && route.credentials) {
          const offered = getHeaders(item.headers, 'www-authenticate');
          const c = pickChallenge(offered, { allowBasic: route.allowBasic });
          if (!c && offersOnlyBasic(offered)) opts.onEvent?.({ id, kind: 'auth_rejected', detail: 'the camera offers only Basic authentication, which is not allowed for this camera' });
          if (c) {
            challenge = c;
            nc = 0;
            p.retried = true;
            sendUp(p.msg);
            continue;
          }
        }
        if (isResponse && status === 401) opts.onEvent?.({ id, kind: 'auth_rejected', detail: item.startLine });
        if (isResponse) pending.delete(cseq);
        toClient(item);
      }
    };
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const detail = describeSocketError(err);
      opts.onEvent?.({ id, kind: 'upstream_error', detail });
      if (!connected) {
        const status = err.code === 'ETIMEDOUT' ? `504 Gateway Timeout (${detail})` : `502 Bad Gateway (${detail})`;
        reply(client, first, status);
      }
    });
    upstream.on('close', () => {
      clearTimeout(timer);
      sockets.delete(upstream);
      entry.open.delete(upstream);
      client.destroy();
    });
    client.on('close', () => (entry.open.delete(client), upstream.destroy()));

    return {
      fromClient(item) {
        if (item.type === 'frame') {
          if (connected) upstream.write(item.raw);
          return;
        }
        if (!connected) early.push(item);
        else forwardRequest(item);
      },
    };
  }

  return {
    port,
    register(route) {
      const resolved = resolveRoute(route);
      const id = randomBytes(12).toString('hex');
      const open = new Set<net.Socket>();
      routes.set(id, { route: resolved, open });
      return {
        localUrl: localPrefix + id,
        unregister: () => {
          routes.delete(id);
          for (const s of open) s.destroy();
        },
      };
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The memory one upstream connection reads into. Media arrives a few packets per read at the
 * camera's bitrate; a fresh Buffer per read was most of the proxy's garbage (the GC took ~30 % of
 * node's ingest time). The same 64 KiB serve every read while each relayed write completes at once
 * (on loopback the kernel takes it inside the call); once a write stays queued, node holds a view
 * of this memory until it is sent, so the next read gets new memory. When ffmpeg's queue has
 * drained no view is held any more and the memory is reused again (release).
 */
class ReadMemory {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pinned = false;

  next(): Buffer {
    if (this.pinned) {
      this.buf = Buffer.allocUnsafe(64 * 1024);
      this.pinned = false;
    }
    return this.buf;
  }

  /** A write still holds a view of the current memory: do not reuse it. */
  pin(): void {
    this.pinned = true;
  }

  /** Every write has completed (nothing queued): the current memory may be read into again. */
  release(): void {
    this.pinned = false;
  }
}

/** Socket errors in words ffmpeg will print back and the stderr classifier recognises. */
export function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'EHOSTUNREACH':
      return 'No route to host';
    case 'ENETUNREACH':
      return 'Network is unreachable';
    case 'ETIMEDOUT':
      return 'Connection timed out';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'Name or service not known';
    case 'ECONNRESET':
      return 'Connection reset by peer';
    default:
      return err.code ?? 'upstream error';
  }
}
