import { expect } from 'chai';
import { computeLedger, coverageOf, type LedgerInput, type StatusEvent } from '@server/ledger/ledger';
import { STATUS_CAUSES } from '@common/causes';

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const s = (sec: number) => T0 + sec * 1000;
/** Consecutive 10 s segments covering [a, b) seconds. */
const segs = (a: number, b: number) => Array.from({ length: Math.ceil((b - a) / 10) }, (_, i) => ({ start: s(a + i * 10), end: s(Math.min(b, a + i * 10 + 10)) }));
const ev = (sec: number, status: string, workerId: string | null = 'w1', cause: string | null = null): StatusEvent => ({ at: s(sec), status, cause, workerId });

const base = (over: Partial<LedgerInput>): LedgerInput => ({ from: s(0), to: s(300), now: s(1000), segments: [], history: [], ...over });

describe('recording-continuity ledger', () => {
  it('merges touching segments into spans and finds one gap with exact bounds', () => {
    const l = computeLedger(base({ segments: [...segs(0, 100), ...segs(130, 300)], history: [ev(-50, 'live'), ev(101, 'reconnecting'), ev(104, 'unreachable', 'w1', 'connection refused'), ev(125, 'starting'), ev(128, 'live')] }));
    expect(l.spans).to.deep.equal([{ start: s(0), end: s(100) }, { start: s(130), end: s(300) }]);
    expect(l.gaps).to.deep.equal([{ start: s(100), end: s(130), cause: 'camera_offline' }]);
    expect(coverageOf(l)).to.be.closeTo(270 / 300, 1e-9);
  });

  it('tolerates sub-second holes at segment cuts', () => {
    const l = computeLedger(base({ segments: [{ start: s(0), end: s(10) }, { start: s(10.8), end: s(300) }], history: [ev(-1, 'live')] }));
    expect(l.gaps).to.have.length(0);
    expect(l.spans).to.have.length(1);
  });

  it('a wrong password outranks the reconnecting before it', () => {
    const l = computeLedger(base({ segments: [...segs(0, 50), ...segs(90, 300)], history: [ev(-5, 'live'), ev(51, 'reconnecting'), ev(53, 'auth_failed', 'w1', '401 Unauthorized'), ev(85, 'starting'), ev(88, 'live')] }));
    expect(l.gaps.map((g) => g.cause)).to.deep.equal(['auth_failed']);
  });

  it('a worker that died: Sky Eye marks the camera offline, another worker takes over', () => {
    const l = computeLedger(
      base({
        segments: [...segs(0, 60), ...segs(95, 300)],
        history: [ev(-5, 'live', 'w1'), ev(75, 'offline', null, STATUS_CAUSES.workerLost), ev(90, 'starting', 'w2'), ev(93, 'live', 'w2')],
      }),
    );
    expect(l.gaps).to.deep.equal([{ start: s(60), end: s(95), cause: 'worker_lost' }]);
  });

  it('a takeover with no offline in between (a planned handover) is a worker restart', () => {
    const l = computeLedger(base({ segments: [...segs(0, 60), ...segs(80, 300)], history: [ev(-5, 'live', 'w1'), ev(75, 'starting', 'w2'), ev(78, 'live', 'w2')] }));
    expect(l.gaps.map((g) => g.cause)).to.deep.equal(['worker_restart']);
  });

  it('a worker that said it stopped: worker restart', () => {
    const l = computeLedger(base({ segments: [...segs(0, 60), ...segs(80, 300)], history: [ev(-5, 'live', 'w1'), ev(61, 'offline', 'w1', STATUS_CAUSES.workerStopped), ev(75, 'starting', 'w1'), ev(78, 'live', 'w1')] }));
    expect(l.gaps.map((g) => g.cause)).to.deep.equal(['worker_restart']);
  });

  it('stalled, disabled, and live with nothing indexed', () => {
    const l = computeLedger(
      base({
        segments: [...segs(0, 20), ...segs(40, 60), ...segs(100, 120), ...segs(150, 300)],
        history: [ev(-5, 'live'), ev(22, 'stalled'), ev(38, 'live'), ev(70, 'disabled', 'w1', 'camera disabled'), ev(95, 'starting'), ev(98, 'live')],
      }),
    );
    expect(l.gaps.map((g) => g.cause)).to.deep.equal(['stalled', 'disabled', 'upload_backlog']);
  });

  it('the segment being written now is in progress, not a loss; the window stops at now', () => {
    const l = computeLedger(base({ from: s(0), to: s(2000), now: s(305), segments: segs(0, 300), history: [ev(-5, 'live')], openSegmentMs: 15_000 }));
    expect(l.window.end).to.equal(s(305));
    expect(l.gaps).to.deep.equal([{ start: s(300), end: s(305), cause: 'in_progress' }]);
    const stopped = computeLedger(base({ from: s(0), to: s(2000), now: s(400), segments: segs(0, 300), history: [ev(-5, 'live'), ev(301, 'unreachable')], openSegmentMs: 15_000 }));
    expect(stopped.gaps).to.deep.equal([{ start: s(300), end: s(400), cause: 'camera_offline' }]);
  });

  it('drop records and the retention horizon split a gap exactly', () => {
    const l = computeLedger(
      base({
        from: s(0),
        to: s(300),
        now: s(0) + 86_400_000 + 50_000,
        retentionDays: 1,
        segments: segs(200, 300),
        history: [ev(-5, 'live')],
        drops: [{ start: s(100), end: s(160), reason: 'disk_guard' }],
      }),
    );
    expect(l.gaps).to.deep.equal([
      { start: s(0), end: s(50), cause: 'retention' },
      { start: s(50), end: s(100), cause: 'upload_backlog' },
      { start: s(100), end: s(160), cause: 'disk_guard' },
      { start: s(160), end: s(200), cause: 'upload_backlog' },
    ]);
  });

  it('nothing before the camera existed; no history is unknown', () => {
    const l = computeLedger(base({ createdAt: s(100), segments: segs(150, 300) }));
    expect(l.window.start).to.equal(s(100));
    expect(l.gaps).to.deep.equal([{ start: s(100), end: s(150), cause: 'unknown' }]);
  });
});
