/** Reads the ledger needs from the registry: status history and a camera's facts. */
import { createdAtTextSql, statusKeySql } from '@server/cameras/repository';
import { byCamera, type Database } from '@server/db/database';
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

/**
 * quietRecordingCameras' query ($1 the cutoff, $2 the cutoff while live; one page: cameras after
 * ($3 created_at, $4 id) in created order, at most $5): the newest kept segment of every recording
 * camera by one backward probe of the segment index; exported for the plan test. Only what the
 * open gaps need, times as epoch milliseconds: a pass over 100,000 quiet cameras decodes little in
 * node.
 * Pages follow cameras_created_idx: created order is about the table's own order, so a pass reads
 * the table's pages one after another (in id order, a random UUID, it read a page per camera:
 * 85,000 reads through PGlite's 16 MB buffer pool at 100,000 cameras), and the scan ends at the
 * cameras created after both cutoffs, which cannot be quiet yet (`c.created_at < greatest(...)`
 * follows from the condition after it): right after an import of 100,000 the pass reads nothing
 * instead of every one of them (1.4 s of PGlite's thread, every pass, while the import ran).
 */
export const QUIET_CAMERAS = `SELECT c.id, c.owner_user_id, floor(extract(epoch FROM greatest(s.ended_at, c.created_at)) * 1000)::float8 AS since_ms,
        ${statusKeySql('c')} AS status_key, ${createdAtTextSql('c')} AS created
   FROM cameras c
   LEFT JOIN LATERAL (
     SELECT ended_at FROM recording_segments WHERE camera_id = c.id AND ${KEPT} ORDER BY started_at DESC LIMIT 1) s ON true
  WHERE c.enrollment_state = 'approved' AND c.recording_mode = 'continuous'
    AND c.created_at < greatest($1::timestamptz, $2::timestamptz)
    AND greatest(s.ended_at, c.created_at) < CASE WHEN c.status = 'live' THEN $2::timestamptz ELSE $1::timestamptz END
    AND (c.created_at, c.id) > ($3::timestamptz, $4::uuid)
  ORDER BY c.created_at, c.id LIMIT $5`;

/**
 * Quiet cameras one QUIET_CAMERAS query returns at most: the database is free for other queries
 * between pages. On PGlite (one connection) a page of 5,000 took 160–260 ms at 100,000 quiet
 * cameras, and every other query of the process waited behind it; a page of 1,000 takes ~40 ms.
 */
const QUIET_PAGE = 1_000;
/** Before the first camera in created order. */
const FIRST = { created: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

/** Status changes of the cameras in ($2, $3) each, preceded by the one in effect at $2 (if any); $1 the ids. */
const HISTORIES = `SELECT w.camera_id, h.at, h.status, h.cause, h.worker_id
   FROM unnest($1::uuid[], $2::timestamptz[]) AS w(camera_id, since)
   CROSS JOIN LATERAL (
     (SELECT at, status, cause, worker_id, id FROM camera_status_history WHERE camera_id = w.camera_id AND at <= w.since ORDER BY at DESC, id DESC LIMIT 1)
     UNION ALL
     (SELECT at, status, cause, worker_id, id FROM camera_status_history WHERE camera_id = w.camera_id AND at > w.since AND at < $3)) h
  ORDER BY w.camera_id, h.at, h.id`;

/** A quiet camera (quietRecordingCameras): since when, and what its status history last said. */
export interface QuietCamera {
  id: string;
  ownerUserId: string | null;
  /** Its newest kept segment's end, or its creation with none (epoch ms). */
  since: number;
  /** statusKeySql: changes with every status history row the camera gets. */
  statusKey: string;
}

export class StatusSource {
  constructor(private readonly database: Database) {}

  /** Status changes of a camera in (from, to), preceded by the one in effect at `from` (if any). */
  async history(cameraId: string, from: Date, to: Date): Promise<StatusEvent[]> {
    return (await this.histories([{ cameraId, from }], to)).get(cameraId) ?? [];
  }

  /** history() of many cameras, each from its own time, in one query. */
  async histories(windows: ReadonlyArray<{ cameraId: string; from: Date }>, to: Date): Promise<Map<string, StatusEvent[]>> {
    const rows = await this.database.query<{ camera_id: string; at: Date | string; status: string; cause: string | null; worker_id: string | null }>(HISTORIES, [
      windows.map((w) => w.cameraId),
      windows.map((w) => w.from.toISOString()),
      to.toISOString(),
    ]);
    return byCamera(rows, (r) => ({ at: new Date(r.at).getTime(), status: r.status, cause: r.cause, workerId: r.worker_id }));
  }

  async camera(cameraId: string): Promise<CameraFacts | null> {
    const rows = await this.database.query<FactsRow>(`${FACTS} WHERE id = $1`, [cameraId]);
    return rows[0] ? toFacts(rows[0]) : null;
  }

  /**
   * Cameras that should be recording (approved, continuous) whose newest kept segment (or, with
   * none, their creation) is older than `cutoff` (`liveCutoff` while live: the segment being
   * written covers the time since), with since when. Chosen in the database with one index
   * probe per camera, so a periodic check of a county's 100,000 cameras does not bring them all
   * into node: loading every recording camera there every few seconds held the event loop ~250 ms
   * a pass. Read in pages of QUIET_PAGE in created order, so a result stays bounded (100,000 quiet cameras
   * were one 100,000-row result, decoded at once in PGlite's thread) and other queries get the
   * database between pages.
   */
  async quietRecordingCameras(cutoff: Date, liveCutoff: Date, page = QUIET_PAGE): Promise<QuietCamera[]> {
    const out: QuietCamera[] = [];
    for (let after = FIRST; ; ) {
      const rows = await this.database.query<{ id: string; owner_user_id: string | null; since_ms: number | string; status_key: string; created: string }>(QUIET_CAMERAS, [
        cutoff.toISOString(),
        liveCutoff.toISOString(),
        after.created,
        after.id,
        page,
      ]);
      for (const r of rows) out.push({ id: r.id, ownerUserId: r.owner_user_id, since: Number(r.since_ms), statusKey: r.status_key });
      if (rows.length < page) return out;
      const last = rows[rows.length - 1]!;
      after = { created: last.created, id: last.id };
    }
  }

  /** Cameras that should be recording (approved, continuous), oldest first. */
  async recordingCameras(): Promise<CameraFacts[]> {
    const rows = await this.database.query<FactsRow>(`${FACTS} WHERE enrollment_state = 'approved' AND recording_mode = 'continuous' ORDER BY created_at, id`);
    return rows.map(toFacts);
  }
}
