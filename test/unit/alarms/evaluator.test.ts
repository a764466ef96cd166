import { expect } from 'chai';
import { AlarmEvaluator, type EvaluatorDeps, type OpenGapLike } from '@server/alarms/evaluator';
import type { AlarmRecord, NewAlarm, TroubledCamera, UnresolvedAlarm } from '@server/alarms/repository';
import type { HistoryRow } from '@server/alarms/outage';

const NOW = new Date('2026-11-30T08:10:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const quiet = { warn: () => undefined, info: () => undefined };

function world(opts: { troubled?: Array<Omit<TroubledCamera, 'statusKey'> & { statusKey?: string }>; rows?: Record<string, HistoryRow[]>; open?: Partial<AlarmRecord>[]; gaps?: OpenGapLike[]; raiseFrom?: Date }) {
  const raised: NewAlarm[] = [];
  const resolved: string[] = [];
  /** Cameras whose outage rows were read. */
  const reads: string[] = [];
  const deps: EvaluatorDeps = {
    repo: {
      now: () => Promise.resolve(NOW),
      troubledCameras: () => Promise.resolve((opts.troubled ?? []).map((c) => ({ statusKey: c.status, ...c }))),
      outageRowsOf: (ids) => {
        reads.push(...ids);
        return Promise.resolve(new Map(ids.map((id) => [id, opts.rows?.[id] ?? []])));
      },
      unresolved: (family) => Promise.resolve((opts.open ?? []).filter((a) => a.family === family).map((a): UnresolvedAlarm => ({ id: a.id!, cameraId: a.cameraId!, kind: a.kind!, sinceMs: Date.parse(a.since!) }))),
    },
    alarms: {
      raiseAll: (list) => {
        raised.push(...list);
        return Promise.resolve(list.map((a, i) => ({ id: `new-${raised.length - list.length + i + 1}`, cameraId: a.cameraId, kind: a.kind, since: a.since.toISOString(), raisedAt: a.raisedAt.toISOString() }) as AlarmRecord));
      },
      resolveAll: (ids) => {
        resolved.push(...ids);
        return Promise.resolve(ids.map((id) => ({ id }) as AlarmRecord));
      },
    },
    openGaps: () => Promise.resolve(opts.gaps ?? []),
    alarmAfterMs: 30_000,
    gapAlertMs: 120_000,
    raiseFrom: opts.raiseFrom ?? ago(3600),
    log: quiet,
  };
  return { evaluator: new AlarmEvaluator(deps), raised, resolved, reads, opts };
}

describe('alarms: evaluator pass', () => {
  it('raises a camera down past the threshold, leaves its existing alarm, resolves the others', async () => {
    const w = world({
      troubled: [{ id: 'a', status: 'stalled' }, { id: 'b', status: 'offline' }, { id: 'c', status: 'offline' }],
      rows: { a: [{ status: 'stalled', cause: null, at: ago(60) }], b: [{ status: 'offline', cause: null, at: ago(300) }], c: [{ status: 'offline', cause: null, at: ago(5) }] },
      open: [
        { id: 'alarm-b', cameraId: 'b', family: 'status', since: ago(300).toISOString() },
        { id: 'alarm-c-old', cameraId: 'c', family: 'status', since: ago(900).toISOString() },
        { id: 'alarm-d', cameraId: 'd', family: 'status', since: ago(900).toISOString() },
      ],
    });
    await w.evaluator.check();
    expect(w.raised.map((r) => [r.cameraId, r.kind, r.raisedAt.toISOString()])).to.deep.equal([['a', 'stalled', ago(30).toISOString()]]);
    expect(w.resolved).to.deep.equal(['alarm-c-old', 'alarm-d']);
  });

  it('raises nothing during the start-up grace, but resolves', async () => {
    const w = world({ troubled: [{ id: 'a', status: 'stalled' }], rows: { a: [{ status: 'stalled', cause: null, at: ago(60) }] }, open: [{ id: 'x', cameraId: 'z', family: 'status', since: ago(99).toISOString() }], raiseFrom: new Date(NOW.getTime() + 1000) });
    await w.evaluator.check();
    expect(w.raised).to.deep.equal([]);
    expect(w.resolved).to.deep.equal(['x']);
  });

  it('recording gaps: only causes no camera alarm covers, raised at since + archive.gapAlert', async () => {
    const w = world({
      gaps: [
        { camera: { id: 'a' }, since: ago(600), cause: 'camera_offline' },
        { camera: { id: 'b' }, since: ago(600), cause: 'disk_guard' },
        { camera: { id: 'c' }, since: ago(600), cause: 'worker_restart' },
      ],
    });
    await w.evaluator.check();
    expect(w.raised.map((r) => [r.cameraId, r.family, r.kind, r.raisedAt.toISOString()])).to.deep.equal([
      ['b', 'recording', 'recording_gap', ago(480).toISOString()],
      ['c', 'recording', 'recording_gap', ago(480).toISOString()],
    ]);
  });

  it("reads a troubled camera's outage rows once, again only when its status changes, in batches", async () => {
    const troubled = Array.from({ length: 1_200 }, (_, i) => ({ id: `c${i}`, status: 'offline', statusKey: 'offline||t1' }));
    const w = world({ troubled, rows: { c0: [{ status: 'offline', cause: null, at: ago(300) }] } });
    await w.evaluator.check();
    expect(w.reads).to.have.length(1_200);
    expect(w.raised.map((r) => r.cameraId)).to.deep.equal(['c0']);
    await w.evaluator.check();
    expect(w.reads, 'nothing changed: nothing read').to.have.length(1_200);
    troubled[5]!.statusKey = 'offline||t2';
    await w.evaluator.check();
    expect(w.reads.slice(1_200)).to.deep.equal(['c5']);
  });
});
