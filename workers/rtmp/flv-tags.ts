/**
 * A cheap FLV tag scanner for the on-demand republish (flv-gate.ts): it follows tag boundaries in
 * the byte stream the ingest ffmpeg writes, without decoding media. It keeps what a new viewer
 * needs to start at once: the FLV header, the script (onMetaData) tag, the video sequence header
 * and the tags since the last keyframe (the GOP). The GOP is copied into one buffer per stream,
 * reused from keyframe to keyframe, so the chunks read from the socket die young: holding them
 * (as slices) kept ~1 MiB per camera of small buffers alive across GCs, and garbage collection
 * was then half of node's time in the gate. Nothing pushed is kept past push(): the gate reads every
 * connection into one reused buffer (flv-gate.ts), so a tag cut by a read boundary is copied into a
 * pending buffer of the scanner's own (also reused), and onTag's pieces are valid only during the call.
 *
 * Video tags: legacy FLV (codec id in the low nibble, AVCPacketType 0 = sequence header) and
 * enhanced FLV (bit 0x80 set, packet type in the low nibble, 0 = SequenceStart); frame type
 * ((b >> 4) & 7) 1 = keyframe.
 */

export type TagKind = 'meta' | 'seq' | 'key' | 'frame' | 'other';

/** The GOP cache gives up (waits for the next keyframe) past this many bytes. */
export const MAX_GOP_BYTES = 16 * 1024 * 1024;

const FLV_HEAD = 13; // 9-byte file header + PreviousTagSize0
const TAG_HEAD = 11;
const TAG_TRAILER = 4;

export function classifyTag(type: number, d0: number | undefined, d1: number | undefined): TagKind {
  if (type === 18) return 'meta';
  if (type !== 9 || d0 === undefined) return 'other';
  const enhanced = (d0 & 0x80) !== 0;
  const frameType = (d0 >> 4) & 7;
  if (frameType === 5) return 'other'; // video info/command frame
  if (enhanced ? (d0 & 0x0f) === 0 : (d0 & 0x0f) === 7 && d1 === 0) return 'seq';
  return frameType === 1 ? 'key' : 'frame';
}

/**
 * `buf` if it holds `need` bytes, else a larger reused-from-now-on buffer (double, at least `floor`,
 * at most `cap`) with the first `keep` bytes of `buf` copied over.
 */
function grown(buf: Buffer, keep: number, need: number, floor: number, cap: number): Buffer {
  if (need <= buf.length) return buf;
  const bigger = Buffer.allocUnsafe(Math.min(cap, Math.max(need, buf.length * 2, floor)));
  buf.copy(bigger, 0, 0, keep);
  return bigger;
}

export class FlvTagScanner {
  /** The 13-byte file header, once read. */
  header: Buffer | null = null;
  meta: Buffer | null = null;
  seq: Buffer | null = null;
  /** Bytes from the start of the last keyframe tag up to the last complete tag: gopBuf[0, gopBytes). */
  private gopBuf: Buffer = Buffer.alloc(0);
  gopBytes = 0;
  private inGop = false;
  /** Complete tags seen (all kinds). */
  tags = 0;
  bytes = 0;
  /** Called with every complete tag's slices (in order), after the caches are updated. */
  onTag: ((pieces: Buffer[], kind: TagKind) => void) | null = null;

  private headLeft = FLV_HEAD;
  private headParts: Buffer[] = [];
  /** Slices of the tag being read; at the end of a push, one view of `pend` (see own()). */
  private cur: Buffer[] = [];
  /** The incomplete tag's bytes carried from one push to the next (reused from tag to tag). */
  private pend: Buffer = Buffer.alloc(0);
  /** How many bytes at the start of `cur` are already in `pend` (cur[0] is then their view). */
  private owned = 0;
  private curLen = 0;
  /** Total length of the tag being read, once its 11-byte header is in (else 0). */
  private tagLen = 0;
  private kind: TagKind | null = null;

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let p = 0;
    if (this.headLeft > 0) {
      const n = Math.min(this.headLeft, chunk.length);
      this.headParts.push(Buffer.from(chunk.subarray(0, n))); // 13 bytes: copied, not kept as a view
      this.headLeft -= n;
      p = n;
      if (this.headLeft === 0) {
        this.header = Buffer.concat(this.headParts);
        this.headParts = [];
        if (this.header.subarray(0, 3).toString('latin1') !== 'FLV') throw new Error('not an FLV stream');
      }
    }
    while (p < chunk.length) {
      if (this.tagLen === 0) {
        // Still reading the tag header (and the first data bytes that classify it).
        const want = TAG_HEAD + 2 - this.curLen;
        const n = Math.min(want, chunk.length - p);
        this.cur.push(chunk.subarray(p, p + n));
        this.curLen += n;
        p += n;
        if (this.curLen < TAG_HEAD + 2) continue;
        const h = this.cur.length === 1 ? this.cur[0]! : Buffer.concat(this.cur);
        const size = h.readUIntBE(1, 3);
        this.tagLen = TAG_HEAD + size + TAG_TRAILER;
        this.kind = classifyTag(h[0]! & 0x1f, size > 0 ? h[11] : undefined, size > 1 ? h[12] : undefined);
        if (this.curLen >= this.tagLen) {
          // A tag of < 2 data bytes: the bytes read to classify it ran into the next tag.
          const rest = this.complete();
          if (rest.length) {
            this.bytes -= rest.length;
            this.push(rest);
          }
        }
        continue;
      }
      const n = Math.min(this.tagLen - this.curLen, chunk.length - p);
      this.cur.push(chunk.subarray(p, p + n));
      this.curLen += n;
      p += n;
      if (this.curLen === this.tagLen) this.complete();
    }
    this.own();
  }

  /** Copies the incomplete tag's slices of the chunk just pushed into `pend` (the chunk's memory is the caller's). */
  private own(): void {
    if (this.curLen === this.owned) return;
    this.pend = grown(this.pend, this.owned, this.curLen, 64 * 1024, MAX_GOP_BYTES + TAG_HEAD + TAG_TRAILER);
    let at = this.owned;
    for (const piece of this.owned > 0 ? this.cur.slice(1) : this.cur) at += piece.copy(this.pend, at);
    this.cur = [this.pend.subarray(0, at)];
    this.owned = at;
  }

  /** Ends the current tag; returns bytes read past its end (only for tags of < 2 data bytes). */
  private complete(): Buffer {
    let pieces = this.cur;
    let rest = Buffer.alloc(0);
    const kind = this.kind!;
    if (this.curLen > this.tagLen) {
      const all = Buffer.concat(pieces);
      pieces = [all.subarray(0, this.tagLen)];
      rest = all.subarray(this.tagLen);
    }
    this.reset();
    this.tags += 1;
    switch (kind) {
      case 'meta':
        this.meta = Buffer.concat(pieces);
        break;
      case 'seq':
        this.seq = Buffer.concat(pieces);
        break;
      case 'key':
        this.gopBytes = 0;
        this.inGop = true;
        this.appendGop(pieces);
        break;
      case 'frame':
        if (this.inGop) this.appendGop(pieces);
        break;
      case 'other':
        break;
    }
    this.onTag?.(pieces, kind);
    return rest;
  }

  private appendGop(pieces: Buffer[]): void {
    let len = this.gopBytes;
    for (const p of pieces) len += p.length;
    if (len > MAX_GOP_BYTES) {
      this.gopBytes = 0;
      this.inGop = false;
      return;
    }
    this.gopBuf = grown(this.gopBuf, this.gopBytes, len, 256 * 1024, MAX_GOP_BYTES);
    for (const p of pieces) this.gopBytes += p.copy(this.gopBuf, this.gopBytes);
  }

  private reset(): void {
    this.cur = [];
    this.owned = 0;
    this.curLen = 0;
    this.tagLen = 0;
    this.kind = null;
  }

  /**
   * What a new viewer gets first: header, metadata, sequence header, the current GOP. The GOP is
   * a view of a buffer reused at the next keyframe: consume it before pushing more.
   */
  startPieces(): Buffer[] {
    if (!this.header) return [];
    const gop = this.inGop && this.gopBytes > 0 ? [this.gopBuf.subarray(0, this.gopBytes)] : [];
    return [this.header, ...(this.meta ? [this.meta] : []), ...(this.seq ? [this.seq] : []), ...gop];
  }
}
