/**
 * The clips module: the service and routes over clip_jobs, ClipSource for evidence, and the clip
 * worker (workers/clipper) registered as the `clips.worker` loop in processes that run workers.
 * IncidentAccess and CustodyLog come from the composition root (server/incidents' seams).
 */
import { join } from 'node:path';
import type { Router } from 'express';
import type { Loops } from '@common/loops';
import type { AppContext } from '@server/context';
import type { CustodyLog, FootageGate, IncidentAccess, ClipSource } from '@server/incidents/ports';
import type { SeeCamera } from '@server/ledger/routes';
import { RecordingsRepository } from '@server/recordings/repository';
import { spawnRunner } from '@workers/ffmpeg/process';
import { resolveFfmpegPath, resolveFfprobePath } from '@workers/ffmpeg/version';
import { ffprobeKeyframes } from '@workers/clipper/ffmpeg';
import { ClipWorker } from '@workers/clipper/worker';
import { createIngestStore } from '@workers/store/paths';
import { recordedInputs } from './inputs';
import { ClipsRepository } from './repository';
import { clipRoutes } from './routes';
import { ClipsService } from './service';
import { clipSource, clipStorage } from './source';
import './openapi';

export { ClipsRepository } from './repository';
export { ClipsService } from './service';

export interface ClipsModule {
  repo: ClipsRepository;
  service: ClipsService;
  source: ClipSource;
  routes(): Router;
  /** Wakes this process's clip worker (set when one runs). */
  kick(): void;
}

export interface ClipsPorts {
  access: IncidentAccess;
  custody: CustodyLog;
  see: SeeCamera;
  footage: Pick<FootageGate, 'check'>;
}

export function buildClipsModule(ctx: Pick<AppContext, 'database' | 'store' | 'clock' | 'config'>, ports: ClipsPorts): ClipsModule {
  const repo = new ClipsRepository(ctx.database);
  const m: ClipsModule = {
    repo,
    service: new ClipsService({
      repo,
      access: ports.access,
      custody: ports.custody,
      see: ports.see,
      footage: ports.footage,
      objects: ctx.store,
      clock: ctx.clock,
      maxLengthMs: ctx.config.clips.maxLength,
      maxCameras: ctx.config.clips.maxCameras,
      queued: () => m.kick(),
    }),
    source: clipSource(repo, ctx.store),
    routes: () => clipRoutes(m.service),
    kick: () => undefined,
  };
  return m;
}

export const clipObjectKey = (incidentId: string, clipId: string) => `clips/${incidentId}/${clipId}.mp4`;

/** Builds a clip worker for this process (tests build their own with other claimers). */
export function clipWorker(ctx: Pick<AppContext, 'database' | 'store' | 'config' | 'bus' | 'logger'>, repo: ClipsRepository, claimer: string): ClipWorker {
  const log = ctx.logger.child({ module: 'clips' });
  return new ClipWorker({
    queue: repo,
    inputs: recordedInputs({ recordings: new RecordingsRepository(ctx.database), store: createIngestStore(ctx.config.dataDir), objects: ctx.store }),
    storage: clipStorage(ctx.store, ctx.config.clips.singlePutLimit),
    runner: spawnRunner,
    ffmpegPath: resolveFfmpegPath(),
    keyframes: ffprobeKeyframes(resolveFfprobePath()),
    workDir: join(ctx.config.dataDir, 'tmp', 'clips'),
    claimer,
    claimTtlMs: ctx.config.clips.claimTtl,
    maxAttempts: ctx.config.clips.maxAttempts,
    objectKey: (job) => clipObjectKey(job.incidentId, job.id),
    onProgress: (job, p) => ctx.bus.publish('clip:progress', { clipId: job.id, incidentId: job.incidentId, cameraId: job.cameraId, status: p.status, progress: p.progress, userId: job.requestedBy }),
    log: { info: (o, msg) => log.info(o, msg), warn: (o, msg) => log.warn(o, msg) },
  });
}

/** The `clips.worker` loop: drains due jobs every clips.pollInterval and when this process queues one. */
export function startClipWorker(ctx: AppContext, loops: Loops, clips: ClipsModule): { stop(): Promise<void> } {
  const worker = clipWorker(ctx, clips.repo, ctx.instanceId);
  const loop = loops.add('clips.worker', ctx.config.clips.pollInterval, () => worker.drain(), { firstRunMs: 0 });
  clips.kick = () => loop.kick();
  return {
    async stop() {
      clips.kick = () => undefined;
      await worker.stop();
      await loop.stop();
    },
  };
}
