/**
 * Orphans: segment files in this node's cache that no row names (a worker killed while writing,
 * a camera that moved to another worker before its last segment was indexed). Every pass indexes
 * them, whoever holds the camera now, so they get archived like any other segment; files still
 * being written (modified within `busyMs`) are left for the next pass.
 */
import type { Prober } from '@workers/ffmpeg/probe';
import type { IngestStore } from '@workers/store/paths';
import { CameraRecorder, type RecorderLogger } from './recorder';
import type { SegmentSink } from './sink';

export interface OrphanDeps {
  store: IngestStore;
  sink: SegmentSink;
  probe: Prober;
  /** Cache keys of this node that are indexed already. */
  indexed(node: string): Promise<Set<string>>;
  segmentSeconds: number;
  busyMs: number;
  now(): number;
  log?: RecorderLogger;
}

/** One pass; returns how many orphan files were offered. */
export async function indexOrphans(d: OrphanDeps): Promise<number> {
  const files = await d.store.listCache();
  if (!files.length) return 0;
  const known = await d.indexed(await d.store.nodeId());
  const orphans = files.filter((f) => !known.has(f.cacheKey) && d.now() - f.mtimeMs >= d.busyMs);
  const byCamera = new Map<string, string[]>();
  for (const f of orphans) byCamera.set(f.cameraId, [...(byCamera.get(f.cameraId) ?? []), f.path]);
  for (const [cameraId, paths] of byCamera) {
    const rec = new CameraRecorder(cameraId, d.segmentSeconds, { store: d.store, sink: d.sink, probe: d.probe, log: d.log });
    for (const p of paths.sort()) await rec.offer(p);
  }
  if (orphans.length) d.log?.info({ files: orphans.length, cameras: byCamera.size }, 'orphaned cache segments offered to the index');
  return orphans.length;
}
