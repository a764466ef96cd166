import { expect } from 'chai';
import { RtpClockWatch } from '@workers/rtsp-auth-proxy/rtp-clock';

/** One interleaved frame: '$', channel, length, RTP header (v2, PT 96) with timestamp `ts`. */
function frame(channel: number, ts: number, pt = 96): Buffer {
  const rtp = Buffer.alloc(12 + 4);
  rtp[0] = 0x80;
  rtp[1] = pt;
  rtp.writeUInt32BE(ts >>> 0, 4);
  return Buffer.concat([Buffer.from([0x24, channel, rtp.length >> 8, rtp.length & 0xff]), rtp]);
}

describe('workers/rtsp-auth-proxy RTP clock watch', () => {
  it('says when a channel clock jumps backwards by more than a second of 90 kHz', () => {
    const w = new RtpClockWatch();
    expect(w.frame(frame(0, 1_000_000))).to.equal(null);
    expect(w.frame(frame(0, 1_003_600))).to.equal(null);
    expect(w.frame(frame(0, 1_000_000)), 'B-frame-sized step back').to.equal(null);
    expect(w.frame(frame(0, 10))).to.deep.equal({ channel: 0, ticks: 999_990 });
    expect(w.frame(frame(0, 3_610))).to.equal(null);
  });
  it('wraps around 2^32 without calling it a jump; ignores RTCP channels', () => {
    const w = new RtpClockWatch();
    w.frame(frame(0, 0xffff_f000));
    expect(w.frame(frame(0, 0x0000_1000))).to.equal(null);
    w.frame(frame(1, 5_000_000));
    expect(w.frame(frame(1, 0))).to.equal(null);
  });
  it('finds a jump inside a run of frames', () => {
    const w = new RtpClockWatch();
    expect(w.frames(Buffer.concat([frame(0, 900_000), frame(2, 50), frame(0, 903_600)]))).to.equal(null);
    expect(w.frames(Buffer.concat([frame(2, 90), frame(0, 3_600), frame(0, 7_200)]))).to.deep.equal({ channel: 0, ticks: 900_000 });
  });
});
