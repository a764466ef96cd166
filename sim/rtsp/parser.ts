/** Incremental RTSP/1.0 request parser for a TCP stream that may carry interleaved frames ($). */

export interface RtspRequest {
  method: string;
  uri: string;
  version: string;
  headers: Record<string, string>;
  body: Buffer;
}

export type RtspItem = { kind: 'request'; req: RtspRequest } | { kind: 'interleaved'; channel: number; data: Buffer };

export class RtspParser {
  private buf: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns complete items. Throws on garbage. */
  push(chunk: Buffer): RtspItem[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: RtspItem[] = [];
    for (;;) {
      if (this.buf.length === 0) break;
      if (this.buf[0] === 0x24) {
        if (this.buf.length < 4) break;
        const len = this.buf.readUInt16BE(2);
        if (this.buf.length < 4 + len) break;
        out.push({ kind: 'interleaved', channel: this.buf[1]!, data: this.buf.subarray(4, 4 + len) });
        this.buf = this.buf.subarray(4 + len);
        continue;
      }
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buf.length > 64 * 1024) throw new Error('RTSP header too large');
        break;
      }
      const head = this.buf.subarray(0, end).toString('utf8').split('\r\n');
      const [method, uri, version] = (head[0] ?? '').split(' ');
      if (!method || !uri || !version?.startsWith('RTSP/')) throw new Error(`bad RTSP request line: ${head[0]}`);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const len = Number(headers['content-length'] ?? 0);
      if (this.buf.length < end + 4 + len) break;
      const body = this.buf.subarray(end + 4, end + 4 + len);
      this.buf = this.buf.subarray(end + 4 + len);
      out.push({ kind: 'request', req: { method, uri, version, headers, body } });
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
