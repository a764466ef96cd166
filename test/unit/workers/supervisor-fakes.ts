/** Fakes for the supervisor's unit tests: a clock advanced by hand, ffmpeg attempts that start, write and crash on cue. */
import type { Clock as DateClock } from '@common/clock';
import type { CameraStatusEvent } from '@common/events';
import { Backoff } from '@workers/ingest/backoff';
import type { Clock } from '@workers/ingest/clock';
import type { IngestInstance, InstanceExit } from '@workers/ingest/instance';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import { Supervisor, type SupervisorDeps } from '@workers/ingest/supervisor';

export const flush = () => new Promise((r) => setImmediate(r));

export class FakeClock implements Clock {
  t = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** The same time as @common/clock's Clock (Dates, cancellable timers: the lease manager's). */
  readonly dates: DateClock = {
    now: () => new Date(this.t),
    setTimeout: (fn, ms) => {
      const id = this.setTimeout(fn, ms);
      return { cancel: () => this.clearTimeout(id) };
    },
  };
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

export class FakeInstance implements IngestInstance {
  pid = 4242;
  tail: string[] = [];
  closed = false;
  private resolve!: (e: InstanceExit) => void;
  readonly exited = new Promise<InstanceExit>((r) => (this.resolve = r));
  constructor(readonly runId: string) {}
  async start() {}
  crash(lines: string[], code = 1) {
    this.tail = lines;
    this.resolve({ code, signal: null, tail: lines, requested: false });
  }
  async close() {
    this.closed = true;
    this.resolve({ code: 255, signal: null, tail: this.tail, requested: true });
    return this.exited;
  }
  stderrTail() {
    return this.tail;
  }
}

export const spec: IngestCameraSpec = { id: 'c1', rtspUrl: 'rtsp://127.0.0.1/x', transport: 'tcp', recording: { mode: 'off', segmentSeconds: 60 } };

export function setup(extra: Partial<SupervisorDeps> = {}) {
  const clock = new FakeClock();
  const instances: FakeInstance[] = [];
  const events: CameraStatusEvent[] = [];
  let mtime: number | null = null;
  const sup = new Supervisor(
    spec,
    {
      clock,
      createInstance: (_s, runId) => {
        const i = new FakeInstance(runId);
        instances.push(i);
        return i;
      },
      outputMtime: async () => mtime,
      onStatus: (e) => events.push(e),
      backoff: new Backoff({ stepsMs: [1000, 2000, 5000], jitter: 0, maxRestarts: 100, windowMs: 600_000 }),
      ...extra,
    },
    { graceMs: 10_000, staleMs: 6_000, checkIntervalMs: 1_000, startCheckIntervalMs: 200, liveResetMs: 60_000, probeIntervalMs: 500 },
  );
  return { clock, instances, events, sup, setMtime: (v: number | null) => (mtime = v), statuses: () => events.map((e) => e.status) };
}
