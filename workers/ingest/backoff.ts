/**
 * Stepped restart backoff with jitter, a restart-rate cap, and a reset after a period live.
 * maxDelayMs caps a step with its jitter; only the restart-rate cap may wait longer.
 * Pure: the caller passes the current time and a random source.
 */

export interface BackoffOptions {
  stepsMs: readonly number[];
  /** Fraction of the step added or removed at random (0.2 = +-20%). */
  jitter: number;
  /** At most maxRestarts within windowMs; beyond that the next start waits for the window. */
  maxRestarts: number;
  windowMs: number;
  /** Upper bound of a backoff delay, jitter included (ingest.maxRestartDelay). Default: none. */
  maxDelayMs?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  stepsMs: [1_000, 2_000, 5_000, 10_000, 30_000],
  jitter: 0.2,
  maxRestarts: 20,
  windowMs: 10 * 60_000,
  maxDelayMs: 30_000,
};

export class Backoff {
  private attempt = 0;
  private history: number[] = [];

  constructor(
    private readonly opts: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next restart, recording it as a restart at now + delay. */
  next(now: number, opts: { atLeastLastStep?: boolean } = {}): number {
    const steps = this.opts.stepsMs;
    const idx = opts.atLeastLastStep ? steps.length - 1 : Math.min(this.attempt, steps.length - 1);
    const base = steps[idx] ?? 1_000;
    this.attempt += 1;
    const jittered = base * (1 + this.opts.jitter * (2 * this.random() - 1));
    let delay = Math.max(0, Math.min(Math.round(jittered), this.opts.maxDelayMs ?? Infinity));
    this.history = this.history.filter((t) => t > now - this.opts.windowMs);
    if (this.history.length >= this.opts.maxRestarts) {
      const oldest = this.history[this.history.length - this.opts.maxRestarts]!;
      delay = Math.max(delay, oldest + this.opts.windowMs - now);
    }
    this.history.push(now + delay);
    return delay;
  }

  /** Called once the camera has been live long enough. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
