/**
 * Watches the RTP timestamps of TCP-interleaved frames relayed by the proxy and says when one
 * channel's clock jumps backwards (a camera restarting its stream clock, e.g. when another client
 * joins). Pure; B-frame reordering (a few frames back) stays below the threshold.
 */
export interface ClockJump {
  channel: number;
  /** How far back, in RTP clock ticks. */
  ticks: number;
}

export class RtpClockWatch {
  private readonly last = new Map<number, number>();

  constructor(private readonly thresholdTicks = 90_000) {}

  /** A run of interleaved frames as the framer hands them out; the first jump in it, if any. */
  frames(run: Buffer): ClockJump | null {
    let jump: ClockJump | null = null;
    for (let at = 0; at + 4 <= run.length && run[at] === 0x24; ) {
      const end = at + 4 + run.readUInt16BE(at + 2);
      if (end > run.length) break;
      jump ??= this.frame(run.subarray(at, end));
      at = end;
    }
    return jump;
  }

  /** `raw` is one interleaved frame: '$', channel, 16-bit length, then the RTP packet. */
  frame(raw: Buffer): ClockJump | null {
    if (raw.length < 16 || raw[0] !== 0x24) return null;
    const channel = raw[1]!;
    if (channel % 2 !== 0 || raw[4]! >> 6 !== 2) return null; // odd channels carry RTCP
    const pt = raw[5]! & 0x7f;
    if (pt >= 72 && pt <= 76) return null; // RTCP sent on an RTP channel
    const ts = raw.readUInt32BE(8);
    const prev = this.last.get(channel);
    this.last.set(channel, ts);
    if (prev === undefined) return null;
    const delta = (ts - prev) | 0; // signed 32-bit difference, wrap-around safe
    return delta < -this.thresholdTicks ? { channel, ticks: -delta } : null;
  }
}
