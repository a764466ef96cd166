/** Synthetic FLV for unit tests of the gate's scanner and fanout (workers/rtmp). */

/** The 9-byte FLV file header + PreviousTagSize0. */
export const FLV_HEADER = Buffer.from([0x46, 0x4c, 0x56, 1, 1, 0, 0, 0, 9, 0, 0, 0, 0]);

/** One FLV tag (header with the 24 + 8-bit timestamp, data, PreviousTagSize). */
export function flvTag(type: number, data: Buffer, ts = 0): Buffer {
  const h = Buffer.alloc(11);
  h[0] = type;
  h.writeUIntBE(data.length, 1, 3);
  h.writeUIntBE(ts & 0xffffff, 4, 3);
  h[7] = (ts >>> 24) & 0xff;
  const t = Buffer.alloc(4);
  t.writeUInt32BE(11 + data.length);
  return Buffer.concat([h, data, t]);
}

/** A video tag: first data bytes b0 (frame type, codec) and b1 (AVC packet type), then n filler bytes. */
export const flvVideo = (b0: number, b1: number, n: number, ts: number) => flvTag(9, Buffer.concat([Buffer.from([b0, b1, 0, 0, 0]), Buffer.alloc(n, ts & 0xff)]), ts);
