/**
 * H.264 over RTP (RFC 6184, packetization-mode=1), pure: Annex B access units -> RTP packets.
 * The replay source (sim/rtsp/replay-source.ts) packetises a clip ONCE into templates and only
 * stamps sequence number, timestamp and SSRC per camera while it plays.
 */
import { splitAnnexB } from './h264';

/** RTP packet size ffmpeg uses for RTSP over TCP (12-byte header + 1,460 bytes of payload). */
export const RTP_PACKET_SIZE = 1472;
const RTP_HEADER = 12;
const FU_A = 28;

function isVcl(type: number): boolean {
  return type >= 1 && type <= 5;
}

/**
 * Group NAL units into access units (frames). A new one starts at an AUD, SPS, PPS or SEI after a
 * slice, or at a slice whose first_mb_in_slice is 0 (its first bit after the header is 1).
 */
export function accessUnits(annexB: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  let cur: Buffer[] = [];
  let hasSlice = false;
  for (const nal of splitAnnexB(annexB)) {
    const type = nal[0]! & 0x1f;
    const startsAu = hasSlice && (type === 9 || type === 7 || type === 8 || type === 6 || (isVcl(type) && (nal[1]! & 0x80) !== 0));
    if (startsAu) {
      out.push(cur);
      cur = [];
      hasSlice = false;
    }
    cur.push(nal);
    if (isVcl(type)) hasSlice = true;
  }
  if (cur.length > 0 && hasSlice) out.push(cur);
  return out;
}

/** RTP payloads of one NAL unit: itself when it fits, else FU-A fragments. */
export function nalPayloads(nal: Buffer, maxPayload = RTP_PACKET_SIZE - RTP_HEADER): Buffer[] {
  if (nal.length <= maxPayload) return [nal];
  const indicator = (nal[0]! & 0xe0) | FU_A;
  const type = nal[0]! & 0x1f;
  const body = nal.subarray(1);
  const step = maxPayload - 2;
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += step) {
    const start = at === 0 ? 0x80 : 0;
    const end = at + step >= body.length ? 0x40 : 0;
    out.push(Buffer.concat([Buffer.from([indicator, start | end | type]), body.subarray(at, at + step)]));
  }
  return out;
}

/**
 * One frame as RTP packets already framed for RTSP interleaving (`$`, channel 0, 16-bit length),
 * back to back, with sequence number, timestamp and SSRC left zero; `headers` are the offsets of
 * each RTP header in `data`. The marker bit is set on the frame's last packet.
 */
export interface FrameTemplate {
  data: Buffer;
  headers: number[];
  keyframe: boolean;
}

export function frameTemplate(au: Buffer[], payloadType: number): FrameTemplate {
  const payloads = au.flatMap((nal) => nalPayloads(nal));
  const data = Buffer.alloc(payloads.reduce((n, p) => n + 4 + RTP_HEADER + p.length, 0));
  const headers: number[] = [];
  let at = 0;
  payloads.forEach((p, i) => {
    const len = RTP_HEADER + p.length;
    data[at] = 0x24;
    data.writeUInt16BE(len, at + 2);
    const h = at + 4;
    data[h] = 0x80; // version 2
    data[h + 1] = (i === payloads.length - 1 ? 0x80 : 0) | (payloadType & 0x7f);
    p.copy(data, h + RTP_HEADER);
    headers.push(h);
    at = h + len;
  });
  return { data, headers, keyframe: au.some((n) => (n[0]! & 0x1f) === 5) };
}

/** A copy of a frame template with its packets numbered from `seq` and stamped. */
export function stampFrame(t: FrameTemplate, seq: number, timestamp: number, ssrc: number): Buffer {
  const out = Buffer.allocUnsafe(t.data.length);
  t.data.copy(out);
  for (const h of t.headers) {
    out.writeUInt16BE(seq & 0xffff, h + 2);
    out.writeUInt32BE(timestamp >>> 0, h + 4);
    out.writeUInt32BE(ssrc >>> 0, h + 8);
    seq += 1;
  }
  return out;
}

/** Calls `each(packet)` for every RTP packet (a view, without framing) of an interleaved run. */
export function forEachPacket(run: Buffer, each: (pkt: Buffer) => void): void {
  for (let at = 0; at + 4 <= run.length; ) {
    const len = run.readUInt16BE(at + 2);
    each(run.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
}

/** An RTCP sender report (RFC 3550 6.4.1) without report blocks. */
export function senderReport(ssrc: number, wallMs: number, rtpTime: number, packets: number, octets: number): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2); // length in 32-bit words minus one
  b.writeUInt32BE(ssrc >>> 0, 4);
  const seconds = Math.floor(wallMs / 1000) + 2_208_988_800; // NTP era starts 1900
  b.writeUInt32BE(seconds >>> 0, 8);
  b.writeUInt32BE(Math.floor(((wallMs % 1000) / 1000) * 2 ** 32) >>> 0, 12);
  b.writeUInt32BE(rtpTime >>> 0, 16);
  b.writeUInt32BE(packets >>> 0, 20);
  b.writeUInt32BE(octets >>> 0, 24);
  return b;
}
