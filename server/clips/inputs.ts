/**
 * ClipInputs over the recording index: a recorded file whose hot-cache copy is on this node's
 * disk is read by ffmpeg from there (a path); an archived one from S3: for a short clip every
 * archived file is fetched into the job's scratch directory first and read as a path, for a long
 * one through a loopback HTTP server that this job alone opens (archive-reader.ts: fetched a few
 * files ahead, never credentials or a signed URL on ffmpeg's side). A file in neither place
 * (cached on another worker, not archived yet) is left out: the clip shows it as a gap.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { RecordingsRepository } from '@server/recordings/repository';
import type { ObjectStore } from '@server/storage/object-store';
import type { ClipInputs, RecordedInput } from '@workers/clipper/ports';
import type { IngestStore } from '@workers/store/paths';
import { fetchArchivedFiles, serveArchive, type ArchivedFile } from './archive-reader';

export { byteRange } from './archive-reader';

export interface InputDeps {
  recordings: Pick<RecordingsRepository, 'listSegments'>;
  store: Pick<IngestStore, 'nodeId' | 'cachePath'>;
  objects: Pick<ObjectStore, 'get'>;
  /** Archived bytes up to which a clip's files are all fetched before ffmpeg starts (default WHOLE_FETCH_LIMIT). */
  wholeFetchLimit?: number;
}

/**
 * Up to this many archived bytes (about 17 minutes at 4 Mb/s) a clip's files are fetched whole
 * into its scratch directory and ffmpeg reads local paths; a longer clip goes through the loopback
 * reader, which keeps only a few files on disk at a time.
 */
export const WHOLE_FETCH_LIMIT = 512 * 1024 * 1024;

export function recordedInputs(deps: InputDeps): ClipInputs {
  return {
    async open(cameraId, from, to, scratchDir, signal) {
      const segments = await deps.recordings.listSegments(cameraId, from, to);
      const node = await deps.store.nodeId();
      const token = randomBytes(16).toString('hex');
      const archived: ArchivedFile[] = [];
      const files: RecordedInput[] = [];
      for (const s of segments) {
        const span = { start: s.start.getTime(), end: s.end.getTime() };
        if (s.cacheKey && s.cacheNode === node) {
          const file = deps.store.cachePath(s.cacheKey);
          if ((await stat(file).catch(() => null))?.isFile()) {
            files.push({ ...span, input: file });
            continue;
          }
        }
        if (s.state === 'archived') {
          const path = `/${token}/${s.id}.mp4`;
          archived.push({ path, key: s.objectKey, bytes: s.bytes });
          files.push({ ...span, input: path });
        }
      }
      if (!archived.length) return { files, close: async () => undefined };
      if (archived.reduce((n, f) => n + f.bytes, 0) <= (deps.wholeFetchLimit ?? WHOLE_FETCH_LIMIT)) {
        const local = await fetchArchivedFiles(deps.objects, archived, scratchDir, signal);
        const byPath = new Map(archived.map((f, i) => [f.path, local[i]!]));
        return { files: files.map((f) => ({ ...f, input: byPath.get(f.input) ?? f.input })), close: async () => undefined };
      }
      const server = await serveArchive(deps.objects, archived, scratchDir);
      return { files: files.map((f) => (f.input.startsWith(`/${token}/`) ? { ...f, input: server.base + f.input } : f)), close: server.close };
    },
  };
}
