/** The playback page's timeline, as pure functions: the visible window, positions, gap jumps, the stall watch, the page's URL. */
import type { GapCause, Timeline } from '@common/timeline';

export const DAY_MS = 86_400_000;
/** Zoom levels: the width of the visible window. */
export const ZOOMS_MS = [DAY_MS, 6 * 3_600_000, 3_600_000, 10 * 60_000] as const;

export interface Window {
  start: number;
  end: number;
}

/** Local midnight of the day holding `t`, and the next one. */
export function dayOf(t: number): Window {
  const d = new Date(t);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return { start, end: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() };
}

/** A window `width` wide centred on `at`, kept inside `day`. */
export function zoomWindow(day: Window, width: number, at: number): Window {
  if (width >= day.end - day.start) return day;
  const start = Math.min(Math.max(day.start, at - width / 2), day.end - width);
  return { start, end: start + width };
}

/** Share (0..1) of the window at time t, clamped. */
export const toFraction = (w: Window, t: number) => Math.min(1, Math.max(0, (t - w.start) / (w.end - w.start)));
export const fromFraction = (w: Window, f: number) => w.start + Math.min(1, Math.max(0, f)) * (w.end - w.start);

export interface Bar {
  start: number;
  end: number;
  kind: 'span' | GapCause;
}

/** Spans and gaps as bars (parsed times), in time order. */
export function bars(t: Timeline): Bar[] {
  const out: Bar[] = [
    ...t.spans.map((s) => ({ start: Date.parse(s.from), end: Date.parse(s.to), kind: 'span' as const })),
    ...t.gaps.map((g) => ({ start: Date.parse(g.from), end: Date.parse(g.to), kind: g.cause })),
  ];
  return out.sort((a, b) => a.start - b.start);
}

/** Losses worth jumping to (the segment being written is not one). */
const lossGaps = (t: Timeline) => t.gaps.filter((g) => g.cause !== 'in_progress').map((g) => ({ start: Date.parse(g.from), end: Date.parse(g.to), cause: g.cause }));

/** The first gap starting after `at` (1 s slack, so a jump lands past the one just visited). */
export function nextGap(t: Timeline, at: number) {
  return lossGaps(t).find((g) => g.start > at + 1_000) ?? null;
}

/** The last gap ending before `at`. */
export function previousGap(t: Timeline, at: number) {
  return lossGaps(t).filter((g) => g.end < at - 1_000).pop() ?? null;
}

/** Where playback of a click at `t` starts: inside a span, or at the start of the next span when `t` is in a gap. */
export function playableFrom(t: Timeline, at: number): number | null {
  for (const s of t.spans) {
    const a = Date.parse(s.from);
    const b = Date.parse(s.to);
    if (at >= a && at < b) return at;
    if (a > at) return a;
  }
  return null;
}

/**
 * Where a player whose picture stopped at `at` goes on: the next span's start when a gap begins
 * within `slack` after `at` (hls.js can stall at the discontinuity a gap leaves in the playlist,
 * seen on a slow machine at 8x); null when `at` is well inside a span (a stall there is the
 * player's to recover) or nothing is recorded after it.
 */
export function pastGap(t: Timeline, at: number, slack = 2_000): number | null {
  const next = playableFrom(t, at + slack);
  return next !== null && next > at + slack ? next : null;
}

/**
 * Where a player whose picture stood still at `wall` goes on: past a gap that begins just after it
 * (pastGap); else from the same time with a fresh player; else, when the last recovery already
 * restarted near there (`retriedAt`, within a second), from SKIP_MS later: the media at `wall`
 * cannot be played, so the player moves on (to the next keyframe interval, not past the span).
 * Null: nothing is recorded after it.
 */
export function resumeAfterStall(t: Timeline, wall: number, retriedAt: number | null): number | null {
  const past = pastGap(t, wall);
  if (past !== null) return past;
  const again = retriedAt !== null && Math.abs(retriedAt - wall) < 1_000;
  return playableFrom(t, again ? wall + SKIP_MS : wall);
}

/** How far a player stuck twice at one place moves on: one GOP of the recorders' usual 2 s. */
export const SKIP_MS = 2_000;

/**
 * Tells when a picture has stood still for `stuckMs` while it should play: `tick` with the time,
 * whether the video should be moving (not paused on purpose, not ended) and its position; true
 * once per `stuckMs` in which the position moved less than `minMoveSec` (a player that keeps
 * nudging its position by a fraction of a second around a hole is standing still too).
 */
export class StallWatch {
  private anchor = NaN;
  private since = 0;

  constructor(
    private readonly stuckMs: number,
    private readonly minMoveSec = 0.5,
  ) {}

  tick(now: number, shouldMove: boolean, position: number): boolean {
    if (!shouldMove || !(Math.abs(position - this.anchor) < this.minMoveSec)) {
      // Paused, ended, or moving: the count starts again from here (NaN is near no position).
      this.anchor = shouldMove ? position : NaN;
      this.since = now;
      return false;
    }
    if (now - this.since < this.stuckMs) return false;
    this.since = now;
    return true;
  }
}

/** /playback/<id>?at=<ISO>: the page's address (also the wall tile's "replay last 5 min"). */
export const playbackPath = (cameraId: string, at: number) => `/playback/${encodeURIComponent(cameraId)}?at=${encodeURIComponent(new Date(at).toISOString())}`;

/** Camera id and start time from the address; null when it is not the playback page. */
export function parsePlaybackPath(pathname: string, search: string): { cameraId: string; at: number | null } | null {
  const m = /^\/playback\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  const at = Date.parse(new URLSearchParams(search).get('at') ?? '');
  return { cameraId: decodeURIComponent(m[1]!), at: Number.isNaN(at) ? null : at };
}

export const SPEEDS = [1, 2, 4, 8] as const;
