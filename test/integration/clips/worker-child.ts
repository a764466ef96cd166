/**
 * A clip worker alone in a child process (to be killed by PID mid-job): env SKYEYE_T_DB (a
 * PostgreSQL URL, or empty for PGlite in SKYEYE_T_DIR), SKYEYE_T_S3 (endpoint), SKYEYE_T_DIR.
 */
import path from 'node:path';
import { configSchema } from '@config/schema';
import { openDatabase } from '@server/db/database';
import { clipObjectKey, ClipsRepository } from '@server/clips/index';
import { recordedInputs } from '@server/clips/inputs';
import { clipStorage } from '@server/clips/source';
import { RecordingsRepository } from '@server/recordings/repository';
import { openObjectStore } from '@server/storage/object-store';
import { spawnRunner } from '@workers/ffmpeg/process';
import { resolveFfmpegPath, resolveFfprobePath } from '@workers/ffmpeg/version';
import { ffprobeKeyframes } from '@workers/clipper/ffmpeg';
import { ClipWorker } from '@workers/clipper/worker';
import { createIngestStore } from '@workers/store/paths';

const dir = process.env.SKYEYE_T_DIR!;
const database = await openDatabase({ url: process.env.SKYEYE_T_DB || undefined, dataDir: dir });
const config = configSchema.parse({ dataDir: dir, storage: { endpoint: process.env.SKYEYE_T_S3, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true } });
const objects = await openObjectStore(config);
const worker = new ClipWorker({
  queue: new ClipsRepository(database),
  inputs: recordedInputs({ recordings: new RecordingsRepository(database), store: createIngestStore(dir), objects }),
  storage: clipStorage(objects, config.clips.singlePutLimit),
  runner: spawnRunner,
  ffmpegPath: resolveFfmpegPath(),
  keyframes: ffprobeKeyframes(resolveFfprobePath()),
  workDir: path.join(dir, 'work-child'),
  claimer: 'child',
  claimTtlMs: 1_500,
  maxAttempts: 3,
  objectKey: (job) => clipObjectKey(job.incidentId, job.id),
  onProgress() {},
  log: { info() {}, warn() {} },
});
console.log('READY');
await worker.drain();
console.log('DRAINED');
await database.close();
await objects.close();
