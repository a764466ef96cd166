/**
 * Recordings: the segment index, the hash chain, legal holds, the cache tier, the upload queue and
 * archive retention (tables of 0010_archive.sql; all their SQL is in this folder). `recordingsFor`
 * builds the repositories once; `startLoops` runs this worker's archive loops.
 */
import type { AppContext } from '@server/context';
import type { Loop, Loops } from '@common/loops';
import { cleanCache } from '@workers/recorder/cache-janitor';
import { indexOrphans } from '@workers/recorder/orphans';
import { createSegmentProber } from '@workers/recorder/mp4-probe';
import { createProber } from '@workers/ffmpeg/probe';
import type { PausableSink } from '@workers/recorder/pause';
import type { IngestStore } from '@workers/store/paths';
import { CacheTierRepository } from './cache-tier';
import { LegalHoldRepository } from './holds';
import { RecordingsRepository } from './repository';
import { workerSink, type SinkLogger } from './sink';
import { UploadQueueRepository } from './queue';
import { RecordingVerifier } from './verify';
import { ArchiveRetention } from './retention';
import { recordingRoutes, type CameraCheck } from './routes';
import type { Router } from 'express';
import { Uploader } from '@workers/uploader/uploader';

export interface LoopLogger extends SinkLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Recordings {
  repo: RecordingsRepository;
  holds: LegalHoldRepository;
  cacheTier: CacheTierRepository;
  /** This worker's sink: indexes segments, or drops them (recorded) while recording is paused for space. */
  sink(o: { workerId: string; tokenOf: (cameraId: string) => number | undefined; log: SinkLogger; store: Pick<IngestStore, 'nodeId' | 'removeCached'> }): PausableSink;
  queue: UploadQueueRepository;
  verifier: RecordingVerifier;
  routes(cameraCheck: CameraCheck): Router;
  /** The archive loops of an ingest worker: uploader, cache janitor. */
  startLoops(loops: Loops, store: IngestStore, workerId: string, sink: PausableSink, log: LoopLogger): { stop(): Promise<void> };
}

export function recordingsFor(ctx: AppContext): Recordings {
  const repo = new RecordingsRepository(ctx.database);
  const holds = new LegalHoldRepository(ctx.database);
  const cacheTier = new CacheTierRepository(ctx.database, holds);
  const queue = new UploadQueueRepository(ctx.database);
  const verifier = new RecordingVerifier(ctx.database, ctx.store);
  const retention = new ArchiveRetention(ctx.database, ctx.store);
  const { config } = ctx;
  /** Set while this worker's uploader runs: kicks its loop and wakes a pass waiting on a slow upload. */
  let wakeUploader: (() => void) | undefined;
  return {
    repo,
    holds,
    cacheTier,
    queue,
    verifier,
    routes: (cameraCheck) => recordingRoutes({ database: ctx.database, repo, verifier, cameraCheck, now: () => ctx.clock.now() }),
    // A newly indexed segment kicks this worker's uploader loop, and wakes a pass waiting on a slow
    // upload with a slot free (no wait for archive.uploadInterval either way).
    sink: (o) =>
      workerSink(repo, {
        ...o,
        node: () => o.store.nodeId(),
        removeCached: (key) => o.store.removeCached(key),
        onIndexed: () => wakeUploader?.(),
      }),
    startLoops(registry, store, workerId, sink, log) {
      const busyMs = 2 * config.ingest.recordingSegment + 60_000;
      const probe = createSegmentProber(createProber());
      const uploader = new Uploader({
        queue,
        archive: ctx.store,
        node: () => store.nodeId(),
        cachePath: (key) => store.cachePath(key),
        workerId,
        concurrency: config.archive.uploadConcurrency,
        claimTtlMs: config.archive.uploadClaimTtl,
        retryMaxMs: config.archive.uploadRetryMax,
        multipartThreshold: config.archive.multipartThreshold,
        pollMs: config.archive.uploadInterval,
        log,
      });
      const loops: Loop[] = [
        registry.add(
          'recordings.cache-janitor',
          config.ingest.retentionCheck,
          async () => {
            await indexOrphans({
              store, sink, probe, indexed: (node) => repo.cachedKeys(node), busyMs, now: () => ctx.clock.now().getTime(), log,
              segmentSeconds: Math.max(1, Math.round(config.ingest.recordingSegment / 1000)),
            });
            await cleanCache({
              store,
              index: cacheTier,
              minFreeBytes: config.ingest.cacheMinFree,
              cacheKeepMs: config.archive.cacheKeep,
              busyMs,
              now: () => ctx.clock.now().getTime(),
              log,
              onAlarm: (a) => {
                ctx.metrics.recordingDiskAlarms.inc();
                ctx.bus.publish('recording:disk-alarm', { workerId, ...a, at: ctx.clock.now().toISOString() });
              },
            }).then((report) => {
              for (const [reason, n] of Object.entries(report.byReason)) ctx.metrics.cacheDeleted.inc({ reason }, n);
              if (Boolean(report.full) !== Boolean(sink.full)) {
                const f = report.full;
                ctx.bus.publish('recording:paused', {
                  workerId,
                  paused: f !== null,
                  freeBytes: f?.freeBytes ?? null,
                  minFreeBytes: f?.minFreeBytes ?? null,
                  heldSegments: f?.heldSegments ?? 0,
                  heldBytes: f?.heldBytes ?? 0,
                  cameras: f?.cameras ?? [],
                  at: ctx.clock.now().toISOString(),
                });
                if (!f) log.info({ workerId }, 'recording cache: room again, recording resumed');
              }
              sink.setFull(report.full);
              ctx.metrics.recordingPaused.set(report.full ? 1 : 0);
            });
          },
        ),
      ];
      if (config.archive.enabled) {
        const loop = registry.add('recordings.uploader', config.archive.uploadInterval, () => uploader.drain());
        loops.push(loop);
        wakeUploader = () => {
          loop.kick();
          uploader.wake();
        };
      }
      loops.push(
        registry.add('recordings.retention', config.archive.retentionCheck, async () => {
          for (let i = 0; i < 100; i++) {
            const r = await retention.runBatch(config.archive.retentionBatch);
            if (r.segments) log.info({ ...r }, 'archive retention: segments past their camera\'s retention deleted (objects and rows)');
            if (r.segments < config.archive.retentionBatch) break;
          }
        }),
      );
      return {
        stop: async () => {
          wakeUploader = undefined;
          uploader.close(); // aborts uploads in flight: a stuck one must not hold up the stop
          await Promise.all(loops.map((l) => l.stop()));
        },
      };
    },
  };
}
