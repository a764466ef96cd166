/**
 * The uploader alone in a child process (to be killed by PID mid-upload): env SKYEYE_T_DB (a
 * PostgreSQL URL, or empty for PGlite in SKYEYE_T_DIR), SKYEYE_T_S3 (endpoint), SKYEYE_T_DIR.
 */
import { openDatabase } from '@server/db/database';
import { configSchema } from '@config/schema';
import { openObjectStore } from '@server/storage/object-store';
import { UploadQueueRepository } from '@server/recordings/queue';
import { createIngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';

const dir = process.env.SKYEYE_T_DIR!;
const database = await openDatabase({ url: process.env.SKYEYE_T_DB || undefined, dataDir: dir });
const archive = await openObjectStore(
  configSchema.parse({ dataDir: dir, storage: { endpoint: process.env.SKYEYE_T_S3, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }),
);
const store = createIngestStore(dir);
const uploader = new Uploader({
  queue: new UploadQueueRepository(database),
  archive,
  node: () => store.nodeId(),
  cachePath: (k) => store.cachePath(k),
  workerId: 'child',
  concurrency: 1,
  claimTtlMs: Number(process.env.SKYEYE_T_CLAIM_TTL ?? 1_000),
  retryMaxMs: 200,
  multipartThreshold: 16 * 1024 ** 2,
  log: { info() {}, warn() {} },
});
console.log('READY');
await uploader.drain();
console.log('DRAINED');
await database.close();
await archive.close();
