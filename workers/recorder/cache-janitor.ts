/**
 * Keeps the local recording cache within bounds: applies planRetention to the files under
 * <dataDir>/cache and deletes what it says — index rows first, then the files, so the index never
 * names a file that is gone. The registry, the index and the disk are behind small interfaces.
 */
import { readdir, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { assertSafeCameraId, type IngestStore } from '@workers/store/paths';
import { planRetention, type CachedSegment, type DeleteReason } from './retention';

export interface CacheJanitorDeps {
  store: Pick<IngestStore, 'dataDir' | 'cacheDir' | 'parseCacheSegmentName'>;
  /** Retention days of those of `cameraIds` that are still registered. */
  retentionOf(cameraIds: string[]): Promise<Map<string, number>>;
  /** Removes the index rows of these files. */
  unindex(paths: string[]): Promise<void>;
  /** Free bytes on the file system holding `dir` (default: statfs). */
  freeBytes?(dir: string): Promise<number>;
  minFreeBytes: number;
  /** Files modified this recently are left alone (being written or validated). */
  busyMs: number;
  now(): number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export interface CleanReport {
  deleted: number;
  bytes: number;
  byReason: Partial<Record<DeleteReason, number>>;
}

async function diskFree(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

async function listCache(store: CacheJanitorDeps['store']): Promise<CachedSegment[]> {
  const root = path.join(store.dataDir, 'cache');
  const out: CachedSegment[] = [];
  for (const cameraId of await readdir(root).catch(() => [] as string[])) {
    try {
      assertSafeCameraId(cameraId);
    } catch {
      continue;
    }
    const dir = store.cacheDir(cameraId);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const start = store.parseCacheSegmentName(name);
      if (!start) continue;
      const file = path.join(dir, name);
      const st = await stat(file).catch(() => null);
      if (st?.isFile()) out.push({ cameraId, path: file, start, bytes: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return out;
}

/** One pass over the cache. */
export async function cleanCache(deps: CacheJanitorDeps): Promise<CleanReport> {
  const segments = await listCache(deps.store);
  const report: CleanReport = { deleted: 0, bytes: 0, byReason: {} };
  if (!segments.length) return report;
  const cameraIds = [...new Set(segments.map((s) => s.cameraId))];
  const plan = planRetention({
    segments,
    retentionDays: await deps.retentionOf(cameraIds),
    freeBytes: await (deps.freeBytes ?? diskFree)(deps.store.dataDir),
    minFreeBytes: deps.minFreeBytes,
    now: deps.now(),
    busyMs: deps.busyMs,
  });
  if (!plan.length) return report;
  await deps.unindex(plan.map((d) => d.segment.path));
  for (const d of plan) {
    try {
      await rm(d.segment.path, { force: true });
    } catch (err) {
      deps.log.warn({ path: d.segment.path, err: (err as Error).message }, 'cached segment could not be deleted');
      continue;
    }
    report.deleted++;
    report.bytes += d.segment.bytes;
    report.byReason[d.reason] = (report.byReason[d.reason] ?? 0) + 1;
  }
  const msg = report.byReason.disk
    ? 'recording cache: disk space below the floor, oldest segments deleted so recording goes on (raise the disk or lower retention)'
    : 'recording cache: segments past retention deleted';
  (report.byReason.disk ? deps.log.warn : deps.log.info).call(deps.log, { ...report, minFreeBytes: deps.minFreeBytes }, msg);
  return report;
}
