/**
 * WS-Discovery over UDP: a multicast Probe on one chosen interface (TTL 1) and unicast Probes to
 * <address>:3702. Every datagram is untrusted: too large, malformed, from outside the allowed
 * ranges or answering someone else's probe -> dropped (reported through onDrop) while the probe
 * goes on. The socket factory is injectable so tests can run without the network.
 */
import { createSocket, type Socket } from 'node:dgram';
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
  socketFactory?: () => Socket;
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
  o.signal?.addEventListener('abort', finish);
  socket.on('error', () => finish());
  socket.on('message', (msg, rinfo) => {
    if (finished) return;
    if (!inRanges(rinfo.address, o.allowedRanges)) return o.onDrop?.(rinfo.address, 'source outside allowed ranges');
    if (msg.length > o.maxBytes) return o.onDrop?.(rinfo.address, `datagram of ${msg.length} bytes over the limit`);
    if (accepted >= (o.maxReplies ?? 4096)) return o.onDrop?.(rinfo.address, 'too many replies');
    let matches: ProbeMatch[];
    try {
      matches = parseProbeMatches(msg, o.maxBytes);
    } catch (e) {
      return o.onDrop?.(rinfo.address, (e as Error).message);
    }
    const ours = matches.filter((m) => !m.relatesTo || m.relatesTo === messageId);
    if (ours.length === 0) return o.onDrop?.(rinfo.address, 'reply to another probe');
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
