/**
 * Caps how many of one worker's cameras are starting at the same time. A cold start is the costly
 * part of an ingest attempt (process start, RTSP handshake, stream analysis, the first GOP): with
 * 32 cameras handed to a 2-core worker at once, no attempt produced output within the supervisor's
 * 10 s grace, every one was killed and started again, and the worker never settled (`npm run bench
 * -- --cameras 32 --max-cameras 32`). A worker taking over a dead one's cameras meets the same
 * burst. An attempt takes a slot before it spawns (its grace counts from then) and gives it back
 * once it is live, once it ends, or after `slotHoldMs` (SupervisorOptions), whichever comes first;
 * waiting attempts are served in order.
 */
import { availableParallelism } from 'node:os';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

export class StartSlots {
  private free: number;
  private readonly queue: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error('start slots: size must be at least 1');
    this.free = size;
  }

  acquire(): Promise<ReleaseSlot> {
    return new Promise((resolve) => {
      const grant = () => {
        let held = true;
        resolve(() => {
          if (!held) return;
          held = false;
          this.release();
        });
      };
      if (this.free > 0) {
        this.free -= 1;
        grant();
      } else this.queue.push(grant);
    });
  }

  /** Attempts waiting for a slot (diagnostics). */
  get waiting(): number {
    return this.queue.length;
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.free += 1;
  }
}

/** Six cold starts per core at a time (12 on the 2-core machine, where 16 at once still settled and 32 did not). */
export function defaultStartSlots(): StartSlots {
  return new StartSlots(Math.max(4, availableParallelism() * 6));
}
