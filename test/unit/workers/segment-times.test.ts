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
