/**
 * One tile's player state machine: when to connect, when to wait for the camera, and when to
 * tear down and retry with backoff. Pure: the tile hook feeds it events and acts on the phase.
 *
 * phases: empty (no camera) · waiting (camera down: no player) · connecting (fetching URLs,
 * player starting) · playing (video progresses) · retrying (player torn down, retry after delay).
 * Every (re)connect gets a new `generation`; player events carry theirs, so late events from a
 * torn-down player are ignored.
 */
import type { CameraStatus } from '@common/domain';

export type Phase = 'empty' | 'waiting' | 'connecting' | 'playing' | 'retrying';

export interface TileState {
  cameraId: string | null;
  status: CameraStatus;
  phase: Phase;
  generation: number;
  /** Consecutive failed attempts (0 once video progresses). */
  attempt: number;
  /** Delay before the next connect while `retrying`. */
  retryInMs: number | null;
  lastError: string | null;
}

export type TileEvent =
  | { type: 'assign'; cameraId: string | null; status: CameraStatus }
  | { type: 'status'; status: CameraStatus }
  /** Mode switched, or the URLs must be replaced and the player cannot do it in place. */
  | { type: 'restart' }
  | { type: 'progress'; generation: number }
  | { type: 'failed'; generation: number; reason: string }
  | { type: 'retry' };

/** Statuses in which the camera may have media: try to play (the player's errors drive retries). */
const PLAYABLE: ReadonlySet<CameraStatus> = new Set<CameraStatus>(['live', 'stalled', 'reconnecting', 'unknown']);
export const isPlayable = (s: CameraStatus) => PLAYABLE.has(s);

/** Stepped backoff between attempts, capped. */
export const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000] as const;
export const backoffMs = (attempt: number): number => BACKOFF_MS[Math.min(Math.max(attempt, 1), BACKOFF_MS.length) - 1]!;

export const initialTile: TileState = { cameraId: null, status: 'unknown', phase: 'empty', generation: 0, attempt: 0, retryInMs: null, lastError: null };

const connect = (s: TileState, resetAttempts: boolean): TileState => ({
  ...s,
  phase: 'connecting',
  generation: s.generation + 1,
  attempt: resetAttempts ? 0 : s.attempt,
  retryInMs: null,
});
const wait = (s: TileState): TileState => ({ ...s, phase: 'waiting', attempt: 0, retryInMs: null });
const active = (p: Phase) => p === 'connecting' || p === 'playing';

export function tileReducer(s: TileState, e: TileEvent): TileState {
  switch (e.type) {
    case 'assign': {
      if (e.cameraId === null) return { ...initialTile, generation: s.generation };
      const next = { ...s, cameraId: e.cameraId, status: e.status, lastError: null };
      return isPlayable(e.status) ? connect(next, true) : wait(next);
    }
    case 'status': {
      if (s.phase === 'empty' || s.status === e.status) return s;
      const next = { ...s, status: e.status };
      if (!isPlayable(e.status)) return s.phase === 'waiting' ? next : wait(next);
      // Back to live from anything else: a player that is not playing may hold a dead stream, so
      // start fresh now. A playing one (its video still advances) is kept: restarting it would
      // blank a good tile, and if its stream did die its watchdog tears it down within seconds.
      if (e.status === 'live' && s.status !== 'live' && s.phase !== 'playing') return connect(next, true);
      if (s.phase === 'waiting') return connect(next, true);
      return next;
    }
    case 'restart':
      return s.phase === 'empty' || s.phase === 'waiting' ? s : connect(s, true);
    case 'progress':
      if (e.generation !== s.generation || !active(s.phase)) return s;
      return s.phase === 'playing' && s.attempt === 0 ? s : { ...s, phase: 'playing', attempt: 0, lastError: null };
    case 'failed': {
      if (e.generation !== s.generation || !active(s.phase)) return s;
      const attempt = s.attempt + 1;
      return { ...s, phase: 'retrying', attempt, retryInMs: backoffMs(attempt), lastError: e.reason };
    }
    case 'retry':
      if (s.phase !== 'retrying') return s;
      return isPlayable(s.status) ? connect(s, false) : wait(s);
  }
}
