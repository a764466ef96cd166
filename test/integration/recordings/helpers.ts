/** Fixtures for the recordings tests: a registered camera and real cached segment files indexed through the repository. */
import { createHash } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import type { Database } from '@server/db/database';
import type { RecordingsRepository } from '@server/recordings/repository';
import { recordingObjectKey } from '@workers/store/layout';
import { formatSegmentStamp, type IngestStore } from '@workers/store/paths';

export async function insertCamera(database: Database, retentionDays = 30): Promise<string> {
  const [row] = await database.query<{ id: string }>(
    `INSERT INTO cameras (name, kind, lat, lon, enrollment_state, retention_days) VALUES ('c', 'road', 34.09, 119.35, 'approved', $1) RETURNING id`,
    [retentionDays],
  );
  return row!.id;
}

export interface FakeSegmentOptions {
  bytes?: number;
  durationMs?: number;
  /** Age of the file's mtime (default: the segment's age). */
  mtimeAgeMs?: number;
  index?: boolean;
  node?: string;
}

/** A cached file starting `ageMs` ago (second-aligned), indexed as a cached segment unless told otherwise. */
export async function cachedSegment(store: IngestStore, repo: RecordingsRepository, cameraId: string, ageMs: number, o: FakeSegmentOptions = {}) {
  const start = new Date(Math.floor((Date.now() - ageMs) / 1000) * 1000);
  const durationMs = o.durationMs ?? 4_000;
  await mkdir(store.cacheDir(cameraId), { recursive: true });
  const file = store.cacheSegmentPath(cameraId, start);
  const body = Buffer.alloc(o.bytes ?? 4096, start.getTime() % 251);
  body.write(`${cameraId}@${start.toISOString()}`);
  await writeFile(file, body);
  const mtime = new Date(Date.now() - (o.mtimeAgeMs ?? ageMs));
  await utimes(file, mtime, mtime);
  const cacheKey = `${cameraId}/${formatSegmentStamp(start)}.mp4`;
  const sha256 = createHash('sha256').update(body).digest('hex');
  const end = new Date(start.getTime() + durationMs);
  if (o.index !== false) {
    await repo.add(
      { cameraId, cacheKey, objectKey: recordingObjectKey(cameraId, start), start, end, bytes: body.length, sha256, durationMs, frames: 100, codec: 'h264', width: 640, height: 360, flags: [] },
      { workerId: 'test', token: null, node: o.node ?? (await store.nodeId()) },
    );
  }
  return { file, cacheKey, start, end, sha256, bytes: body.length };
}
