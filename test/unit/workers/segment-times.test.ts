import { expect } from 'chai';
import { segmentTimes, type RunClock } from '@workers/recorder/times';

const T0 = Date.parse('2026-11-30T08:00:00.000Z');
const timing = (wallStartMs: number | null, frames = 100, jumps = 0) => ({ frames, jumps, medianFrameSec: 0.04, wallStartMs });

describe('segment times from the media', () => {
  it('anchors a run once and maps every listed segment: contiguous, ms precision, never overlapping', () => {
    const run: RunClock = { offsetMs: null, lastEndMs: null };
    const a = segmentTimes({ nameTime: new Date(T0), listed: { startSec: 1.2, endSec: 5.2 }, probeDurationSec: 4, timing: timing(T0 + 437) }, run);
    const b = segmentTimes({ nameTime: new Date(T0 + 4000), listed: { startSec: 5.2, endSec: 9.24 }, probeDurationSec: 4.04, timing: timing(T0 + 4490, 101) }, run);
    expect([a.start.toISOString(), a.end.toISOString(), b.start.toISOString(), b.end.toISOString()]).to.deep.equal([
      '2026-11-30T08:00:00.437Z', '2026-11-30T08:00:04.437Z', '2026-11-30T08:00:04.437Z', '2026-11-30T08:00:08.477Z',
    ]);
    expect(a.flags).to.deep.equal([]);
    expect(b.durationMs).to.equal(4040);
  });

  it('a long run of segments with fractional stream times stays contiguous and unflagged (no rounding drift)', () => {
    const run: RunClock = { offsetMs: null, lastEndMs: null };
    // Wall-clock stream times end anywhere within a millisecond: 10.0006 s segments.
    let at = 3.1416;
    const segs = Array.from({ length: 50 }, (_, i) => {
      const listed = { startSec: at, endSec: (at += 10.0006) };
      return segmentTimes({ nameTime: new Date(T0 + i * 10_000), listed, probeDurationSec: 10, timing: timing(T0 + i * 10_001, 250) }, run);
    });
    expect(segs.flatMap((s) => s.flags)).to.deep.equal([]);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.start.getTime()).to.equal(segs[i - 1]!.end.getTime());
    expect(segs.at(-1)!.end.getTime() - segs[0]!.start.getTime()).to.equal(Math.round(50 * 10_000.6));
  });

  it('a segment listed as starting a few ms before the last one ended (the muxer guessed its last frame) starts at that end, unflagged', () => {
    const run: RunClock = { offsetMs: null, lastEndMs: null };
    const a = segmentTimes({ nameTime: new Date(T0), listed: { startSec: 1.956094, endSec: 11.96 }, probeDurationSec: 10, timing: timing(T0, 250) }, run);
    const b = segmentTimes({ nameTime: new Date(T0 + 10_000), listed: { startSec: 11.955703, endSec: 21.958 }, probeDurationSec: 10, timing: timing(T0 + 9_999, 250) }, run);
    expect(b.flags).to.deep.equal([]);
    expect(b.start.getTime()).to.equal(a.end.getTime());
    const c = segmentTimes({ nameTime: new Date(T0 + 20_000), listed: { startSec: 21.9, endSec: 31.9 }, probeDurationSec: 10, timing: timing(T0 + 19_950, 250) }, run);
    expect(c.flags, 'back 58 ms: more than a frame').to.deep.equal(['timestamps_jumped']);
  });

  it('stream time going backwards re-anchors after the last segment and is flagged', () => {
    const run: RunClock = { offsetMs: null, lastEndMs: null };
    const a = segmentTimes({ nameTime: new Date(T0), listed: { startSec: 10, endSec: 14 }, probeDurationSec: 4, timing: timing(T0) }, run);
    const b = segmentTimes({ nameTime: new Date(T0 + 4000), listed: { startSec: 2, endSec: 6 }, probeDurationSec: 4, timing: timing(T0 + 4100) }, run);
    expect(b.start.getTime()).to.be.at.least(a.end.getTime());
    expect(b.flags).to.include('timestamps_jumped');
  });

  it('flags frames that disagree with the duration (188 frames as 0.89 s) and jumps inside the file', () => {
    const r = segmentTimes({ nameTime: new Date(T0), listed: { startSec: 0, endSec: 0.89 }, probeDurationSec: 0.89, timing: timing(T0, 188) }, { offsetMs: null, lastEndMs: null });
    expect(r.flags).to.include('frames_mismatch');
    expect(segmentTimes({ nameTime: new Date(T0), listed: null, probeDurationSec: 4, timing: timing(T0, 100, 2) }, null).flags).to.include('timestamps_jumped');
  });

  it('without prft the file name anchors the time, and says so', () => {
    const r = segmentTimes({ nameTime: new Date(T0), listed: null, probeDurationSec: 4, timing: timing(null) }, null);
    expect(r.start.getTime()).to.equal(T0);
    expect(r.flags).to.deep.equal(['time_from_name']);
  });
});
