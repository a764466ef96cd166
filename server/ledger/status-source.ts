/** Reads the ledger needs from the registry: status history and a camera's facts. */
import type { Database } from '@server/db/database';
import type { StatusEvent } from './ledger';
import type { CameraFacts } from './ports';
import { KEPT } from './segment-index';

interface FactsRow {
  id: string;
  name: string;
  owner_user_id: string | null;
  created_at: Date | string;
  retention_days: number;
  status: string;
  enrollment_state: string;
  recording_mode: string;
}

const toFacts = (r: FactsRow): CameraFacts => ({
  id: r.id,
  name: r.name,
  ownerUserId: r.owner_user_id,
  createdAt: new Date(r.created_at),
  retentionDays: Number(r.retention_days),
  status: r.status,
  recording: r.enrollment_state === 'approved' && r.recording_mode === 'continuous',
});

const FACTS = `SELECT id, name, owner_user_id, created_at, retention_days, status, enrollment_state, recording_mode FROM cameras`;

/** quietRecordingCameras' query ($1 a day ago, $2 the cutoff, $3 the cutoff while live); exported for the plan test. */
export const QUIET_CAMERAS = `SELECT c.id, c.name, c.owner_user_id, c.created_at, c.retention_days, c.status, c.enrollment_state, c.recording_mode, s.ended_at AS last_end
   FROM cameras c
   LEFT JOIN LATERAL (
     SELECT ended_at FROM recording_segments
      WHERE camera_id = c.id AND ${KEPT} AND started_at > $1::timestamptz - interval '1 day'
      ORDER BY started_at DESC LIMIT 1) s ON true
  WHERE c.enrollment_state = 'approved' AND c.recording_mode = 'continuous'
    AND greatest(s.ended_at, c.created_at, $1::timestamptz) < CASE WHEN c.status = 'live' THEN $3::timestamptz ELSE $2::timestamptz END
  ORDER BY c.created_at, c.id`;

export class StatusSource {
  constructor(private readonly database: Database) {}

  /** Status changes of a camera in (from, to), preceded by the one in effect at `from` (if any). */
  async history(cameraId: string, from: Date, to: Date): Promise<StatusEvent[]> {
    const rows = await this.database.query<{ at: Date | string; status: string; cause: string | null; worker_id: string | null }>(
      `(SELECT at, status, cause, worker_id, id FROM camera_status_history WHERE camera_id = $1 AND at <= $2 ORDER BY at DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT at, status, cause, worker_id, id FROM camera_status_history WHERE camera_id = $1 AND at > $2 AND at < $3)
       ORDER BY at, id`,
      [cameraId, from.toISOString(), to.toISOString()],
    );
    return rows.map((r) => ({ at: new Date(r.at).getTime(), status: r.status, cause: r.cause, workerId: r.worker_id }));
  }

  async camera(cameraId: string): Promise<CameraFacts | null> {
    const rows = await this.database.query<FactsRow>(`${FACTS} WHERE id = $1`, [cameraId]);
    return rows[0] ? toFacts(rows[0]) : null;
  }

  /**
   * Cameras that should be recording (approved, continuous) whose newest kept segment ends before
   * their cutoff (`liveCutoff` while live: the segment being written covers the time since), or
   * that have none since `dayAgo` and were created before it too; with that segment's end. Chosen
   * in the database with one index probe per camera (its newest segment by start, within two
   * days), so a periodic check of a county's 100,000 cameras does not bring them all into node:
   * loading every recording camera there every few seconds held the event loop ~250 ms a pass.
   */
  async quietRecordingCameras(dayAgo: Date, cutoff: Date, liveCutoff: Date): Promise<Array<{ camera: CameraFacts; lastEnd: Date | null }>> {
    const rows = await this.database.query<FactsRow & { last_end: Date | string | null }>(
      QUIET_CAMERAS,
      [dayAgo.toISOString(), cutoff.toISOString(), liveCutoff.toISOString()],
    );
    return rows.map((r) => ({ camera: toFacts(r), lastEnd: r.last_end === null ? null : new Date(r.last_end) }));
  }

  /** Cameras that should be recording (approved, continuous), oldest first. */
  async recordingCameras(): Promise<CameraFacts[]> {
    const rows = await this.database.query<FactsRow>(`${FACTS} WHERE enrollment_state = 'approved' AND recording_mode = 'continuous' ORDER BY created_at, id`);
    return rows.map(toFacts);
  }
}
