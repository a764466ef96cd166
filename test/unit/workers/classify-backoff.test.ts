import { expect } from 'chai';
import { Backoff } from '@workers/ingest/backoff';
import { STATUS_CAUSES } from '@common/causes';
import { classifyStderr, unclassifiedExit } from '@workers/ingest/classify';

describe('workers/ingest classify and backoff', () => {
  const table: Array<[string, string | null]> = [
    ['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized', 'auth_failed'],
    ['[rtsp @ 0x1] method DESCRIBE failed: 502 Bad Gateway (Connection refused)', 'unreachable'],
    ['[tcp @ 0x1] Connection to tcp://10.0.0.1:554 failed: No route to host', 'unreachable'],
    ['[rtsp @ 0x1] method DESCRIBE failed: 404 Not Found', 'unreachable'],
    ['rtsp://127.0.0.1:1/x: Invalid data found when processing input', 'unsupported'],
    ["Stream map '0:v:0' matches no streams.", 'unsupported'],
    ['[rtsp @ 0x1] method DESCRIBE failed: 504 Gateway Timeout (Connection timed out)', 'offline'],
    ['rtsp://127.0.0.1:1/x: Connection timed out', 'offline'],
    ['av_interleaved_write_frame(): Broken pipe', 'offline'],
    ['[hls @ 0x1] Opening seg-1.ts for writing', null],
  ];
  for (const [line, status] of table) {
    it(`${line.slice(0, 50)} -> ${status}`, () => expect(classifyStderr([line])?.status ?? null).to.equal(status));
  }
  it('causes are stable phrases; the scrubbed line (no ffmpeg memory addresses) is the detail', () => {
    const phrases: string[] = Object.values(STATUS_CAUSES);
    for (const [line, status] of table) {
      const c = classifyStderr([line.replace('0x1', '0x5649a3c0e2f0')]);
      if (!status) continue;
      expect(phrases, line).to.include(c!.cause);
      expect(c!.detail, line).to.not.match(/0x[0-9a-f]+/i);
      expect(c!.detail.replace(/^\[(rtsp|tcp)\] /, ''), line).to.equal(line.replace(/^\[(rtsp|tcp) @ 0x1\] /, ''));
    }
    expect(classifyStderr(['[rtsp @ 0x5649a3c0e2f0] method DESCRIBE failed: 401 Unauthorized'])).to.deep.equal({
      status: 'auth_failed',
      cause: 'camera rejected the credentials',
      detail: '[rtsp] method DESCRIBE failed: 401 Unauthorized',
    });
  });
  it('an exit with code 0 is the camera ending the stream, not "ffmpeg exited with code 0"', () => {
    expect(unclassifiedExit({ code: 0, signal: null }, [])).to.deep.equal({ cause: STATUS_CAUSES.streamEnded, detail: 'ffmpeg exited with code 0' });
    expect(unclassifiedExit({ code: 1, signal: null }, ['[hls @ 0xdeadbeef] odd'])).to.deep.equal({ cause: STATUS_CAUSES.ingestFailed, detail: 'ffmpeg exited with code 1: [hls] odd' });
  });
  it('auth failure wins over a later generic error', () => {
    expect(classifyStderr(['x: End of file', 'method DESCRIBE failed: 401 Unauthorized'])?.status).to.equal('auth_failed');
  });

  it('steps through 1,2,5,10,30 s with jitter, then caps at 30 s', () => {
    const b = new Backoff({ stepsMs: [1000, 2000, 5000, 10000, 30000], jitter: 0.2, maxRestarts: 100, windowMs: 60_000 }, () => 0.5);
    expect([0, 1, 2, 3, 4, 5, 6].map(() => b.next(0))).to.deep.equal([1000, 2000, 5000, 10000, 30000, 30000, 30000]);
    const j = new Backoff({ stepsMs: [1000], jitter: 0.2, maxRestarts: 100, windowMs: 1 }, () => 1);
    expect(j.next(0)).to.equal(1200);
    const k = new Backoff({ stepsMs: [1000], jitter: 0.2, maxRestarts: 100, windowMs: 1 }, () => 0);
    expect(k.next(0)).to.equal(800);
  });
  it('maxDelayMs caps a step including its jitter (ingest.maxRestartDelay is a cap)', () => {
    const b = new Backoff({ stepsMs: [1000, 30_000], jitter: 0.2, maxRestarts: 100, windowMs: 60_000, maxDelayMs: 30_000 }, () => 1);
    expect([b.next(0), b.next(0), b.next(0)]).to.deep.equal([1200, 30_000, 30_000]);
  });
  it('reset() starts from the first step again; atLeastLastStep jumps to the cap', () => {
    const b = new Backoff({ stepsMs: [1000, 2000, 5000], jitter: 0, maxRestarts: 100, windowMs: 60_000 });
    b.next(0);
    b.next(0);
    b.reset();
    expect(b.next(0)).to.equal(1000);
    expect(b.next(0, { atLeastLastStep: true })).to.equal(5000);
  });
  it('restart-rate cap: the (max+1)th restart in the window waits for the window', () => {
    const b = new Backoff({ stepsMs: [1000], jitter: 0, maxRestarts: 3, windowMs: 60_000 });
    let now = 0;
    const delays = [0, 1, 2, 3].map(() => {
      const d = b.next(now);
      now += d;
      return d;
    });
    expect(delays.slice(0, 3)).to.deep.equal([1000, 1000, 1000]);
    expect(delays[3]).to.equal(1000 + 60_000 - 3000);
  });
});
