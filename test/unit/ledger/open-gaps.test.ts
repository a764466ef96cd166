/**
 * The open gaps (server/ledger/open-gaps.ts) over fake ports: a gap's start stays where recording
 * stopped however long ago, each camera's cause is worked out once and kept until its segment or
 * status changes (or REFRESH_MS passes), and many cameras cost a query per batch, not per camera.
 */
import { expect } from 'chai';
import type { StatusEvent } from '@server/ledger/ledger';
import { OpenGaps, REFRESH_MS } from '@server/ledger/open-gaps';
import type { QuietCamera } from '@server/ledger/status-source';

const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const DAY = 86_400_000;
const THRESHOLD = 120_000;

function fixture() {
  const quiet = new Map<string, QuietCamera>();
  const history = new Map<string, StatusEvent[]>();
  const calls = { quiet: 0, histories: 0, historyCameras: 0, drops: 0 };
  const gaps = new OpenGaps({
    openSegmentMs: 16_000,
    status: {
      quietRecordingCameras: async () => (calls.quiet++, [...quiet.values()]),
      histories: async (windows) => {
        calls.histories++;
        calls.historyCameras += windows.length;
        return new Map(windows.map((w) => [w.cameraId, (history.get(w.cameraId) ?? []).filter((e, i, all) => e.at > w.from.getTime() || all[i + 1] === undefined || all[i + 1]!.at > w.from.getTime())]));
      },
    },
    index: { dropsOf: async () => (calls.drops++, new Map()) },
  });
  const setQuiet = (id: string, lastEnd: number | null, events: StatusEvent[], createdAt = T0 - 40 * DAY) => {
    const last = events[events.length - 1];
    quiet.set(id, { id, ownerUserId: null, since: Math.max(lastEnd ?? 0, createdAt), statusKey: `${last?.status}|${last?.cause}|${last?.at}` });
    history.set(id, events);
  };
  return { gaps, calls, setQuiet, quiet };
}

const ev = (at: number, status: string, cause: string | null = null): StatusEvent => ({ at, status, cause, workerId: 'w1' });

describe('open recording gaps', () => {
  it('a camera quiet for three days keeps the same start from pass to pass', async () => {
    const f = fixture();
    const stopped = T0 - 3 * DAY;
    f.setQuiet('a', stopped, [ev(stopped + 1_000, 'unreachable', 'connection refused')]);
    const first = await f.gaps.list(THRESHOLD, new Date(T0));
    const later = await f.gaps.list(THRESHOLD, new Date(T0 + 15_000));
    expect(first.map((g) => [g.since.getTime(), g.cause])).to.deep.equal([[stopped, 'camera_offline']]);
    expect(later.map((g) => [g.since.getTime(), g.cause])).to.deep.equal([[stopped, 'camera_offline']]);
    expect(later[0]!.ms).to.equal(T0 + 15_000 - stopped);
  });

  it('passes asked for at once (the gap alert and the alarm evaluator) take turns: neither loses the cameras the other worked out', async () => {
    const f = fixture();
    for (let i = 0; i < 1_200; i++) f.setQuiet(`c${i}`, T0 - 600_000, [ev(T0 - 590_000, 'offline')]);
    await f.gaps.list(THRESHOLD, new Date(T0));
    // Passes far enough apart not to reuse a list, started together: one must not drop what the other keeps.
    for (let i = 0; i < 1_200; i += 3) f.setQuiet(`c${i}`, T0 - 600_000, [ev(T0 - 590_000, 'offline'), ev(T0 + 1, 'unreachable', 'timeout')]);
    const [a, b] = await Promise.all([f.gaps.list(THRESHOLD, new Date(T0 + 15_000)), f.gaps.list(THRESHOLD, new Date(T0 + 30_000))]);
    expect(a, 'the first pass').to.have.length(1_200);
    expect(b, 'the second pass').to.have.length(1_200);
    expect((await f.gaps.list(THRESHOLD, new Date(T0 + 45_000))).length, 'the pass after').to.equal(1_200);
  });

  it('works each cause out once, again when the camera changes status, and after REFRESH_MS', async () => {
    const f = fixture();
    for (let i = 0; i < 1_200; i++) f.setQuiet(`c${i}`, T0 - 600_000, [ev(T0 - 590_000, 'offline')]);
    await f.gaps.list(THRESHOLD, new Date(T0));
    expect(f.calls.historyCameras).to.equal(1_200);
    expect(f.calls.histories, 'batches, not a query per camera').to.equal(3);
    await f.gaps.list(THRESHOLD, new Date(T0 + 15_000));
    expect(f.calls.historyCameras, 'nothing changed: nothing looked up').to.equal(1_200);

    f.setQuiet('c7', T0 - 600_000, [ev(T0 - 590_000, 'offline'), ev(T0 + 20_000, 'auth_failed', '401')]);
    const after = await f.gaps.list(THRESHOLD, new Date(T0 + 30_000));
    expect(f.calls.historyCameras).to.equal(1_201);
    expect(after.find((g) => g.camera.id === 'c7')?.cause).to.equal('auth_failed');
    expect(after.find((g) => g.camera.id === 'c8')?.cause).to.equal('camera_offline');

    await f.gaps.list(THRESHOLD, new Date(T0 + REFRESH_MS));
    expect(f.calls.historyCameras, 'refreshed, all but c7 (worked out 30 s later)').to.equal(2_400);
    expect(f.calls.quiet).to.equal(4);
  });

  it('a camera that records again drops out; one created recently counts from its creation', async () => {
    const f = fixture();
    f.setQuiet('a', T0 - 600_000, [ev(T0 - 590_000, 'offline')]);
    f.setQuiet('new', null, [], T0 - 300_000);
    expect((await f.gaps.list(THRESHOLD, new Date(T0))).map((g) => [g.camera.id, g.since.getTime(), g.cause])).to.deep.equal([
      ['a', T0 - 600_000, 'camera_offline'],
      ['new', T0 - 300_000, 'unknown'],
    ]);
    f.quiet.delete('a');
    expect((await f.gaps.list(THRESHOLD, new Date(T0 + 15_000))).map((g) => g.camera.id)).to.deep.equal(['new']);
  });

  it('the gap alert and the alarm evaluator asking within half a check period share one query', async () => {
    const f = fixture();
    f.setQuiet('a', T0 - 600_000, [ev(T0 - 590_000, 'offline')]);
    const first = await f.gaps.list(THRESHOLD, new Date(T0));
    expect(await f.gaps.list(THRESHOLD, new Date(T0 + 7_000))).to.equal(first);
    expect(f.calls.quiet).to.equal(1);
    await f.gaps.list(THRESHOLD, new Date(T0 + 7_500));
    expect(f.calls.quiet).to.equal(2);
  });
});
