/**
 * Keeps the local recording cache a hot tier: applies planCache to this node's cached files and
 * deletes what it says. The index is updated before each file goes (so it never names a file that
 * is gone): an archived copy just loses its cache key; an un-archived one becomes a recorded drop
 * (cause disk_guard), after the alarm. When even that leaves the disk below its floor because only
 * held (or uploading) footage is left, the report says so (`full`): the worker pauses recording
 * (pause.ts) rather than touch held footage. The index, the holds and the disk are behind ports.
 */
import { statfs } from 'node:fs/promises';
import type { IngestStore } from '@workers/store/paths';
import type { DiskFull } from './pause';
import { planCache, type CachedSegment, type DeleteReason } from './retention';

export interface CacheEntry {
  archivedAt: number | null;
  uploading: boolean;
  start: Date;
  end: Date;
}

export interface Range {
  from: Date;
  to: Date;
}

/** What the janitor needs from the recordings index (server/recordings implements it). */
export interface CacheIndexPort {
  /** Index state of the cache keys on this node. */
  cacheState(node: string): Promise<Map<string, CacheEntry>>;
  /** Active legal holds of these cameras. */
  holds(cameraIds: string[]): Promise<Map<string, Range[]>>;
  /** The archived copy leaves the cache (row stays); false if it is not archived. */
  releaseArchived(node: string, cacheKey: string): Promise<boolean>;
  /** An un-archived copy is dropped for space: recorded (cause disk_guard); false if it may not go now. */
  dropUnarchived(node: string, cacheKey: string, seg: { cameraId: string; start: Date; end: Date; bytes: number }): Promise<boolean>;
}

export interface DiskAlarm {
  freeBytes: number;
  minFreeBytes: number;
  /** Un-archived segments about to be dropped, and their bytes. */
  segments: number;
  bytes: number;
  cameras: string[];
}

export interface CacheJanitorDeps {
  store: Pick<IngestStore, 'dataDir' | 'listCache' | 'removeCached' | 'nodeId'>;
  index: CacheIndexPort;
  /** Free bytes on the file system holding `dir` (default: statfs). */
  freeBytes?(dir: string): Promise<number>;
  minFreeBytes: number;
  cacheKeepMs: number;
  /** Files modified this recently are left alone (being written or validated). */
  busyMs: number;
  now(): number;
  /** Raised before any un-archived segment is dropped (metric, socket.io event). */
  onAlarm?(alarm: DiskAlarm): void;
  /** Raised on every pass that leaves the disk below the floor with only held or uploading footage to free. */
  onFull?(full: DiskFull): void;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface CleanReport {
  deleted: number;
  bytes: number;
  byReason: Partial<Record<DeleteReason, number>>;
  /** Still below the floor after this pass, with only held or uploading un-archived footage left; else null. */
  full: DiskFull | null;
}

async function diskFree(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

const overlaps = (ranges: Range[] | undefined, from: Date, to: Date) => (ranges ?? []).some((r) => r.from < to && r.to > from);

/** One pass over this node's cache. */
export async function cleanCache(deps: CacheJanitorDeps): Promise<CleanReport> {
  const report: CleanReport = { deleted: 0, bytes: 0, byReason: {}, full: null };
  const files = await deps.store.listCache();
  if (!files.length) return report;
  const node = await deps.store.nodeId();
  const state = await deps.index.cacheState(node);
  const holds = await deps.index.holds([...new Set(files.map((f) => f.cameraId))]);
  const ends = new Map<string, Date>();
  const segments: CachedSegment[] = files.map((f) => {
    const e = state.get(f.cacheKey);
    const start = e?.start ?? f.nameTime;
    const end = e?.end ?? new Date(Math.max(f.mtimeMs, start.getTime()));
    ends.set(f.cacheKey, end);
    return { cameraId: f.cameraId, cacheKey: f.cacheKey, start, bytes: f.bytes, mtimeMs: f.mtimeMs, archivedAt: e?.archivedAt ?? null, held: overlaps(holds.get(f.cameraId), start, end), uploading: e?.uploading ?? false };
  });
  const freeBytes = await (deps.freeBytes ?? diskFree)(deps.store.dataDir);
  const plan = planCache({ segments, freeBytes, minFreeBytes: deps.minFreeBytes, cacheKeepMs: deps.cacheKeepMs, now: deps.now(), busyMs: deps.busyMs });
  const planned = new Set(plan.map((d) => d.segment.cacheKey));
  const kept = segments.filter((s) => s.archivedAt === null && (s.held || s.uploading) && !planned.has(s.cacheKey));
  if (freeBytes + plan.reduce((n, d) => n + d.segment.bytes, 0) < deps.minFreeBytes && kept.length) {
    report.full = {
      freeBytes,
      minFreeBytes: deps.minFreeBytes,
      heldSegments: kept.length,
      heldBytes: kept.reduce((n, s) => n + s.bytes, 0),
      cameras: [...new Set(kept.map((s) => s.cameraId))],
    };
    deps.log.error({ ...report.full }, 'recording cache: disk below the floor and only held or uploading footage left: recording paused on this node (free disk space or fix the archive upload)');
    deps.onFull?.(report.full);
  }
  if (!plan.length) return report;
  const drops = plan.filter((d) => d.reason === 'disk_unarchived');
  if (drops.length) {
    const alarm: DiskAlarm = {
      freeBytes,
      minFreeBytes: deps.minFreeBytes,
      segments: drops.length,
      bytes: drops.reduce((n, d) => n + d.segment.bytes, 0),
      cameras: [...new Set(drops.map((d) => d.segment.cameraId))],
    };
    deps.log.error(alarm, 'recording cache: disk below the floor and nothing archived left to free: dropping the oldest un-archived segments (raise the disk, fix the archive upload)');
    deps.onAlarm?.(alarm);
  }
  for (const d of plan) {
    const s = d.segment;
    const ok =
      d.reason === 'disk_unarchived'
        ? await deps.index.dropUnarchived(node, s.cacheKey, { cameraId: s.cameraId, start: s.start, end: ends.get(s.cacheKey)!, bytes: s.bytes })
        : await deps.index.releaseArchived(node, s.cacheKey);
    if (!ok) continue;
    try {
      await deps.store.removeCached(s.cacheKey);
    } catch (err) {
      deps.log.warn({ cacheKey: s.cacheKey, err }, 'cached segment could not be deleted');
      continue;
    }
    report.deleted++;
    report.bytes += s.bytes;
    report.byReason[d.reason] = (report.byReason[d.reason] ?? 0) + 1;
  }
  if (report.deleted) deps.log.info({ ...report, minFreeBytes: deps.minFreeBytes }, 'recording cache: copies deleted');
  return report;
}
