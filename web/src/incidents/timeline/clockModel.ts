/**
 * The multi-camera timeline's one playhead, as pure functions: a wall-clock time inside the
 * incident's window that runs at 1x while playing. Every seek starts a new epoch: players restart
 * their playback for an epoch they have not started (a scrub), and only correct drift within one.
 */
import type { Window } from '@web/playback/timelineModel';

export interface Clock {
  /** Wall-clock time (ms) under the playhead when `since` was taken. */
  at: number;
  running: boolean;
  /** Counts seeks; 0 before the first one. */
  epoch: number;
  /** performance.now() when `at` was taken. */
  since: number;
}

export const startClock = (w: Window, now: number): Clock => ({ at: w.start, running: false, epoch: 0, since: now });

/** The playhead at `now`: it runs while playing and stops at the window's end. */
export const playheadAt = (c: Clock, w: Window, now: number): number => Math.min(w.end, c.running ? c.at + (now - c.since) : c.at);

/** Jumps to `at` (kept inside the window), playing or paused as before: a new epoch. */
export function seek(c: Clock, w: Window, at: number, now: number): Clock {
  return { at: Math.min(w.end, Math.max(w.start, Math.round(at))), running: c.running, epoch: c.epoch + 1, since: now };
}

/** Play or pause from where the playhead is; playing at the window's end starts over at its start. */
export function toggle(c: Clock, w: Window, now: number): Clock {
  const at = playheadAt(c, w, now);
  if (c.running) return { ...c, at, running: false, since: now };
  if (at >= w.end) return { at: w.start, running: true, epoch: c.epoch + 1, since: now };
  // Starting to play is a new epoch too when nothing was started yet (players begin at the playhead).
  return { at, running: true, epoch: Math.max(c.epoch, 1), since: now };
}

/** A running clock that reached the window's end stops there. */
export function settle(c: Clock, w: Window, now: number): Clock {
  return c.running && playheadAt(c, w, now) >= w.end ? { ...c, at: w.end, running: false, since: now } : c;
}
