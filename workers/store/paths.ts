/**
 * The one owner of on-disk paths for ingest: live HLS per camera and the recording cache.
 * Everything else asks this module; nobody else concatenates segment file names.
 */
import path from 'node:path';
import { mkdir, readdir, rm } from 'node:fs/promises';

export interface IngestStore {
  readonly dataDir: string;
  /** Directory holding one camera's live HLS playlist and segments. */
  liveDir(cameraId: string): string;
  /** <dataDir>/live/<cameraId>/index.m3u8 */
  livePlaylist(cameraId: string): string;
  /**
   * ffmpeg pattern for live HLS segments (hls_segment_filename): seg-<runId>-%d.ts, so a restarted
   * ffmpeg never reuses a name a player (or cache) may hold as immutable. Without runId: seg-%d.ts.
   */
  liveSegmentPattern(cameraId: string, runId?: string): string;
  /** Removes live segments of runs other than `keepRunId` (left behind by earlier attempts). */
  pruneLiveSegments(cameraId: string, keepRunId: string): Promise<number>;
  /** Recording cache directory for one camera. */
  cacheDir(cameraId: string): string;
  /** strftime pattern handed to ffmpeg's segment muxer: <cacheDir>/%Y%m%d-%H%M%S.mp4 (UTC, see TZ in the spawn env). */
  cacheSegmentPattern(cameraId: string): string;
  /** The file name a segment starting at `start` gets in the cache. */
  cacheSegmentPath(cameraId: string, start: Date): string;
  /** Parses a cache file name back into its UTC start time; null when the name is not ours. */
  parseCacheSegmentName(fileName: string): Date | null;
  /** CSV segment list ffmpeg appends to when a recording segment closes (one per ffmpeg run). */
  segmentListPath(cameraId: string, runId: string): string;
  /** Creates the live and cache directories of a camera. */
  ensureCameraDirs(cameraId: string): Promise<void>;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Camera ids become directory names: reject anything that could escape dataDir. */
export function assertSafeCameraId(cameraId: string): void {
  if (!SAFE_ID.test(cameraId) || cameraId.includes('..')) {
    throw new Error(`unsafe camera id for a path: ${JSON.stringify(cameraId)}`);
  }
}

function checkRunId(runId: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) throw new Error(`unsafe run id: ${runId}`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatSegmentStamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.mp4$/;

export function createIngestStore(dataDir: string): IngestStore {
  const root = path.resolve(dataDir);
  const liveDir = (id: string) => {
    assertSafeCameraId(id);
    return path.join(root, 'live', id);
  };
  const cacheDir = (id: string) => {
    assertSafeCameraId(id);
    return path.join(root, 'cache', id);
  };
  return {
    dataDir: root,
    liveDir,
    livePlaylist: (id) => path.join(liveDir(id), 'index.m3u8'),
    liveSegmentPattern: (id, runId) => {
      if (runId === undefined) return path.join(liveDir(id), 'seg-%d.ts');
      checkRunId(runId);
      return path.join(liveDir(id), `seg-${runId}-%d.ts`);
    },
    async pruneLiveSegments(id, keepRunId) {
      checkRunId(keepRunId);
      const dir = liveDir(id);
      const names = await readdir(dir).catch(() => [] as string[]);
      const stale = names.filter((n) => /^seg-.*\.ts$/.test(n) && !n.startsWith(`seg-${keepRunId}-`));
      await Promise.all(stale.map((n) => rm(path.join(dir, n), { force: true })));
      return stale.length;
    },
    cacheDir,
    cacheSegmentPattern: (id) => path.join(cacheDir(id), '%Y%m%d-%H%M%S.mp4'),
    cacheSegmentPath: (id, start) => path.join(cacheDir(id), `${formatSegmentStamp(start)}.mp4`),
    parseCacheSegmentName(fileName) {
      const m = STAMP.exec(path.basename(fileName));
      if (!m) return null;
      const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
      const t = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
      return Number.isNaN(t.getTime()) ? null : t;
    },
    segmentListPath: (id, runId) => {
      checkRunId(runId);
      return path.join(cacheDir(id), `.segments-${runId}.csv`);
    },
    async ensureCameraDirs(id) {
      await mkdir(liveDir(id), { recursive: true });
      await mkdir(cacheDir(id), { recursive: true });
    },
  };
}
