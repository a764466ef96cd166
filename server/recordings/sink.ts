/** The recorder's SegmentSink for one worker process, over the recordings repository. */
import { pausableSink, type PausableSink } from '@workers/recorder/pause';
import type { SegmentSink } from '@workers/recorder/sink';
import type { RecordingsRepository } from './repository';

export interface SinkLogger {
  warn(obj: object, msg: string): void;
}

export interface SinkOptions {
  workerId: string;
  /** This worker's cache node id (store.nodeId()). */
  node: () => Promise<string>;
  /** The lease token held for a camera right now, if any. */
  tokenOf: (cameraId: string) => number | undefined;
  log: SinkLogger;
  /** After a segment is indexed (the worker kicks its uploader loop, so archiving starts at once). */
  onIndexed?(): void;
}

export function recordingSink(repo: RecordingsRepository, o: SinkOptions): SegmentSink {
  return {
    async add(s) {
      const token = o.tokenOf(s.cameraId) ?? null;
      await repo.add(s, { workerId: o.workerId, token, node: await o.node() });
      o.onIndexed?.();
      if (token === null) o.log.warn({ cameraId: s.cameraId, cacheKey: s.cacheKey }, 'segment indexed without a lease (orphan from an earlier run or a camera moved away)');
    },
    async rejected(r) {
      await repo.recordRejected(r);
    },
    async indexed(keys) {
      return repo.indexedKeys(await o.node(), keys);
    },
  };
}

/**
 * A worker's sink: indexes segments, or, while recording is paused for space (pause.ts), drops
 * each new one on arrival (cache copy removed, then a disk_guard drop recorded for the ledger).
 * One already indexed is never dropped (pause.ts asks `indexed` first).
 */
export function workerSink(repo: RecordingsRepository, o: SinkOptions & { removeCached(cacheKey: string): Promise<unknown> }): PausableSink {
  return pausableSink(recordingSink(repo, o), async (seg, full) => {
    await o.removeCached(seg.cacheKey);
    await repo.recordPausedDrop(seg, `recording paused: disk below its floor (${full.freeBytes} of ${full.minFreeBytes} bytes free), only held or uploading footage left`);
  });
}
