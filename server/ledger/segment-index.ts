/**
 * RecordingIndex over the archive's recording_segments (0010_archive.sql; rows through
 * server/recordings' repository) and recording_drops: what the ledger and playback read.
 * Cached and archived rows are recorded time; dropped rows show through their drop records.
 */
import { byCamera, type Database } from '@server/db/database';
import { RecordingsRepository } from '@server/recordings/repository';
import type { DropRecord } from './ledger';
import type { RecordingIndex } from './ports';

/** Segments that hold recorded time (not being deleted or dropped). */
export const KEPT = `state IN ('cached', 'archived')`;

export function segmentIndex(database: Database): RecordingIndex {
  const repo = new RecordingsRepository(database);
  const dropsOf: RecordingIndex['dropsOf'] = async (windows, to) => {
    const rows = await database.query<{ camera_id: string; from_at: Date | string; to_at: Date | string; cause: DropRecord['reason'] }>(
      `SELECT d.camera_id, d.from_at, d.to_at, d.cause
         FROM unnest($1::uuid[], $2::timestamptz[]) AS w(camera_id, since)
         JOIN recording_drops d ON d.camera_id = w.camera_id AND d.from_at < $3 AND d.to_at > w.since
        ORDER BY d.camera_id, d.from_at`,
      [windows.map((w) => w.cameraId), windows.map((w) => w.from.toISOString()), to.toISOString()],
    );
    return byCamera(rows, (r) => ({ start: new Date(r.from_at).getTime(), end: new Date(r.to_at).getTime(), reason: r.cause }));
  };
  return {
    async listSegments(cameraId, from, to) {
      return (await repo.listSegments(cameraId, from, to)).map((s) => ({ cameraId: s.cameraId, start: s.start, end: s.end, bytes: s.bytes }));
    },
    async recordedMs(from, to) {
      const rows = await database.query<{ camera_id: string; ms: string | number }>(
        `SELECT camera_id, sum(extract(epoch FROM (least(ended_at, $2::timestamptz) - greatest(started_at, $1::timestamptz))) * 1000) AS ms
         FROM recording_segments WHERE started_at < $2 AND ended_at > $1 AND ${KEPT} GROUP BY camera_id`,
        [from.toISOString(), to.toISOString()],
      );
      return new Map(rows.map((r) => [r.camera_id, Number(r.ms)]));
    },
    async drops(cameraId, from, to) {
      return (await dropsOf([{ cameraId, from }], to)).get(cameraId) ?? [];
    },
    dropsOf,
  };
}
