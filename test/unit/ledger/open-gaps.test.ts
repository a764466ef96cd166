/**
 * The open gaps (server/ledger/open-gaps.ts) over fake ports: a gap's start stays where recording
 * stopped however long ago, each camera's cause is worked out once and kept until its segment or
 * status changes (or REFRESH_MS passes), many cameras cost a query per batch, not per camera, and a
 * live camera whose every segment is dropped has an open gap named after its drops.
 */
import { expect } from 'chai';
import type { DropRecord, StatusEvent } from '@server/ledger/ledger';
import { OpenGaps, REFRESH_MS, openGapCause } from '@server/ledger/open-gaps';
import type { QuietCamera } from '@server/ledger/status-source';

const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const DAY = 86_400_000;
const THRESHOLD = 120_000;

function fixture() {
  const quiet = new Map<string, QuietCamera>();
  const history = new Map<string, StatusEvent[]>();
  const drops = new Map<string, DropRecord[]>();
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
    index: {
      dropsOf: async (windows, to) => {
        calls.drops++;
        return new Map(windows.map((w) => [w.cameraId, (drops.get(w.cameraId) ?? []).filter((d) => d.end > w.from.getTime() && d.start < to.getTime())]));
      },
    },
  });
  const setQuiet = (id: string, lastEnd: number | null, events: StatusEvent[], createdAt = T0 - 40 * DAY) => {
    const last = events[events.length - 1];
    quiet.set(id, { id, ownerUserId: null, since: Math.max(lastEnd ?? 0, createdAt), statusKey: `${last?.status}|${last?.cause}|${last?.at}` });
    history.set(id, events);
  };
  return { gaps, calls, setQuiet, quiet, drops };
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

describe('open recording gaps of a live camera whose segments are dropped', () => {
  const SEG = 6_000;
  /** A drop record for every 6 s segment in [from, to). */
  const dropsOf = (from: number, to: number, reason: DropRecord['reason']) => {
    const out: DropRecord[] = [];
    for (let s = from; s + SEG <= to; s += SEG) out.push({ start: s, end: s + SEG, reason });
    return out;
  };

  for (const reason of ['invalid', 'disk_guard'] as const) {
    it(`every segment dropped (${reason}) for an hour: one gap from the last kept segment, named after the drops`, async () => {
      const f = fixture();
      const stopped = T0 - 3_600_000;
      f.setQuiet('a', stopped, [ev(stopped - 60_000, 'live')]);
      // The last drop closed 3 s ago: the segment after it is being written (a short trailing part, in progress).
      f.drops.set('a', dropsOf(stopped, T0 - 3_000, reason));
      const out = await f.gaps.list(THRESHOLD, new Date(T0));
      expect(out.map((g) => [g.camera.id, g.since.getTime(), g.cause, g.ms])).to.deep.equal([['a', stopped, reason, 3_600_000]]);
    });
  }

  it('drops that began after a while without segments: still the drops', async () => {
    const f = fixture();
    const stopped = T0 - 600_000;
    f.setQuiet('a', stopped, [ev(stopped - 60_000, 'live')]);
    f.drops.set('a', dropsOf(T0 - 300_000, T0 - 2_000, 'disk_guard'));
    expect((await f.gaps.list(THRESHOLD, new Date(T0))).map((g) => [g.since.getTime(), g.cause])).to.deep.equal([[stopped, 'disk_guard']]);
  });

  it('the segment being written right after the last kept one is not a gap (a threshold shorter than a segment)', async () => {
    const f = fixture();
    f.setQuiet('a', T0 - 10_000, [ev(T0 - 60_000, 'live')]);
    expect(await f.gaps.list(5_000, new Date(T0))).to.deep.equal([]);
  });

  it('the cause of an open gap from its parts: a trailing in-progress part is the gap only when it is all of it', () => {
    const part = (start: number, end: number, cause: Parameters<typeof openGapCause>[0][number]['cause']) => ({ start, end, cause });
    expect(openGapCause([]), 'no gap').to.equal(null);
    expect(openGapCause([part(0, 5_000, 'in_progress')]), 'right after a kept segment').to.equal('in_progress');
    expect(openGapCause([part(0, 6_000, 'invalid'), part(6_000, 9_000, 'in_progress')])).to.equal('invalid');
    expect(openGapCause([part(0, 60_000, 'camera_offline'), part(60_000, 66_000, 'disk_guard'), part(66_000, 70_000, 'in_progress')])).to.equal('disk_guard');
    expect(openGapCause([part(0, 6_000, 'disk_guard'), part(6_000, 200_000, 'upload_backlog')]), 'a long last part speaks for itself').to.equal('upload_backlog');
  });
});
