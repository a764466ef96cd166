/**
 * WS-Discovery over UDP: a multicast Probe on one chosen interface (TTL 1) and unicast Probes to
 * <address>:3702. Every datagram is untrusted: too large, malformed, from outside the allowed
 * ranges or answering someone else's probe -> dropped (reported through onDrop) while the probe
 * goes on. The socket factory is injectable so tests can run without the network.
 */
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { inRanges } from './cidr';
import { buildProbe, newMessageId, parseProbeMatches, WSD_MULTICAST_ADDRESS, WSD_PORT, type ProbeMatch } from './ws-discovery';

export interface ProbeReply {
  source: string;
  matches: ProbeMatch[];
}

export interface ProbeOptions {
  /** Local IPv4 address whose interface sends (and receives) probes. */
  interfaceAddress: string;
  allowedRanges: readonly string[];
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
  onReply(reply: ProbeReply): void;
  onDrop?(source: string, reason: string): void;
  /** Most datagrams accepted before the rest are ignored (flood guard). */
  maxReplies?: number;
  /** ProbeMatch entries read from one datagram; the rest are dropped (reported through onDrop). */
  maxMatchesPerReply?: number;
  /** Unicast: only these sources are answers (a reply from anywhere else is dropped). */
  acceptFrom?: ReadonlySet<string>;
  /** Datagrams the kernel dropped for this socket (its receive buffer overflowed), when known. */
  onKernelDrops?(count: number): void;
  socketFactory?: () => Socket;
}

/** Receive buffer asked for, so a burst of replies is not lost in the kernel (capped by net.core.rmem_max). */
export const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/** The kernel's drop counter of the UDP socket bound to address:port (Linux /proc/net/udp), or undefined. */
export function kernelDrops(address: string, port: number, read: () => string = () => readFileSync('/proc/net/udp', 'utf8')): number | undefined {
  try {
    const hex = address.split('.').reverse().map((o) => Number(o).toString(16).padStart(2, '0')).join('').toUpperCase();
    const local = `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
    for (const line of read().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1] === local) return Number(f[f.length - 1]);
    }
  } catch {
    /* not Linux, or no procfs */
  }
  return undefined;
}

const defaultSocket = () => createSocket({ type: 'udp4', reuseAddr: true });

export class DiscoverySafetyError extends Error {
  override name = 'DiscoverySafetyError';
}

function openSocket(o: ProbeOptions, messageId: string): Promise<{ socket: Socket; done: Promise<void>; finish(): void }> {
  if (!inRanges(o.interfaceAddress, o.allowedRanges)) {
    throw new DiscoverySafetyError(`discovery interface ${o.interfaceAddress} is outside the allowed ranges`);
  }
  const socket = (o.socketFactory ?? defaultSocket)();
  let accepted = 0;
  let finished = false;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      reportKernelDrops();
      o.signal?.removeEventListener('abort', finish);
      try {
        socket.close();
      } catch {
        /* already closed */
      }
      resolve();
    };
  });
  const timer = setTimeout(() => finish(), o.timeoutMs);
  const reportKernelDrops = () => {
    try {
      const a = socket.address();
      const n = kernelDrops(a.address, a.port);
      if (n !== undefined && n > 0) o.onKernelDrops?.(n);
    } catch {
      /* not bound */
    }
  };
  o.signal?.addEventListener('abort', finish);
  socket.on('error', () => finish());
  socket.on('message', (msg, rinfo) => {
    if (finished) return;
    if (!inRanges(rinfo.address, o.allowedRanges)) return o.onDrop?.(rinfo.address, 'source outside allowed ranges');
    if (o.acceptFrom && !o.acceptFrom.has(rinfo.address)) return o.onDrop?.(rinfo.address, 'source is not one of the scanned addresses');
    if (msg.length > o.maxBytes) return o.onDrop?.(rinfo.address, `datagram of ${msg.length} bytes over the limit`);
    if (accepted >= (o.maxReplies ?? 4096)) return o.onDrop?.(rinfo.address, 'too many replies');
    let matches: ProbeMatch[];
    try {
      matches = parseProbeMatches(msg, o.maxBytes);
    } catch (e) {
      return o.onDrop?.(rinfo.address, (e as Error).message);
    }
    let ours = matches.filter((m) => !m.relatesTo || m.relatesTo === messageId);
    if (ours.length === 0) return o.onDrop?.(rinfo.address, 'reply to another probe');
    const cap = o.maxMatchesPerReply ?? 16;
    if (ours.length > cap) {
      for (let i = cap; i < ours.length; i++) o.onDrop?.(rinfo.address, 'ProbeMatch entry over the per-reply limit');
      ours = ours.slice(0, cap);
    }
    accepted += 1;
    try {
      o.onReply({ source: rinfo.address, matches: ours });
    } catch {
      /* a consumer error must not stop discovery */
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, o.interfaceAddress, () => {
      socket.off('error', reject);
      try {
        socket.setRecvBufferSize(RECV_BUFFER_BYTES);
      } catch {
        /* the kernel keeps its own cap */
      }
      resolve({ socket, done, finish });
    });
  });
}

const send = (s: Socket, data: string, port: number, address: string) =>
  new Promise<void>((resolve) => s.send(data, port, address, () => resolve()));

/** Multicast Probe on the chosen interface only, TTL 1; resolves when timeoutMs has passed. */
export async function multicastProbe(o: ProbeOptions): Promise<void> {
  const messageId = newMessageId();
  const { socket, done } = await openSocket(o, messageId);
  try {
    socket.setMulticastInterface(o.interfaceAddress);
    socket.setMulticastTTL(1);
    socket.setMulticastLoopback(true);
    const probe = buildProbe(messageId);
    // UDP may drop a datagram: send twice (WS-Discovery's repeat), replies dedupe on the endpoint.
    await send(socket, probe, WSD_PORT, WSD_MULTICAST_ADDRESS);
    setTimeout(() => void send(socket, probe, WSD_PORT, WSD_MULTICAST_ADDRESS).catch(() => undefined), 150).unref();
  } catch {
    /* the socket closed (abort): done resolves */
  }
  await done;
}

/**
 * Unicast Probes to each address (port 3702) from one socket, paced so a /20 does not burst;
 * resolves timeoutMs after the last probe was sent (or on abort).
 */
export async function unicastProbe(addresses: readonly string[], o: ProbeOptions & { perMillisecond?: number }): Promise<void> {
  const targets = addresses.filter((a) => inRanges(a, o.allowedRanges));
  o = { ...o, acceptFrom: o.acceptFrom ?? new Set(targets) };
  const messageId = newMessageId();
  const lastSendSlack = Math.ceil(targets.length / (o.perMillisecond ?? 1));
  const { socket, done, finish } = await openSocket({ ...o, timeoutMs: o.timeoutMs + lastSendSlack }, messageId);
  const probe = buildProbe(messageId);
  for (let i = 0; i < targets.length; i++) {
    if (o.signal?.aborted) break;
    try {
      await send(socket, probe, WSD_PORT, targets[i]!);
    } catch {
      finish();
      break;
    }
    if (i % 64 === 63) await new Promise((r) => setTimeout(r, 1));
  }
  await done;
}
