/**
 * The supervisors' view of the one Clock (common/clock.ts): epoch milliseconds and timers with a
 * handle, so the state machine is testable without sleeping. Not a second source of time: it
 * adapts whichever Clock the process runs on (server/ingest passes the app's).
 */
import { systemClock as appClock, type Clock as AppClock } from '@common/clock';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export function ingestClock(clock: AppClock): Clock {
  return {
    now: () => clock.now().getTime(),
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (handle) => (handle as { cancel(): void } | null | undefined)?.cancel(),
  };
}

export const systemClock: Clock = ingestClock(appClock);
