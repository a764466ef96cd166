/**
 * Where a range item's recorded segments can be read for an export package, now: the hot-cache
 * copy when it is on this node's disk (read as recorded; the package writer checks each file's
 * SHA-256 against the evidence record either way), else the archived object. A segment that is
 * neither archived nor cached here (its copy is on another worker's disk until the uploader sends
 * it) is `pending`: the export waits for the archive rather than fail or leave it out.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { RecordingsRepository } from '@server/recordings/repository';
import type { ObjectStore } from '@server/storage/object-store';
import type { IngestStore } from '@workers/store/paths';
import type { RangeSegment } from './ranges';

export interface SegmentFilesDeps {
  recordings: Pick<RecordingsRepository, 'listSegments'>;
  store: Pick<IngestStore, 'nodeId' | 'cachePath'>;
  objects: Pick<ObjectStore, 'get'>;
}

export interface Located {
  /** Opens each readable segment, by object key. */
  open: Map<string, () => Promise<Readable>>;
  /** Segments not readable yet (not archived, cached on another node). */
  pending: RangeSegment[];
}

export type SegmentFiles = (cameraId: string, segments: readonly RangeSegment[]) => Promise<Located>;

export function segmentFiles(d: SegmentFilesDeps): SegmentFiles {
  return async (cameraId, segments) => {
    const node = await d.store.nodeId();
    const open = new Map<string, () => Promise<Readable>>();
    const pending: RangeSegment[] = [];
    for (const s of segments) {
      const rows = await d.recordings.listSegments(cameraId, new Date(s.from), new Date(s.to));
      const row = rows.find((r) => r.objectKey === s.objectKey);
      if (row?.cacheKey && row.cacheNode === node) {
        const file = d.store.cachePath(row.cacheKey);
        if ((await stat(file).catch(() => null))?.isFile()) {
          open.set(s.objectKey, async () => createReadStream(file));
          continue;
        }
      }
      // Archived, or gone from the index (then the object store says what is wrong).
      if (!row || row.state === 'archived') open.set(s.objectKey, () => d.objects.get(s.objectKey));
      else pending.push(s);
    }
    return { open, pending };
  };
}
