/**
 * The one registry of named background loops (lease rounds, resync, cache janitor, unattended
 * watch, ...). A loop runs its task every `everyMs`, never two passes at once (the next pass is
 * scheduled after the current one ends), and soon after kick() (kicks coalesce with each other
 * and with a running pass). Names are unique: adding a second loop with a taken name throws.
 * Every pass is reported to `observe` (the composition root feeds /metrics from it).
 *
 *   const leases = loops.add('ingest.leases', ttl / 3, () => manager.tick(), { firstRunMs: 0 });
 */
import type { Clock } from './clock';

export interface LoopRun {
  loop: string;
  startedAt: Date;
  durationMs: number;
  error?: unknown;
}

export interface LoopOptions {
  /** Delay before the first pass. Default: everyMs. */
  firstRunMs?: number;
  /** Delay of a pass asked for by kick(). Default 50 ms. */
  kickDelayMs?: number;
}

export interface Loop {
  readonly name: string;
  /**
   * Run a pass soon (coalesced with other kicks and with a running pass), or in `delayMs` — never
   * later than the pass already due (a far kick does not postpone the regular one).
   */
  kick(delayMs?: number): void;
  /** Stops this loop (waits for a running pass) and removes it from the registry. */
  stop(): Promise<void>;
}

export interface LoopStats {
  name: string;
  everyMs: number;
  runs: number;
  errors: number;
  lastRun: LoopRun | null;
}

export interface LoopsDeps {
  clock: Clock;
  /** Every pass, after it ends (error set when the task threw). */
  observe?(run: LoopRun): void;
  /** A failed pass (after observe). */
  onError(loop: string, err: unknown): void;
}

class RunningLoop implements Loop {
  private timer: { cancel(): void } | undefined;
  private dueAt: number | undefined;
  private inFlight: Promise<void> | null = null;
  /** A kick during a pass: run again this long after it ends. */
  private again: number | undefined;
  private stopped = false;
  runs = 0;
  errors = 0;
  lastRun: LoopRun | null = null;

  constructor(
    readonly name: string,
    readonly everyMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly opts: LoopOptions,
    private readonly deps: LoopsDeps,
    private readonly onStop: () => void,
  ) {}

  start(): void {
    this.schedule(this.opts.firstRunMs ?? this.everyMs);
  }

  kick(delayMs?: number): void {
    if (this.stopped) return;
    const ms = Math.max(0, delayMs ?? this.opts.kickDelayMs ?? 50);
    if (this.inFlight) this.again = Math.min(this.again ?? Infinity, ms);
    else if (this.dueAt === undefined || this.deps.clock.now().getTime() + ms < this.dueAt) this.schedule(ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.onStop();
    await this.inFlight;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.dueAt = this.deps.clock.now().getTime() + ms;
    this.timer = this.deps.clock.setTimeout(() => this.run(), ms);
  }

  private run(): void {
    this.dueAt = undefined;
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = Math.min(this.again ?? Infinity, this.opts.kickDelayMs ?? 50);
      return;
    }
    const startedAt = this.deps.clock.now();
    const done = (error?: unknown) => {
      const run: LoopRun = { loop: this.name, startedAt, durationMs: this.deps.clock.now().getTime() - startedAt.getTime(), ...(error === undefined ? {} : { error }) };
      this.runs++;
      this.lastRun = run;
      if (error !== undefined) this.errors++;
      this.deps.observe?.(run);
      if (error !== undefined) this.deps.onError(this.name, error);
    };
    this.inFlight = Promise.resolve()
      .then(this.task)
      .then(
        () => done(),
        (err: unknown) => done(err ?? new Error('loop task failed')),
      )
      .finally(() => {
        this.inFlight = null;
        const again = this.again;
        this.again = undefined;
        this.schedule(Math.min(again ?? Infinity, this.everyMs));
      });
  }
}

/**
 * Kicks `loop` once a burst of events has settled: every event (re)arms a `settleMs` timer, and the
 * pass is asked for when none came for that long, or `maxWaitMs` after the burst's first event
 * (events that never pause still get passes). For work whose result the next event would make
 * stale anyway, which should not compete with the burst (the planner statistics after imports:
 * on PGlite's single connection each ANALYZE queued the next import behind it).
 */
export function settledKicks(loop: Pick<Loop, 'kick'>, clock: Clock, settleMs: number, maxWaitMs: number): { event(): void; cancel(): void } {
  let timer: { cancel(): void } | undefined;
  let burstStart: number | undefined;
  return {
    event() {
      const now = clock.now().getTime();
      burstStart ??= now;
      timer?.cancel();
      timer = clock.setTimeout(
        () => {
          timer = undefined;
          burstStart = undefined;
          loop.kick(0);
        },
        Math.max(0, Math.min(settleMs, burstStart + maxWaitMs - now)),
      );
    },
    cancel() {
      timer?.cancel();
      timer = undefined;
    },
  };
}

export class Loops {
  private readonly loops = new Map<string, RunningLoop>();
  private started = false;

  constructor(private readonly deps: LoopsDeps) {}

  /** Registers a loop; it runs at once if the registry has started, else at start(). */
  add(name: string, everyMs: number, task: () => Promise<unknown>, opts: LoopOptions = {}): Loop {
    if (this.loops.has(name)) throw new Error(`a loop named "${name}" is already registered`);
    const loop = new RunningLoop(name, everyMs, task, opts, this.deps, () => {
      if (this.loops.get(name) === loop) this.loops.delete(name);
    });
    this.loops.set(name, loop);
    if (this.started) loop.start();
    return loop;
  }

  start(): this {
    if (this.started) return this;
    this.started = true;
    for (const l of this.loops.values()) l.start();
    return this;
  }

  /** Stops every loop, newest first, each after its running pass. */
  async stop(): Promise<void> {
    for (const l of [...this.loops.values()].reverse()) await l.stop();
  }

  stats(): LoopStats[] {
    return [...this.loops.values()].map((l) => ({ name: l.name, everyMs: l.everyMs, runs: l.runs, errors: l.errors, lastRun: l.lastRun }));
  }
}
