/**
 * One stream played from memory: the clip's frames were packetised once (media/replay-clip.ts);
 * each frame is stamped with this stream's sequence numbers, timestamp and SSRC and handed to
 * every subscriber as one run (a camera sends a frame's packets as one burst), 25 times a second,
 * looping. No process per camera: 100 cameras cost the simulator a few percent of a core.
 * Starts at the clip's first frame (an IDR) with the first subscriber, stops `lingerMs` after the
 * last one leaves. RTCP sender reports every 5 s. resetClock() makes the timestamps jump back to
 * their first value (the clock-reset fault), as StreamSource does.
 */
import { randomInt } from 'node:crypto';
import type { ReplayClip } from '../media/replay-clip';
import { senderReport, stampFrame } from '../media/rtp-h264';
import type { MediaSource, Subscriber } from './source';

const CLOCK_RATE = 90_000;
const SR_EVERY_MS = 5000;
/** Behind by more than this (a stopped process, a busy machine): skip frames instead of bursting. */
const MAX_LAG_MS = 1000;

export interface Ticking {
  tick(now: number): void;
}

/** What drives the frames: the shared 5 ms clock below, or a test's own. */
export interface FrameDriver {
  add(m: Ticking): void;
  remove(m: Ticking): void;
}

/** One timer for every playing stream of the process (a 5 ms tick, each stream at its own phase). */
class FrameClock implements FrameDriver {
  private readonly members = new Set<Ticking>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly everyMs = 5) {}

  add(m: Ticking): void {
    this.members.add(m);
    if (this.timer) return;
    this.timer = setInterval(() => {
      const now = performance.now();
      for (const x of this.members) x.tick(now);
    }, this.everyMs);
    this.timer.unref();
  }

  remove(m: Ticking): void {
    this.members.delete(m);
    if (this.members.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

const sharedClock = new FrameClock();

export class ReplaySource implements MediaSource, Ticking {
  readonly payloadType: number;
  readonly publisherPid = undefined;
  clockResets = 0;
  private readonly subs = new Set<Subscriber>();
  private readonly interval: number;
  private readonly tsStep: number;
  private readonly ssrc = randomInt(2 ** 32 - 1);
  private readonly tsBase = randomInt(2 ** 32 - 1);
  private seq = randomInt(0x10000);
  private playing = false;
  private closed = false;
  private lingerTimer?: NodeJS.Timeout;
  /** Due time of the next frame (performance.now()), its index in the clip, frames since the clock's start. */
  private due = 0;
  private pos = 0;
  private sent = 0;
  private packets = 0;
  private octets = 0;
  private lastReport = -Infinity;

  constructor(
    private readonly clip: ReplayClip,
    private readonly lingerMs = 5000,
    private readonly clock: FrameDriver = sharedClock,
  ) {
    this.payloadType = clip.payloadType;
    this.interval = 1000 / clip.fps;
    this.tsStep = CLOCK_RATE / clip.fps;
  }

  async subscribe(s: Subscriber): Promise<void> {
    if (this.closed) throw new Error('source closed');
    clearTimeout(this.lingerTimer);
    this.subs.add(s);
    if (this.playing) return;
    this.playing = true;
    this.pos = 0;
    // The first frame goes with the clock's next tick: after the server has answered PLAY.
    this.due = performance.now();
    this.clock.add(this);
  }

  unsubscribe(s: Subscriber): void {
    this.subs.delete(s);
    if (this.subs.size > 0) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => this.stop(), this.lingerMs);
    this.lingerTimer.unref();
  }

  resetClock(): void {
    if (this.sent === 0) return;
    this.sent = 0;
    this.clockResets += 1;
  }

  tick(now: number): void {
    if (now - this.due > MAX_LAG_MS) {
      const skip = Math.floor((now - this.due) / this.interval);
      this.pos = (this.pos + skip) % this.clip.frames.length;
      this.sent += skip;
      this.due += skip * this.interval;
    }
    while (now >= this.due) {
      this.sendFrame();
      this.due += this.interval;
    }
  }

  private sendFrame(): void {
    const tpl = this.clip.frames[this.pos]!;
    const ts = (this.tsBase + this.sent * this.tsStep) >>> 0;
    const wall = Date.now();
    if (wall - this.lastReport >= SR_EVERY_MS) {
      // As ffmpeg's RTP muxer: a report before the first packet, so receivers map time at once.
      this.lastReport = wall;
      const sr = senderReport(this.ssrc, wall, ts, this.packets, this.octets);
      for (const s of this.subs) s.rtcp(sr);
    }
    const run = stampFrame(tpl, this.seq, ts, this.ssrc);
    this.seq = (this.seq + tpl.headers.length) & 0xffff;
    this.packets += tpl.headers.length;
    this.octets += run.length - tpl.headers.length * 16;
    this.pos = (this.pos + 1) % this.clip.frames.length;
    this.sent += 1;
    for (const s of this.subs) s.rtpRun(run);
  }

  private stop(): void {
    clearTimeout(this.lingerTimer);
    this.clock.remove(this);
    this.playing = false;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    this.stop();
  }
}
