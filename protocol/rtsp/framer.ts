/**
 * Splits an RTSP byte stream into text messages (requests or responses with an optional body)
 * and TCP-interleaved binary frames (`$`, channel, 16-bit length, payload). Frames keep their
 * original bytes so a proxy relays media untouched. Pure; shared by the simulator, the ingest
 * RTSP auth proxy and merchant enrollment.
 */

export interface RtspMessage {
  type: 'message';
  startLine: string;
  headers: Array<[string, string]>;
  body: Buffer;
}
/** One or more consecutive complete interleaved frames (`$`, channel, length, payload), as raw bytes. */
export interface InterleavedFrame {
  type: 'frame';
  raw: Buffer;
}
export type RtspItem = RtspMessage | InterleavedFrame;

const MAX_HEAD = 64 * 1024;

export class RtspFramer {
  private buf: Buffer = Buffer.alloc(0);

  /**
   * Appends bytes and returns every complete item. Throws on a malformed or oversized head.
   * `transient`: the chunk's memory is reused after this call returns (a socket reading into one
   * buffer), so an incomplete item left over is copied; the items returned still point into it.
   */
  push(chunk: Buffer, transient = false): RtspItem[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: RtspItem[] = [];
    for (;;) {
      if (this.buf.length === 0) break;
      if (this.buf[0] === 0x24) {
        // A run of complete interleaved frames comes out as one slice: the proxy forwards media
        // with one socket write per chunk instead of one per RTP packet, and copies nothing.
        let n = 0;
        while (n + 4 <= this.buf.length && this.buf[n] === 0x24) {
          const len = this.buf.readUInt16BE(n + 2);
          if (n + 4 + len > this.buf.length) break;
          n += 4 + len;
        }
        if (n === 0) break;
        out.push({ type: 'frame', raw: this.buf.subarray(0, n) });
        this.buf = this.buf.subarray(n);
        continue;
      }
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buf.length > MAX_HEAD) throw new Error('RTSP header too large');
        break;
      }
      const head = this.buf.subarray(0, end).toString('utf8');
      const lines = head.split('\r\n');
      const headers: Array<[string, string]> = [];
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
      }
      const cl = Number(getHeader(headers, 'content-length') ?? '0');
      if (!Number.isFinite(cl) || cl < 0) throw new Error('bad Content-Length');
      if (this.buf.length < end + 4 + cl) break;
      const body = Buffer.from(this.buf.subarray(end + 4, end + 4 + cl));
      out.push({ type: 'message', startLine: lines[0] ?? '', headers, body });
      this.buf = this.buf.subarray(end + 4 + cl);
    }
    if (transient && this.buf.length > 0) this.buf = Buffer.from(this.buf);
    return out;
  }
}

export function getHeader(headers: ReadonlyArray<[string, string]>, name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

export function getHeaders(headers: ReadonlyArray<[string, string]>, name: string): string[] {
  const n = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

export function setHeader(headers: Array<[string, string]>, name: string, value: string): void {
  const n = name.toLowerCase();
  const i = headers.findIndex(([k]) => k.toLowerCase() === n);
  if (i >= 0) headers[i] = [headers[i]![0], value];
  else headers.push([name, value]);
}

export function serialize(m: RtspMessage): Buffer {
  const headers = m.headers.filter(([k]) => k.toLowerCase() !== 'content-length');
  if (m.body.length > 0) headers.push(['Content-Length', String(m.body.length)]);
  const head = [m.startLine, ...headers.map(([k, v]) => `${k}: ${v}`)].join('\r\n') + '\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'utf8'), m.body]);
}
