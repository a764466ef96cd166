/** Incremental RTSP/1.0 request parser for a TCP stream that may carry interleaved frames ($). */
import type { Socket } from 'node:net';
import { RtspFramer } from '@protocol/rtsp/framer';

export interface RtspRequest {
  method: string;
  uri: string;
  version: string;
  headers: Record<string, string>;
  body: Buffer;
}

export type RtspItem = { kind: 'request'; req: RtspRequest } | { kind: 'interleaved'; channel: number; data: Buffer };

/** Reads a connection's requests and interleaved frames into `onItem`; garbage closes it. */
export function readRtspItems(c: Socket, onItem: (it: RtspItem) => void): void {
  const parser = new RtspParser();
  c.on('data', (chunk: Buffer) => {
    let items;
    try {
      items = parser.push(chunk);
    } catch {
      c.destroy();
      return;
    }
    for (const it of items) onItem(it);
  });
}

/** Requests and interleaved frames of one connection, framed by the shared protocol package. */
export class RtspParser {
  private readonly framer = new RtspFramer();

  /** Feed bytes; returns complete items. Throws on garbage. */
  push(chunk: Buffer): RtspItem[] {
    const out: RtspItem[] = [];
    for (const item of this.framer.push(chunk)) {
      if (item.type === 'frame') {
        // The framer hands a run of frames over as one slice: split it per frame.
        for (let n = 0; n + 4 <= item.raw.length; ) {
          const len = item.raw.readUInt16BE(n + 2);
          out.push({ kind: 'interleaved', channel: item.raw[n + 1]!, data: item.raw.subarray(n + 4, n + 4 + len) });
          n += 4 + len;
        }
        continue;
      }
      const [method, uri, version] = item.startLine.split(' ');
      if (!method || !uri || !version?.startsWith('RTSP/')) throw new Error(`bad RTSP request line: ${item.startLine}`);
      const headers: Record<string, string> = {};
      for (const [k, v] of item.headers) headers[k.toLowerCase()] = v;
      out.push({ kind: 'request', req: { method, uri, version, headers, body: item.body } });
    }
    return out;
  }
}

export function formatResponse(
  status: number,
  reason: string,
  cseq: string | undefined,
  headers: Record<string, string> = {},
  body = '',
): Buffer {
  const lines = [`RTSP/1.0 ${status} ${reason}`];
  if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
  lines.push('Server: SkyEyeSim/1.0', `Date: ${new Date().toUTCString()}`);
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  const b = Buffer.from(body, 'utf8');
  if (b.length) lines.push(`Content-Length: ${b.length}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), b]);
}

export interface TransportSpec {
  tcp: boolean;
  interleaved?: [number, number];
  clientPorts?: [number, number];
}

/** Parse the first acceptable unicast transport of a SETUP Transport header. */
export function parseTransport(h: string | undefined): TransportSpec | undefined {
  if (!h) return undefined;
  for (const t of h.split(',')) {
    const parts = t.trim().split(';');
    const proto = parts[0]!.toUpperCase();
    if (parts.some((p) => p.trim().toLowerCase() === 'multicast')) continue;
    const pair = (name: string): [number, number] | undefined => {
      const p = parts.find((x) => x.trim().toLowerCase().startsWith(`${name}=`));
      if (!p) return undefined;
      const [a, b] = p.split('=')[1]!.split('-').map(Number);
      if (!Number.isInteger(a)) return undefined;
      return [a!, Number.isInteger(b) ? b! : a! + 1];
    };
    if (proto === 'RTP/AVP/TCP') return { tcp: true, interleaved: pair('interleaved') ?? [0, 1] };
    if (proto === 'RTP/AVP' || proto === 'RTP/AVP/UDP') {
      const cp = pair('client_port');
      if (cp) return { tcp: false, clientPorts: cp };
    }
  }
  return undefined;
}
