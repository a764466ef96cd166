/**
 * The simulator's replay path: H.264 access units packetised once (RFC 6184 FU-A), stamped per
 * camera, and a source that plays them at the clip's frame rate with continuous sequence numbers
 * and timestamps, a clock that can be reset, and frames skipped (not burst) after a long stall.
 * ffmpeg reading these streams is covered by test/integration/sim/replay.test.ts.
 */
import { expect } from 'chai';
import { accessUnits, forEachPacket, frameTemplate, nalPayloads, senderReport, stampFrame } from '@sim/media/rtp-h264';
import type { ReplayClip } from '@sim/media/replay-clip';
import { ReplaySource, type FrameDriver, type Ticking } from '@sim/rtsp/replay-source';

const SC = Buffer.from([0, 0, 0, 1]);
const nal = (header: number, second: number, len: number) => Buffer.concat([Buffer.from([header, second]), Buffer.alloc(len - 2, 0x5a)]);
const annexB = (...nals: Buffer[]) => Buffer.concat(nals.flatMap((n) => [SC, n]));
const types = (aus: Buffer[][]) => aus.map((au) => au.map((n) => n[0]! & 0x1f));

interface Packet {
  seq: number;
  ts: number;
  ssrc: number;
  marker: boolean;
  pt: number;
  payload: Buffer;
}
const parse = (p: Buffer): Packet => ({
  seq: p.readUInt16BE(2), ts: p.readUInt32BE(4), ssrc: p.readUInt32BE(8), marker: (p[1]! & 0x80) !== 0, pt: p[1]! & 0x7f, payload: Buffer.from(p.subarray(12)),
});

/** Reassemble FU-A fragments and single NAL packets back into NAL units. */
function depacketise(payloads: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let fu: Buffer[] = [];
  for (const p of payloads) {
    if ((p[0]! & 0x1f) !== 28) {
      out.push(p);
      continue;
    }
    if (p[1]! & 0x80) fu = [Buffer.from([(p[0]! & 0xe0) | (p[1]! & 0x1f)])];
    fu.push(p.subarray(2));
    if (p[1]! & 0x40) out.push(Buffer.concat(fu));
  }
  return out;
}

describe('sim replay: RTP packetising (pure)', () => {
  it('groups NAL units into frames: parameter sets and SEI open a frame, a second slice does not', () => {
    const aus = accessUnits(annexB(
      nal(0x06, 0x05, 20), nal(0x67, 0x4d, 10), nal(0x68, 0xee, 4), nal(0x65, 0x88, 50), // SEI SPS PPS IDR
      nal(0x41, 0x9a, 30), nal(0x41, 0x40, 30), // P frame in two slices (first_mb 0, then not 0)
      nal(0x41, 0x9a, 30),
      nal(0x67, 0x4d, 10), nal(0x68, 0xee, 4), nal(0x65, 0x88, 40),
    ));
    expect(types(aus)).to.deep.equal([[6, 7, 8, 5], [1, 1], [1], [7, 8, 5]]);
  });

  it('sends a NAL unit that fits as it is and a larger one as FU-A fragments that reassemble exactly', () => {
    const small = nal(0x41, 0x9a, 1460);
    expect(nalPayloads(small)).to.deep.equal([small]);
    const big = Buffer.concat([Buffer.from([0x65]), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251))]);
    const parts = nalPayloads(big);
    expect(parts.length).to.equal(4);
    expect(parts.every((p) => p.length <= 1460)).to.equal(true);
    expect(parts.map((p) => p[1]! & 0xc0)).to.deep.equal([0x80, 0, 0, 0x40]);
    expect(depacketise(parts)).to.deep.equal([big]);
  });

  it('stamps a frame: consecutive sequence numbers (wrapping), one timestamp, the SSRC, the marker on the last packet', () => {
    const t = frameTemplate([nal(0x67, 0x4d, 10), nal(0x68, 0xee, 4), Buffer.concat([Buffer.from([0x65]), Buffer.alloc(3000, 7)])], 96);
    expect(t.keyframe).to.equal(true);
    const run = stampFrame(t, 0xfffe, 0x1_0000_0005, 0xdeadbeef);
    const pkts: Packet[] = [];
    forEachPacket(run, (p) => pkts.push(parse(p)));
    expect(pkts.map((p) => p.seq)).to.deep.equal([0xfffe, 0xffff, 0, 1, 2]);
    expect(new Set(pkts.map((p) => p.ts))).to.deep.equal(new Set([5]));
    expect(pkts.every((p) => p.ssrc === 0xdeadbeef && p.pt === 96)).to.equal(true);
    expect(pkts.map((p) => p.marker)).to.deep.equal([false, false, false, false, true]);
    expect(run[0]).to.equal(0x24);
    expect(t.data.readUInt16BE(t.headers[0]! + 2)).to.equal(0); // the shared template is untouched
    expect(depacketise(pkts.map((p) => p.payload)).map((n) => n[0]! & 0x1f)).to.deep.equal([7, 8, 5]);
  });

  it('writes an RTCP sender report with NTP time (seconds since 1900) and the RTP time', () => {
    const sr = senderReport(7, Date.UTC(2026, 11, 3, 0, 0, 0, 500), 1234, 10, 2000);
    expect([sr[0], sr[1], sr.readUInt16BE(2), sr.readUInt32BE(4)]).to.deep.equal([0x80, 200, 6, 7]);
    expect(sr.readUInt32BE(8)).to.equal(Date.UTC(2026, 11, 3) / 1000 + 2_208_988_800);
    expect(sr.readUInt32BE(12)).to.equal(2 ** 31);
    expect([sr.readUInt32BE(16), sr.readUInt32BE(20), sr.readUInt32BE(24)]).to.deep.equal([1234, 10, 2000]);
  });
});

describe('sim replay: the source', () => {
  const clip: ReplayClip = {
    fps: 25,
    payloadType: 96,
    frames: [
      frameTemplate([nal(0x67, 0x4d, 10), nal(0x65, 0x88, 2000)], 96),
      frameTemplate([nal(0x41, 0x9a, 100)], 96),
      frameTemplate([nal(0x41, 0x9a, 100)], 96),
    ],
  };
  class Driver implements FrameDriver {
    members = new Set<Ticking>();
    add(m: Ticking) { this.members.add(m); }
    remove(m: Ticking) { this.members.delete(m); }
  }
  const collect = () => {
    const pkts: Packet[] = [];
    let reports = 0;
    return { pkts, reports: () => reports, sub: { rtp: () => undefined, rtpRun: (r: Buffer) => forEachPacket(r, (p) => pkts.push(parse(p))), rtcp: () => void (reports += 1) } };
  };

  it('plays from the first (key) frame at the clip rate, looping, with continuous numbering; stops after the linger', async () => {
    const driver = new Driver();
    const src = new ReplaySource(clip, 20, driver);
    const c = collect();
    await src.subscribe(c.sub);
    expect(c.pkts, 'nothing before the clock ticks (PLAY is answered first)').to.have.length(0);
    const t0 = performance.now();
    src.tick(t0 + 1);
    src.tick(t0 + 200); // 40 ms a frame: frames 1..5 due by now
    const frames = [...new Set(c.pkts.map((p) => p.ts))];
    expect(frames.length).to.equal(6);
    expect(frames.slice(1).map((ts, i) => (ts - frames[i]! + 2 ** 32) % 2 ** 32)).to.deep.equal([3600, 3600, 3600, 3600, 3600]);
    expect(c.pkts.slice(1).every((p, i) => p.seq === ((c.pkts[i]!.seq + 1) & 0xffff))).to.equal(true);
    expect(c.pkts[0]!.payload[0]! & 0x1f, 'starts with the keyframe').to.equal(7);
    expect(c.pkts.filter((p) => (p.payload[0]! & 0x1f) === 7)).to.have.length(2); // looped back to frame 0
    expect(c.reports()).to.equal(1);
    src.unsubscribe(c.sub);
    await new Promise((r) => setTimeout(r, 50));
    expect(driver.members.size).to.equal(0);
    await src.close();
  });

  it('resets its clock to the first timestamp, and skips frames instead of bursting after a long stall', async () => {
    const driver = new Driver();
    const src = new ReplaySource(clip, 20, driver);
    const c = collect();
    await src.subscribe(c.sub);
    const t0 = performance.now();
    src.tick(t0 + 100);
    const first = c.pkts[0]!.ts;
    src.resetClock();
    c.pkts.length = 0;
    src.tick(t0 + 130);
    expect(c.pkts[0]!.ts).to.equal(first);
    expect(src.clockResets).to.equal(1);
    c.pkts.length = 0;
    src.tick(t0 + 10_130); // 10 s without a tick
    const frames = new Set(c.pkts.map((p) => p.ts));
    expect(frames.size, 'one frame, not 250 at once').to.equal(1);
    expect((c.pkts.at(-1)!.ts - first + 2 ** 32) % 2 ** 32, 'timestamps still follow the wall clock').to.be.closeTo(10_000 * 90, 3600 * 2);
    await src.close();
  });
});
