/**
 * Tour mode: the wall cycles through groups (saved walls) every N seconds. Pure state; the page
 * drives it with a timer and shows the current group.
 */
export interface TourState {
  /** Group ids in order (at least one while running). */
  groups: string[];
  /** Index of the group on the wall now. */
  at: number;
  intervalMs: number;
  /** When the wall moves on (ms since epoch). */
  nextAt: number;
}

export const MIN_TOUR_SECONDS = 5;
export const MAX_TOUR_SECONDS = 3600;

/** Seconds typed by the operator -> a valid interval (clamped; junk -> the default 30 s). */
export function tourSeconds(input: string | number): number {
  const n = typeof input === 'number' ? input : Number(String(input).trim());
  if (!Number.isFinite(n) || n <= 0) return 30;
  return Math.min(MAX_TOUR_SECONDS, Math.max(MIN_TOUR_SECONDS, Math.round(n)));
}

/** A tour over `groups` (duplicates dropped), first group now; null when there is none. */
export function startTour(groups: readonly string[], seconds: number, now: number): TourState | null {
  const list = [...new Set(groups)];
  if (list.length === 0) return null;
  const intervalMs = tourSeconds(seconds) * 1000;
  return { groups: list, at: 0, intervalMs, nextAt: now + intervalMs };
}

/** The state at `now`: moved on by as many steps as are due (a sleeping tab catches up in one go). */
export function advanceTour(s: TourState, now: number): TourState {
  if (now < s.nextAt) return s;
  const steps = 1 + Math.floor((now - s.nextAt) / s.intervalMs);
  return { ...s, at: (s.at + steps) % s.groups.length, nextAt: s.nextAt + steps * s.intervalMs };
}

/** Drops groups that no longer exist (deleted walls); null when none is left. */
export function pruneTour(s: TourState, exists: (id: string) => boolean): TourState | null {
  const current = s.groups[s.at];
  const groups = s.groups.filter(exists);
  if (groups.length === 0) return null;
  const at = current !== undefined && groups.includes(current) ? groups.indexOf(current) : s.at % groups.length;
  return { ...s, groups, at };
}

export const currentGroup = (s: TourState): string => s.groups[s.at]!;
