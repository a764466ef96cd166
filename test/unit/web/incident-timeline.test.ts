import { expect } from 'chai';
import type { Timeline } from '@common/timeline';
import { playheadAt, seek, settle, startClock, toggle } from '@web/incidents/timeline/clockModel';
import { cutRequest, markedRange, markIn, markKey, markOut, NO_MARKS } from '@web/incidents/timeline/marksModel';
import { recordedAt, syncStep, type SyncInput } from '@web/incidents/timeline/syncModel';

const T = Date.parse('2026-11-30T08:00:00Z');
const w = { start: T, end: T + 60_000 };

describe('web/incidents/timeline: the shared playhead', () => {
  it('starts paused at the window start; seeks are new epochs kept inside the window', () => {
    const c = startClock(w, 0);
    expect(playheadAt(c, w, 5_000)).to.equal(T);
    const s = seek(c, w, T + 10_000.4, 100);
    expect(s).to.include({ at: T + 10_000, epoch: 1, running: false });
    expect(seek(s, w, T - 5, 0).at).to.equal(T);
    expect(seek(s, w, T + 99_000, 0).at).to.equal(w.end);
  });

  it('runs at 1x while playing, pauses where it is, and stops at the window end', () => {
    const c = toggle(seek(startClock(w, 0), w, T + 10_000, 0), w, 1_000);
    expect(c).to.include({ running: true, epoch: 1 });
    expect(playheadAt(c, w, 3_500)).to.equal(T + 12_500);
    const p = toggle(c, w, 3_500);
    expect(p).to.include({ running: false, at: T + 12_500, epoch: 1 });
    expect(playheadAt(p, w, 9_000)).to.equal(T + 12_500);
    expect(playheadAt(c, w, 999_000)).to.equal(w.end);
    expect(settle(c, w, 999_000)).to.include({ running: false, at: w.end });
    expect(settle(c, w, 2_000)).to.equal(c);
  });

  it('play from the first time starts epoch 1; play at the end starts over', () => {
    expect(toggle(startClock(w, 0), w, 0)).to.include({ running: true, epoch: 1, at: T });
    const end = seek(startClock(w, 0), w, w.end, 0);
    expect(toggle(end, w, 0)).to.include({ running: true, epoch: 2, at: T });
  });
});

describe('web/incidents/timeline: keeping a player on the playhead', () => {
  const base: SyncInput = { playhead: T, running: true, epoch: 1, recorded: true, startedEpoch: 1, loading: false, wall: T, paused: false, seeking: false, ended: false };
  const step = (o: Partial<SyncInput>) => syncStep({ ...base, ...o });

  it('does nothing before the first scrub, holds where nothing was recorded', () => {
    expect(step({ epoch: 0, startedEpoch: null })).to.deep.equal({ kind: 'none' });
    expect(step({ recorded: false })).to.deep.equal({ kind: 'hold' });
  });

  it('starts a playlist from the playhead after a scrub or when its playlist ended, and waits while it opens', () => {
    expect(step({ epoch: 2, playhead: T + 5 })).to.deep.equal({ kind: 'start', at: T + 5 });
    expect(step({ startedEpoch: null })).to.deep.equal({ kind: 'start', at: T });
    expect(step({ ended: true })).to.deep.equal({ kind: 'start', at: T });
    expect(step({ loading: true, wall: null })).to.deep.equal({ kind: 'none' });
    expect(step({ wall: null })).to.deep.equal({ kind: 'none' });
    expect(step({ seeking: true, wall: T + 9_000 })).to.deep.equal({ kind: 'none' });
  });

  it('seeks by the program-date-time drift: 1 s of slack while playing, to the frame while paused', () => {
    expect(step({ wall: T + 800 })).to.deep.equal({ kind: 'none' });
    expect(step({ wall: T + 3_000 })).to.deep.equal({ kind: 'seek', by: -3_000 });
    expect(step({ wall: T - 1_500 })).to.deep.equal({ kind: 'seek', by: 1_500 });
    expect(step({ running: false, paused: true, wall: T + 400 })).to.deep.equal({ kind: 'seek', by: -400 });
    expect(step({ running: false, paused: true, wall: T + 100 })).to.deep.equal({ kind: 'none' });
  });

  it('plays and pauses with the playhead', () => {
    expect(step({ paused: true })).to.deep.equal({ kind: 'play' });
    expect(step({ running: false })).to.deep.equal({ kind: 'pause' });
  });

  it('recorded means inside a span', () => {
    const tl: Timeline = { spans: [{ from: new Date(T).toISOString(), to: new Date(T + 4_000).toISOString() }], gaps: [{ from: new Date(T + 4_000).toISOString(), to: new Date(T + 8_000).toISOString(), cause: 'camera_offline' }] };
    expect(recordedAt(tl, T)).to.equal(true);
    expect(recordedAt(tl, T + 3_999)).to.equal(true);
    expect(recordedAt(tl, T + 4_000)).to.equal(false);
    expect(recordedAt(tl, T - 1)).to.equal(false);
  });
});

describe('web/incidents/timeline: in and out marks', () => {
  it('a range needs both ends in order; marking past the other end drops it', () => {
    const m = markOut(markIn(NO_MARKS, T + 1_000), T + 5_000);
    expect(markedRange(m)).to.deep.equal({ start: T + 1_000, end: T + 5_000 });
    expect(markIn(m, T + 6_000)).to.deep.equal({ in: T + 6_000, out: null });
    expect(markOut(m, T + 500)).to.deep.equal({ in: null, out: T + 500 });
    expect(markOut(m, T + 1_000)).to.deep.equal({ in: null, out: T + 1_000 });
    expect(markedRange(markIn(NO_MARKS, T))).to.equal(null);
  });

  it('one request for all cameras over the marked range', () => {
    expect(cutRequest(['a', 'b'], { start: T, end: T + 2_500 })).to.deep.equal({ cameraIds: ['a', 'b'], from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T08:00:02.500Z' });
  });

  it('keys I and O, not with modifiers or while typing', () => {
    const k = (key: string, o: Partial<Parameters<typeof markKey>[0]> = {}) => markKey({ key, ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'BODY' }, ...o });
    expect(k('i')).to.equal('in');
    expect(k('I')).to.equal('in');
    expect(k('o')).to.equal('out');
    expect(k('p')).to.equal(null);
    expect(k('i', { ctrlKey: true })).to.equal(null);
    expect(k('o', { target: { tagName: 'INPUT' } })).to.equal(null);
    expect(k('o', { target: { tagName: 'INPUT', type: 'search' } })).to.equal(null);
    expect(k('o', { target: { tagName: 'INPUT', type: 'checkbox' } })).to.equal('out');
    expect(k('i', { target: { tagName: 'SELECT' } })).to.equal(null);
    expect(k('o', { target: { tagName: 'DIV', isContentEditable: true } })).to.equal(null);
    expect(k('i', { target: null })).to.equal('in');
  });
});
