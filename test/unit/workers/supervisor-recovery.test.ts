/** The supervisor while a camera is down: probing instead of ffmpeg attempts, the status it reports, the restart when it answers. */
import { expect } from 'chai';
import { STATUS_CAUSES } from '@common/causes';
import { Backoff } from '@workers/ingest/backoff';
import { probeFailure } from '@workers/ingest/probe';

import { setup } from './supervisor-fakes';

describe('workers/ingest supervisor: recovery after an outage, probe while down (fake clock)', () => {
  const refused = ['method DESCRIBE failed: 502 Bad Gateway (Connection refused)'];
  /** Camera down from the start; every attempt fails at once while it is down. */
  function outage() {
    let up = false;
    const probes: number[] = [];
    const s = setup({
      probe: async () => {
        probes.push(s.clock.now());
        return up ? true : probeFailure('ECONNREFUSED', 'RTSP OPTIONS to 127.0.0.1:554: ECONNREFUSED');
      },
      backoff: new Backoff({ stepsMs: [1000, 2000, 5000, 10_000, 30_000], jitter: 0.2, maxRestarts: 100, windowMs: 600_000, maxDelayMs: 30_000 }, () => 1),
    });
    return { s, probes, setUp: (v: boolean) => (up = v) };
  }

  it('no ffmpeg while the camera does not answer, whatever the backoff says', async () => {
    const o = outage();
    o.s.sup.start();
    o.s.instances[0]!.crash(refused);
    await o.s.clock.advance(120_000);
    expect(o.s.instances, 'only the first attempt').to.have.length(1);
    expect(o.probes.length, 'probed every 500 ms').to.be.at.least(200);
  });

  it('a live camera that stops answering is reported unreachable with the cause the probe found, not left reconnecting', async () => {
    const o = outage();
    o.setUp(true);
    o.s.sup.start();
    o.s.setMtime(o.s.clock.now() + 100);
    await o.s.clock.advance(1_000);
    expect(o.s.statuses().at(-1)).to.equal('live');
    o.setUp(false);
    o.s.instances[0]!.crash(['Connection to tcp://127.0.0.1:554 failed: Connection reset by peer']);
    await o.s.clock.advance(10);
    expect(o.s.statuses().at(-1)).to.equal('reconnecting');
    await o.s.clock.advance(600);
    expect(o.s.statuses().at(-1)).to.equal('unreachable');
    expect(o.s.events.at(-1)!.cause).to.equal(STATUS_CAUSES.connectionRefused);
    await o.s.clock.advance(30_000);
    expect(o.s.statuses().filter((x) => x === 'unreachable'), 'reported once, not on every probe').to.have.length(1);
  });

  for (const outageMs of [20_000, 300_000]) {
    it(`back after ${outageMs / 1000} s down: a new attempt within one probe interval of the camera answering`, async () => {
      const o = outage();
      o.s.sup.start();
      o.s.instances[0]!.crash(refused);
      await o.s.clock.advance(outageMs);
      expect(o.s.instances).to.have.length(1);
      o.setUp(true);
      await o.s.clock.advance(500);
      expect(o.s.instances, 'started when the probe answered').to.have.length(2);
      o.s.setMtime(o.s.clock.now() + 100);
      await o.s.clock.advance(1_000);
      expect(o.s.statuses().at(-1)).to.equal('live');
    });
  }

  it('a camera that answers but whose stream fails is still paced by the backoff', async () => {
    const o = outage();
    o.setUp(true);
    o.s.sup.start();
    o.s.instances[0]!.crash(['method DESCRIBE failed: 404 Not Found']);
    await o.s.clock.advance(1_100);
    expect(o.s.instances).to.have.length(1);
    await o.s.clock.advance(200); // 1000 ms step + 20% jitter
    expect(o.s.instances).to.have.length(2);
  });

  it('stop() while waiting ends the probing', async () => {
    const o = outage();
    o.s.sup.start();
    o.s.instances[0]!.crash(refused);
    await o.s.clock.advance(2_000);
    await o.s.sup.stop();
    const n = o.probes.length;
    o.setUp(true);
    await o.s.clock.advance(60_000);
    expect(o.probes.length).to.equal(n);
    expect(o.s.instances).to.have.length(1);
  });
});
