import { expect } from 'chai';
import { FencedStatusWriter } from '@workers/ingest/status-writer';

describe('fenced status writer: what this worker last said', () => {
  it('remembers the last reported status per camera (to put it back if overwritten) until forgotten', async () => {
    const writes: string[] = [];
    const w = new FencedStatusWriter({
      workerId: 'w1',
      updateStatus: async (id, status) => (writes.push(`${id}:${status}`), true),
      tokenOf: () => 7,
      log: { warn() {}, debug() {} },
    });
    w.report({ cameraId: 'c1', status: 'starting', cause: null, at: 't' });
    w.report({ cameraId: 'c1', status: 'live', cause: null, at: 't' });
    await w.idle('c1');
    expect(writes).to.deep.equal(['c1:starting', 'c1:live']);
    expect(w.lastSaid('c1')).to.deep.equal({ status: 'live', cause: null });
    // A write of the worker's own (lease lost, stopping) is not what the supervisor says about the camera.
    await w.writeNow('c1', 'offline', 'ingest worker stopped', 7);
    expect(w.lastSaid('c1')?.status).to.equal('live');
    w.forget('c1');
    expect(w.lastSaid('c1')).to.equal(undefined);
  });
});
