import { expect } from 'chai';
import type { CameraStatusEvent } from '@common/events';
import { STATUS_CAUSES } from '@common/causes';
import { IngestManager } from '@workers/ingest/manager';
import { Supervisor } from '@workers/ingest/supervisor';

import { setup, spec } from './supervisor-fakes';

describe('workers/ingest supervisor (fake clock, fake process)', () => {
  it('starting -> live once output is fresh, seen within the start check interval (200 ms)', async () => {
    const s = setup();
    s.sup.start();
    await s.clock.advance(2_000);
    expect(s.statuses()).to.deep.equal(['starting']);
    s.setMtime(s.clock.now());
    await s.clock.advance(200);
    expect(s.statuses()).to.deep.equal(['starting', 'live']);
    expect(s.events[1]).to.deep.include({ cameraId: 'c1', cause: null, at: new Date(s.clock.now()).toISOString() });
  });

  it('live -> stalled when output goes stale while the process runs; killed and restarted', async () => {
    const s = setup();
    s.sup.start();
    s.setMtime(s.clock.now() + 500);
    await s.clock.advance(1_000);
    await s.clock.advance(12_000);
    expect(s.statuses()).to.deep.equal(['starting', 'live', 'stalled']);
    expect(s.instances[0]!.closed).to.equal(true);
    await s.clock.advance(1_000);
    expect(s.instances).to.have.length(2);
    s.setMtime(s.clock.now());
    await s.clock.advance(1_000);
    expect(s.statuses().at(-1)).to.equal('live');
  });

  it('no output within the grace period: stalled, not before', async () => {
    const s = setup();
    s.sup.start();
    await s.clock.advance(9_000);
    expect(s.statuses()).to.deep.equal(['starting']);
    await s.clock.advance(2_000);
    expect(s.statuses()).to.deep.equal(['starting', 'stalled']);
  });

  it('a playlist left by an earlier attempt does not count as live', async () => {
    const s = setup();
    s.setMtime(s.clock.now() - 2_000);
    s.sup.start();
    await s.clock.advance(3_000);
    expect(s.statuses()).to.deep.equal(['starting']);
  });

  const table: Array<[string, string[], boolean, string]> = [
    ['401 -> auth_failed', ['method DESCRIBE failed: 401 Unauthorized'], false, 'auth_failed'],
    ['refused -> unreachable', ['method DESCRIBE failed: 502 Bad Gateway (Connection refused)'], false, 'unreachable'],
    ['invalid data -> unsupported', ['Invalid data found when processing input'], false, 'unsupported'],
    ['unknown exit, never live -> offline', ['something odd'], false, 'offline'],
    ['drop while live -> reconnecting', ['Connection reset by peer'], true, 'reconnecting'],
    ['401 while live stays auth_failed', ['401 Unauthorized'], true, 'auth_failed'],
  ];
  for (const [name, lines, live, expected] of table) {
    it(`exit classification: ${name}`, async () => {
      const s = setup();
      s.sup.start();
      if (live) {
        s.setMtime(s.clock.now() + 100);
        await s.clock.advance(1_000);
      }
      s.instances[0]!.crash(lines);
      await s.clock.advance(10);
      expect(s.statuses().at(-1)).to.equal(expected);
      expect(s.events.at(-1)!.cause).to.be.a('string');
      expect(Object.values(STATUS_CAUSES), 'a stable phrase').to.include(s.events.at(-1)!.cause);
    });
  }

  it('ffmpeg exiting with code 0 (camera closed the stream): a stable cause, the exit in the detail', async () => {
    const s = setup();
    s.sup.start();
    s.setMtime(s.clock.now() + 100);
    await s.clock.advance(1_000);
    s.instances[0]!.crash([], 0);
    await s.clock.advance(10);
    expect(s.events.at(-1)).to.deep.include({ status: 'reconnecting', cause: STATUS_CAUSES.streamEnded, detail: 'ffmpeg exited with code 0' });
  });

  it('stalled: a stable cause; how long without output is the detail', async () => {
    const s = setup();
    s.sup.start();
    s.setMtime(s.clock.now() + 500);
    await s.clock.advance(1_000);
    await s.clock.advance(12_000);
    expect(s.events.at(-1)!.cause).to.equal(STATUS_CAUSES.noVideo);
    expect(s.events.at(-1)!.detail).to.match(/^no output for \d+ s while ffmpeg runs$/);
  });

  it('restarts with stepped backoff; auth failures wait for the longest step', async () => {
    const s = setup();
    s.sup.start();
    s.instances[0]!.crash(['Connection refused']);
    await s.clock.advance(999);
    expect(s.instances).to.have.length(1);
    await s.clock.advance(2);
    expect(s.instances).to.have.length(2);
    s.instances[1]!.crash(['Connection refused']);
    await s.clock.advance(1_999);
    expect(s.instances).to.have.length(2);
    await s.clock.advance(2);
    expect(s.instances).to.have.length(3);
    s.instances[2]!.crash(['401 Unauthorized']);
    await s.clock.advance(4_999);
    expect(s.instances).to.have.length(3);
    await s.clock.advance(2);
    expect(s.instances).to.have.length(4);
  });

  it('stop() closes the attempt, stops restarts and can report disabled', async () => {
    const s = setup();
    s.sup.start();
    await s.sup.stop('disabled');
    expect(s.instances[0]!.closed).to.equal(true);
    expect(s.statuses()).to.deep.equal(['starting', 'disabled']);
    await s.clock.advance(60_000);
    expect(s.instances).to.have.length(1);
  });

  it('manager: sync starts new, restarts changed, stops removed, reports disabled', async () => {
    const started: string[] = [];
    const stopped: string[] = [];
    const events: CameraStatusEvent[] = [];
    const mgr = new IngestManager({
      onStatus: (e) => events.push(e),
      createSupervisor: (sp) =>
        ({
          status: 'starting',
          start: () => started.push(`${sp.id}:${sp.transport}`),
          stop: async () => void stopped.push(sp.id),
        }) as unknown as Supervisor,
    });
    const a = { ...spec, id: 'a' };
    const b = { ...spec, id: 'b' };
    await mgr.sync([a, b]);
    await mgr.sync([a, { ...b, transport: 'udp' }]);
    await mgr.sync([{ ...a, enabled: false }]);
    await mgr.sync([{ ...a, enabled: false }]);
    expect(started).to.deep.equal(['a:tcp', 'b:tcp', 'b:udp']);
    expect(stopped).to.deep.equal(['b', 'a', 'b']);
    expect(events.map((e) => `${e.cameraId}:${e.status}`)).to.deep.equal(['a:disabled']);
    await mgr.closeAll();
    expect(mgr.statuses().size).to.equal(0);
  });
});
