/**
 * One stream (e.g. a camera's main stream): ffmpeg publishes RTP/RTCP over RTSP to a loopback
 * record sink (record-sink.ts), packets are relayed unchanged to every subscriber. The publisher runs on demand: started with
 * the first subscriber, stopped `lingerMs` after the last one leaves; restarted if it dies.
 * resetClock() makes the stream's RTP timestamps (and RTCP sender reports) jump back to their
 * first value, as a camera that restarts its stream clock does (the clock-reset fault).
 */
import type { PublishTarget } from '../media/ffmpeg-args';
import type { Child } from '../media/process';
import { startRecordSink, type RecordSink } from './record-sink';

export interface Subscriber {
  rtp(pkt: Buffer): void;
  /** A run of RTP packets framed for interleaving on channel 0 (`$`, 0, length, packet...). */
  rtpRun(run: Buffer): void;
  rtcp(pkt: Buffer): void;
}

/** What the RTSP server plays from: this relay of an ffmpeg publisher, or the replay source. */
export interface MediaSource {
  readonly payloadType: number;
  readonly clockResets: number;
  /** Pid of the process that publishes the stream, if one does. */
  readonly publisherPid: number | undefined;
  subscribe(s: Subscriber): Promise<void>;
  unsubscribe(s: Subscriber): void;
  resetClock(): void;
  close(): Promise<void>;
}

export type PublisherFactory = (target: PublishTarget) => Child;

export class StreamSource implements MediaSource {
  private sink?: RecordSink;
  private binding?: Promise<RecordSink>;
  private child?: Child;
  private readonly subs = new Set<Subscriber>();
  private lingerTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private closed = false;
  lastSeq = 0;
  lastTs = 0;
  packets = 0;
  /** Added to every relayed RTP timestamp (mod 2^32); changed by resetClock(). */
  private tsOffset = 0;
  private firstTs: number | null = null;
  clockResets = 0;

  constructor(
    private readonly startPublisher: PublisherFactory,
    readonly payloadType = 96,
    private readonly lingerMs = 5000,
  ) {}

  private async bindSink(): Promise<void> {
    this.binding ??= startRecordSink({
      rtp: (b) => this.onRtp(b),
      rtcp: (b) => {
        const out = b.length >= 20 && b[1] === 200 ? this.shifted(b, 16) : b; // sender report: RTP time
        for (const s of this.subs) s.rtcp(out);
      },
    });
    this.sink = await this.binding;
  }

  private onRtp(b: Buffer): void {
    if (b.length < 12) return;
    this.lastSeq = b.readUInt16BE(2);
    this.lastTs = b.readUInt32BE(4);
    this.firstTs ??= this.lastTs;
    this.packets += 1;
    // ffmpeg's RTSP muxer numbers its dynamic payload types from 96; the SDP may say otherwise.
    if ((b[1]! & 0x7f) !== this.payloadType) b[1] = (b[1]! & 0x80) | this.payloadType;
    const out = this.shifted(b, 4);
    for (const s of this.subs) s.rtp(out);
  }

  /** The packet with its 32-bit timestamp at `at` moved by tsOffset (a copy; the input is shared). */
  private shifted(b: Buffer, at: number): Buffer {
    if (this.tsOffset === 0 || b.length < at + 4) return b;
    const c = Buffer.from(b);
    c.writeUInt32BE((b.readUInt32BE(at) + this.tsOffset) >>> 0, at);
    return c;
  }

  /** Restart the stream clock: the next relayed timestamp is back at the first one seen. */
  resetClock(): void {
    if (this.firstTs === null) return;
    this.tsOffset = (this.firstTs - this.lastTs) >>> 0;
    this.clockResets += 1;
  }

  private spawn(): void {
    if (this.closed || this.child || !this.sink) return;
    const child = this.startPublisher({ url: this.sink.url });
    this.child = child;
    void child.exited.then(() => {
      if (this.child !== child) return;
      this.child = undefined;
      if (!this.closed && this.subs.size > 0) this.restartTimer = setTimeout(() => this.spawn(), 1000);
    });
  }

  async subscribe(s: Subscriber): Promise<void> {
    if (this.closed) throw new Error('source closed');
    clearTimeout(this.lingerTimer);
    this.subs.add(s);
    await this.bindSink();
    this.spawn();
  }

  unsubscribe(s: Subscriber): void {
    this.subs.delete(s);
    if (this.subs.size === 0) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = setTimeout(() => void this.stopPublisher(), this.lingerMs);
    }
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  get publisherPid(): number | undefined {
    return this.child?.pid;
  }

  private async stopPublisher(): Promise<void> {
    clearTimeout(this.restartTimer);
    const c = this.child;
    this.child = undefined;
    if (c) await c.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.lingerTimer);
    this.subs.clear();
    await this.stopPublisher();
    const sink = this.binding;
    this.binding = this.sink = undefined;
    await (await sink)?.close();
  }
}
