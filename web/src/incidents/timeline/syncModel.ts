/**
 * What one camera's player does to stay on the shared playhead, as a pure function of what it shows
 * (the program-date-time under its position, from hls.js) and where the playhead is.
 */
import type { Timeline } from '@common/timeline';

/** How far a playing player may drift before it is moved (its time updates ~4 times a second). */
export const PLAY_TOLERANCE_MS = 1_000;
/** A paused player is put on the playhead to the frame. */
export const PAUSE_TOLERANCE_MS = 150;

export interface SyncInput {
  playhead: number;
  running: boolean;
  epoch: number;
  /** The camera recorded the playhead's time (the continuity ledger's spans). */
  recorded: boolean;
  /** The epoch this player's playback was started for, or null before any. */
  startedEpoch: number | null;
  /** Its playback is being opened (playlist asked for, nothing shown yet). */
  loading: boolean;
  /** Program-date-time on screen (ms), or null while loading. */
  wall: number | null;
  paused: boolean;
  seeking: boolean;
  ended: boolean;
}

export type SyncAction =
  | { kind: 'none' }
  /** Nothing recorded at the playhead: stop and say so. */
  | { kind: 'hold' }
  /** A new playback (a playlist) from the playhead. */
  | { kind: 'start'; at: number }
  /** Move by `by` ms of media time (the wall-clock distance to the playhead). */
  | { kind: 'seek'; by: number }
  | { kind: 'play' }
  | { kind: 'pause' };

export function syncStep(s: SyncInput): SyncAction {
  if (s.epoch === 0) return { kind: 'none' };
  if (!s.recorded) return { kind: 'hold' };
  if (s.startedEpoch === s.epoch && s.loading) return { kind: 'none' };
  if (s.startedEpoch !== s.epoch || s.ended) return { kind: 'start', at: s.playhead };
  if (s.wall === null || s.seeking) return { kind: 'none' };
  const drift = s.wall - s.playhead;
  if (Math.abs(drift) > (s.running ? PLAY_TOLERANCE_MS : PAUSE_TOLERANCE_MS)) return { kind: 'seek', by: -drift };
  if (s.running && s.paused) return { kind: 'play' };
  if (!s.running && !s.paused) return { kind: 'pause' };
  return { kind: 'none' };
}

/** The camera recorded `at`: inside one of its spans. */
export const recordedAt = (t: Timeline, at: number) => t.spans.some((s) => Date.parse(s.from) <= at && at < Date.parse(s.to));
