import { expect } from 'chai';
import { STATUS_CAUSES } from '@common/causes';
import { classifyStderr, linesAfter } from '@workers/ingest/classify';
import { setup } from './supervisor-fakes';

// ffmpeg prints this when an audio track has no parameters at probe time, drops the track and runs live for hours.
const codecWarning = '[rtsp @ 0x55d] [warning] Could not find codec parameters for stream 1 (Audio: aac, 0 channels): unspecified sample format';
// ffmpeg prints this at start-up for a UDP camera, then goes on over TCP.
const udpRetry = '[rtsp @ 0x55d] [warning] UDP timeout, retrying with TCP';
const opening = '[hls @ 0x55e] Opening live/c1/seg-1.ts for writing';

describe('workers/ingest: start-up lines do not decide how a live attempt ended', () => {
  /** Live with `startup` already in the attempt's stderr ring, then the ring at exit is `startup` + `later`. */
  async function liveThenCrash(startup: string[], later: string[]) {
    const s = setup();
    s.sup.start();
    s.instances[0]!.tail = startup;
    s.setMtime(s.clock.now() + 100);
    await s.clock.advance(1_000);
    expect(s.statuses().at(-1)).to.equal('live');
    s.instances[0]!.crash([...startup, ...later]);
    await s.clock.advance(10);
    return s;
  }

  it('a codec warning from start-up and a later timeout: reconnecting (timeout), next attempt after the first step', async () => {
    const s = await liveThenCrash([codecWarning, opening], ['[rtsp @ 0x55d] [error] Connection timed out']);
    expect(s.events.at(-1)).to.deep.include({ status: 'reconnecting', cause: STATUS_CAUSES.timeout });
    expect(s.events.at(-1)!.detail).to.match(/^\[rtsp\] \[error\] Connection timed out \(ffmpeg exited with code 1\)$/);
    await s.clock.advance(1_000);
    expect(s.instances, 'restarted after the 1 s step, not the longest').to.have.length(2);
  });

  it('a start-up line that matches a later rule does not name the cause: a reset after a UDP retry is a closed connection', async () => {
    const s = await liveThenCrash([udpRetry, opening], ['[tcp @ 0x55f] Connection to tcp://10.0.0.1:554 failed: Connection reset by peer']);
    expect(s.events.at(-1)).to.deep.include({ status: 'reconnecting', cause: STATUS_CAUSES.connectionClosed });
  });

  it('nothing printed since going live: the exit, not a start-up line, is the detail', async () => {
    const s = await liveThenCrash([codecWarning, udpRetry], []);
    expect(s.events.at(-1)).to.deep.include({ status: 'reconnecting', cause: STATUS_CAUSES.ingestFailed, detail: 'ffmpeg exited with code 1' });
  });

  it('the same warning in an attempt that never went live is still unsupported', async () => {
    const s = setup();
    s.sup.start();
    s.instances[0]!.crash([codecWarning, "Stream map '0:v:0' matches no streams."]);
    await s.clock.advance(10);
    expect(s.events.at(-1)).to.deep.include({ status: 'unsupported', cause: STATUS_CAUSES.unsupportedCodec });
  });

  it('afterLive skips the start-up-only codec rule; other rules still apply', () => {
    expect(classifyStderr([codecWarning])?.status).to.equal('unsupported');
    expect(classifyStderr([codecWarning], { afterLive: true })).to.equal(null);
    expect(classifyStderr([codecWarning, 'x: Connection timed out'], { afterLive: true })?.cause).to.equal(STATUS_CAUSES.timeout);
    expect(classifyStderr(['x: Invalid data found when processing input'], { afterLive: true })?.status).to.equal('unsupported');
  });

  describe('linesAfter (tails of one capped ring)', () => {
    const cases: Array<[string, string[], string[], string[]]> = [
      ['nothing before', [], ['a', 'b'], ['a', 'b']],
      ['nothing new', ['a', 'b'], ['a', 'b'], []],
      ['ring not full', ['a', 'b'], ['a', 'b', 'c', 'd'], ['c', 'd']],
      ['ring rotated', ['a', 'b', 'c'], ['b', 'c', 'd', 'e'], ['d', 'e']],
      ['rotated past everything', ['a', 'b'], ['x', 'y', 'z'], ['x', 'y', 'z']],
      ['repeated lines', ['r', 'r', 'a', 'r'], ['a', 'r', 'r', 'b'], ['r', 'b']],
    ];
    for (const [name, before, now, expected] of cases) {
      it(name, () => expect(linesAfter(before, now)).to.deep.equal(expected));
    }
  });
});
