/**
 * Playback-token timing and progress watching. Pure: the clock and the video's currentTime are
 * passed in.
 */

/** When to fetch fresh URLs: `margin` before expiry (at most a third of the lifetime), never sooner than `minMs`. */
export function refreshDelayMs(expiresAt: string | undefined, now: number, opts: { marginMs?: number; minMs?: number; fallbackMs?: number } = {}): number {
  const { marginMs = 15_000, minMs = 2_000, fallbackMs = 30_000 } = opts;
  const end = expiresAt ? Date.parse(expiresAt) : NaN;
  if (!Number.isFinite(end)) return fallbackMs;
  const left = end - now;
  const margin = Math.min(marginMs, Math.max(left, 0) / 3);
  return Math.max(minMs, Math.round(left - margin));
}

/** The `token` query value of a URL (absolute or path), or null. */
export function tokenOf(url: string): string | null {
  try {
    return new URL(url, 'http://x.invalid').searchParams.get('token');
  } catch {
    return null;
  }
}

/** `url` with its `token` replaced (only where it already has one: other hosts/requests untouched). */
export function withToken(url: string, token: string | null): string {
  if (!token) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hashAt = url.indexOf('#', q);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const params = new URLSearchParams(url.slice(q + 1, hashAt < 0 ? undefined : hashAt));
  if (!params.has('token')) return url;
  params.set('token', token);
  return `${url.slice(0, q)}?${params.toString()}${hash}`;
}

export interface Progress {
  startedAt: number;
  lastTime: number;
  lastChangeAt: number | null;
}

export interface WatchLimits {
  /** No first frame within this long after start: failed. */
  startupMs: number;
  /** currentTime stuck this long after having moved: stalled. */
  stallMs: number;
}

export const WATCH_LIMITS: Record<'flv' | 'hls', WatchLimits> = {
  flv: { startupMs: 12_000, stallMs: 6_000 },
  hls: { startupMs: 25_000, stallMs: 12_000 },
};

export const startProgress = (now: number): Progress => ({ startedAt: now, lastTime: 0, lastChangeAt: null });

export type Verdict = 'waiting' | 'progress' | 'ok' | 'stalled' | 'no_start';

/**
 * One watchdog tick. 'progress': currentTime moved (the first time or again); 'ok': still fine;
 * 'stalled' / 'no_start': tear down.
 */
export function checkProgress(p: Progress, currentTime: number, now: number, limits: WatchLimits): { progress: Progress; verdict: Verdict } {
  if (currentTime > p.lastTime + 0.01 || currentTime < p.lastTime - 1) {
    return { progress: { ...p, lastTime: currentTime, lastChangeAt: now }, verdict: 'progress' };
  }
  if (p.lastChangeAt === null) return { progress: p, verdict: now - p.startedAt > limits.startupMs ? 'no_start' : 'waiting' };
  return { progress: p, verdict: now - p.lastChangeAt > limits.stallMs ? 'stalled' : 'ok' };
}
