/**
 * Direct FLV viewers of one camera, served from the gate (flv-gate.ts) without node-media-server:
 * the API's HTTP-FLV and WS-FLV routes in the process that ingests the camera read this, so a
 * watched camera costs node one copy and one write per read of the ingest's FLV, instead of
 * node-media-server parsing every tag into packets, muxing them again for each player, and the
 * API reading that back over loopback HTTP (issue 13: node 1.8 % of a core per camera with one
 * viewer that way).
 *
 * A viewer starts with the scanner's start pieces (header, metadata, sequence header, the GOP
 * since the last keyframe) and then gets every complete tag, batched per read: the tags a read
 * completes are copied into one reused buffer while the scanner reports them (its pieces die with
 * the read) and handed to every viewer as one Buffer. The ingest ffmpeg restarting (a camera
 * reconnect) does not end a viewer: the new source's header is not sent again and its tags are
 * retimed to go on from the last timestamp sent (one frame later), so the player's timeline
 * stays monotonic, as node-media-server's publish grace did. A viewer whose unread queue passes
 * MAX_QUEUE (a browser that cannot keep up) is ended; the player reconnects at the live edge.
 */
import { Readable } from 'node:stream';
import type { FlvTagScanner, TagKind } from './flv-tags';

/** Unread bytes a viewer may queue before it is ended (~16 s of a 4 Mb/s camera). */
export const MAX_QUEUE = 8 * 1024 * 1024;
/** The step from the last timestamp sent to a new source's first tag (one frame at 25 fps). */
const RESTART_STEP_MS = 40;
const FLV_HEAD = 13;
const TAG_HEAD = 11;
const TAG_TRAILER = 4;

const tsAt = (b: Buffer, at: number) => ((b[at + 7]! << 24) | b.readUIntBE(at + 4, 3)) >>> 0;
function setTsAt(b: Buffer, at: number, ts: number): void {
  b.writeUIntBE(ts & 0xffffff, at + 4, 3);
  b[at + 7] = (ts >>> 24) & 0xff;
}

interface Viewer {
  stream: Readable;
  started: boolean;
}

export class FlvFanout {
  private readonly viewers = new Set<Viewer>();
  private scanner: FlvTagScanner | null = null;
  /** Added to every source timestamp (mod 2^32) so a new source continues the timeline. */
  private offset = 0;
  /** The last timestamp sent (after the offset); null before any. */
  private lastTs: number | null = null;
  /** A new source replaced one that viewers were watching: the offset is set at its first media tag. */
  private awaiting = false;
  /** The tags completed by the read being handled, copied: acc[0, accLen). */
  private acc: Buffer = Buffer.alloc(0);
  private accLen = 0;
  /** Bytes handed to viewers (all viewers counted once per send). */
  bytes = 0;

  get size(): number {
    return this.viewers.size;
  }

  /** The ingest's (new) connection: its scanner's caches start new viewers. */
  source(scanner: FlvTagScanner): void {
    this.scanner = scanner;
    if (this.lastTs !== null) this.awaiting = true;
  }

  /** A new viewer; it ends with `signal`. */
  watch(signal?: AbortSignal): Readable {
    const viewer: Viewer = { stream: new Readable({ read() {} }), started: false };
    this.viewers.add(viewer);
    viewer.stream.once('close', () => this.drop(viewer));
    if (signal?.aborted) viewer.stream.destroy();
    else signal?.addEventListener('abort', () => viewer.stream.destroy(), { once: true });
    this.start(viewer);
    return viewer.stream;
  }

  /** A complete tag of the current source (the scanner's onTag: pieces valid only during the call). */
  tag(pieces: readonly Buffer[], kind: TagKind): void {
    if (this.viewers.size === 0) return;
    let len = 0;
    for (const p of pieces) len += p.length;
    if (this.accLen + len > this.acc.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.accLen + len, this.acc.length * 2, 64 * 1024));
      this.acc.copy(bigger, 0, 0, this.accLen);
      this.acc = bigger;
    }
    const at = this.accLen;
    for (const p of pieces) this.accLen += p.copy(this.acc, this.accLen);
    const ts = tsAt(this.acc, at);
    if (this.awaiting) {
      if (kind === 'meta' || kind === 'seq') return setTsAt(this.acc, at, this.lastTs!);
      // The new source's first media tag: go on one frame after the last timestamp sent.
      this.offset = (this.lastTs! + RESTART_STEP_MS - ts) >>> 0;
      this.awaiting = false;
    }
    this.lastTs = (ts + this.offset) >>> 0;
    if (this.offset !== 0) setTsAt(this.acc, at, this.lastTs);
  }

  /** After a read was scanned: the tags it completed go to every started viewer; waiting viewers start. */
  flush(): void {
    if (this.viewers.size === 0) return void (this.accLen = 0);
    const out = this.accLen > 0 ? Buffer.from(this.acc.subarray(0, this.accLen)) : null;
    this.accLen = 0;
    for (const v of this.viewers) {
      if (!v.started) this.start(v);
      else if (out) this.send(v, out);
    }
  }

  /** Ends every viewer (the gate closes). */
  close(): void {
    for (const v of this.viewers) v.stream.destroy();
  }

  /** Sends the start pieces once there is a header and the timeline is known. */
  private start(v: Viewer): void {
    const pieces = this.scanner?.startPieces() ?? [];
    if (pieces.length === 0 || this.awaiting) return;
    const first = Buffer.concat(pieces);
    for (let at = FLV_HEAD; at + TAG_HEAD <= first.length; at += TAG_HEAD + first.readUIntBE(at + 1, 3) + TAG_TRAILER) {
      const ts = (tsAt(first, at) + this.offset) >>> 0;
      setTsAt(first, at, ts);
      if (this.lastTs === null || ts > this.lastTs) this.lastTs = ts;
    }
    v.started = true;
    this.send(v, first);
  }

  private send(v: Viewer, b: Buffer): void {
    if (v.stream.readableLength > MAX_QUEUE) return void v.stream.destroy(new Error('the viewer is too slow for the stream'));
    this.bytes += b.length;
    v.stream.push(b);
  }

  private drop(v: Viewer): void {
    this.viewers.delete(v);
    if (this.viewers.size > 0) return;
    // Nobody watches: the next viewer starts a timeline of its own.
    this.offset = 0;
    this.lastTs = null;
    this.awaiting = false;
    this.accLen = 0;
  }
}
