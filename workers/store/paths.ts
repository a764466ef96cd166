/**
 * The one owner of on-disk paths for ingest: live HLS per camera and the recording cache.
 * Everything else asks this module; nobody else concatenates segment file names.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cacheKeyOf, parseCacheKey } from './layout';
import { assertSafeCameraId } from './safe-id';

export { assertSafeCameraId } from './safe-id';

/** A segment file in the recording cache, named by its key (see layout.ts). */
export interface CachedFile {
  cameraId: string;
  cacheKey: string;
  path: string;
  /** Start second from the file name (ffmpeg's strftime); the exact start comes from the media. */
  nameTime: Date;
  bytes: number;
  mtimeMs: number;
}

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
  /** The cache key (`<cameraId>/<file>`) of a file in a camera's cache directory. */
  cacheKeyOfPath(cameraId: string, file: string): string;
  /** The local path of a cache key (throws on a key that is not ours). */
  cachePath(cacheKey: string): string;
  /** Every segment file in the cache (all cameras, whoever holds them now). */
  listCache(): Promise<CachedFile[]>;
  /** Deletes a cached copy; false when it was already gone. */
  removeCached(cacheKey: string): Promise<boolean>;
  /** A stable id of this cache (this disk), kept in <dataDir>/cache/.node-id across restarts. */
  nodeId(): Promise<string>;
}

function checkRunId(runId: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) throw new Error(`unsafe run id: ${runId}`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatSegmentStamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.mp4$/;

function parseCacheSegmentName(fileName: string): Date | null {
  const m = STAMP.exec(path.basename(fileName));
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const t = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return Number.isNaN(t.getTime()) ? null : t;
}

export function createIngestStore(dataDir: string): IngestStore {
  const root = path.resolve(dataDir);
  let nodeIdOnce: Promise<string> | null = null;
  const cachePath = (key: string) => {
    const k = parseCacheKey(key);
    if (!k) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
    return path.join(cacheDir(k.cameraId), k.fileName);
  };
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
    parseCacheSegmentName,
    segmentListPath: (id, runId) => {
      checkRunId(runId);
      return path.join(cacheDir(id), `.segments-${runId}.csv`);
    },
    async ensureCameraDirs(id) {
      await mkdir(liveDir(id), { recursive: true });
      await mkdir(cacheDir(id), { recursive: true });
    },
    cacheKeyOfPath: (id, file) => cacheKeyOf(id, path.basename(file)),
    cachePath,
    async listCache() {
      const out: CachedFile[] = [];
      for (const cameraId of await readdir(path.join(root, 'cache')).catch(() => [] as string[])) {
        if (cameraId.startsWith('.')) continue;
        for (const name of await readdir(path.join(root, 'cache', cameraId)).catch(() => [] as string[])) {
          const key = parseCacheKey(`${cameraId}/${name}`);
          const nameTime = key && parseCacheSegmentName(name);
          if (!key || !nameTime) continue;
          const file = path.join(cacheDir(cameraId), name);
          const st = await stat(file).catch(() => null);
          if (st?.isFile()) out.push({ cameraId, cacheKey: `${cameraId}/${name}`, path: file, nameTime, bytes: st.size, mtimeMs: st.mtimeMs });
        }
      }
      return out;
    },
    async removeCached(key) {
      const file = cachePath(key);
      const had = await stat(file).then(() => true, () => false);
      await rm(file, { force: true });
      return had;
    },
    async nodeId() {
      nodeIdOnce ??= (async () => {
        const file = path.join(root, 'cache', '.node-id');
        const known = (await readFile(file, 'utf8').catch(() => '')).trim();
        if (/^[A-Za-z0-9-]{8,64}$/.test(known)) return known;
        await mkdir(path.dirname(file), { recursive: true });
        const id = randomUUID();
        await writeFile(file, `${id}\n`, { flag: 'wx' }).catch(() => undefined);
        return (await readFile(file, 'utf8')).trim();
      })();
      return nodeIdOnce;
    },
  };
}
