/** Recording timeline and playback: API shapes shared by the server and the console. */

/**
 * Why a camera has no recording for an interval (server/ledger/ledger.ts decides):
 * - camera_offline: the camera was unreachable, refused, timed out or dropped the connection
 * - auth_failed: the camera refused the credentials
 * - stalled: connected, but no media came
 * - worker_restart: the ingest worker stopped, handed the camera over, or no worker held it
 * - worker_lost: the ingest worker went silent (killed, crashed, cut off) and Sky Eye reported it
 *   lost; at most the segment it was writing is lost (it stays in its cache)
 * - disk_guard: recorded, then dropped by the free-disk guard before it reached the archive
 * - upload_backlog: a worker was recording, but the footage is not in the index (yet): it sits in
 *   a worker's cache (a returning worker indexes it) or was lost with it
 * - invalid: a closed segment failed validation (unreadable, timestamps that jumped) and was not kept
 * - retention: older than the camera's retention days
 * - disabled: the camera was suspended, rejected or disabled
 * - in_progress: the segment being written right now (not a loss)
 * - unknown: no status history explains it
 */
export const GAP_CAUSES = [
  'camera_offline',
  'auth_failed',
  'stalled',
  'worker_restart',
  'worker_lost',
  'disk_guard',
  'upload_backlog',
  'invalid',
  'retention',
  'disabled',
  'in_progress',
  'unknown',
] as const;
export type GapCause = (typeof GAP_CAUSES)[number];

export interface TimelineSpan {
  from: string;
  to: string;
}

export interface TimelineGap {
  from: string;
  to: string;
  cause: GapCause;
}

/** GET /api/v1/cameras/{id}/timeline?from&to */
export interface Timeline {
  spans: TimelineSpan[];
  gaps: TimelineGap[];
}

/** GET /api/v1/cameras/{id}/playback?from&to */
export interface PlaybackUrl {
  url: string;
}

/**
 * socket.io 'recording:gap': a camera's current gap passed archive.gapAlert ('open'), or recording
 * resumed ('closed'). Many cameras at once: one 'recording:gaps' (RecordingGapsEvent) instead.
 */
export interface RecordingGapEvent {
  cameraId: string;
  state: 'open' | 'closed';
  /** Start of the gap (end of the last indexed segment, or when the camera was created). */
  since: string;
  cause: GapCause;
  seconds: number;
}

/** socket.io 'recording:gaps': this many cameras' gaps (those the receiver may see) opened or closed in one check. */
export interface RecordingGapsEvent {
  state: 'open' | 'closed';
  count: number;
}
