/**
 * The recordings tests' world: a temp dir with a scratch database on the chosen backend, the
 * ingest store, the recordings repository and a real s3rver (behind the PUT-recording proxy).
 * `archiveFixture()` registers mocha hooks (before/after, or beforeEach/afterEach with `each`) that
 * fill the returned object and tear it all down again; `uploader()` builds a quiet test uploader.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '@server/db/database';
import { UploadQueueRepository } from '@server/recordings/queue';
import { RecordingsRepository } from '@server/recordings/repository';
import type { ObjectStore } from '@server/storage/object-store';
import { createIngestStore, type IngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { scratchDatabase, type ScratchDatabase } from '@test/helpers/database';
import { startTestS3, type TestS3 } from './s3';

export interface ArchiveFixture {
  dir: string;
  /** The scratch PostgreSQL database's URL; undefined on PGlite (the database lives in dir). */
  databaseUrl: string | undefined;
  database: Database;
  store: IngestStore;
  repo: RecordingsRepository;
  s3: TestS3;
  objects: ObjectStore;
  uploader(o?: { claimTtlMs?: number; workerId?: string; multipartThreshold?: number }): Uploader;
}

export function archiveFixture(prefix: string, o: { each?: boolean } = {}): ArchiveFixture {
  let scratch: ScratchDatabase | undefined;
  const f = {
    uploader: (u: { claimTtlMs?: number; workerId?: string; multipartThreshold?: number } = {}) =>
      new Uploader({
        queue: new UploadQueueRepository(f.database),
        archive: f.objects,
        node: () => f.store.nodeId(),
        cachePath: (k) => f.store.cachePath(k),
        workerId: u.workerId ?? 'test',
        concurrency: 2,
        claimTtlMs: u.claimTtlMs ?? 5_000,
        retryMaxMs: 100,
        multipartThreshold: u.multipartThreshold ?? 16 * 1024 ** 2,
        log: { info() {}, warn() {} },
      }),
  } as ArchiveFixture;
  const setUp = async () => {
    f.dir = await mkdtemp(path.join(tmpdir(), prefix));
    scratch = await scratchDatabase();
    f.databaseUrl = scratch.url;
    f.database = await openDatabase({ url: scratch.url, dataDir: f.dir, fromSnapshot: true });
    f.store = createIngestStore(f.dir);
    f.repo = new RecordingsRepository(f.database);
    f.s3 = await startTestS3(path.join(f.dir, 's3'));
    f.objects = await f.s3.openStore();
  };
  const tearDown = async () => {
    await f.objects?.close();
    await f.s3?.close();
    await f.database?.close();
    await scratch?.drop();
    if (f.dir) await rm(f.dir, { recursive: true, force: true });
  };
  (o.each ? beforeEach : before)(setUp);
  (o.each ? afterEach : after)(tearDown);
  return f;
}
