/**
 * Archive retention on a real database and real S3 objects (s3rver): exactly the segments past
 * their camera's retention go (objects and rows, one audit entry per batch, drops for the ledger),
 * nothing under a legal hold, and the hash chain still verifies across what was removed.
 */
import { stat } from 'node:fs/promises';
import { expect } from 'chai';
import type { Database } from '@server/db/database';
import { CacheTierRepository } from '@server/recordings/cache-tier';
import { LegalHoldRepository } from '@server/recordings/holds';
import { UploadQueueRepository } from '@server/recordings/queue';
import { RecordingsRepository } from '@server/recordings/repository';
import { ArchiveRetention } from '@server/recordings/retention';
import { RecordingVerifier } from '@server/recordings/verify';
import type { ObjectStore } from '@server/storage/object-store';
import type { IngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { TEST_BACKEND } from '@test/helpers/database';
import { archiveFixture } from './fixture';
import { cachedSegment, insertCamera } from './helpers';
import { type TestS3 } from './s3';

const H = 3_600_000;
const exists = (f: string) => stat(f).then(() => true, () => false);

describe(`archive retention (${TEST_BACKEND}, s3rver)`, function () {
  this.timeout(180_000);
  let database: Database;
  let store: IngestStore;
  let repo: RecordingsRepository;
  let s3: TestS3;
  let objects: ObjectStore;

  const world = archiveFixture('skyeye-ret-');
  before(async () => {
    ({ database, store, repo, s3, objects } = world);
  });

  it('deletes exactly what is past retention, nothing under hold, and the chain still verifies', async () => {
    const cam = await insertCamera(database, 1);
    const retired = await insertCamera(database, 2);
    const segs = {
      old: await cachedSegment(store, repo, cam, 72 * H),
      held: await cachedSegment(store, repo, cam, 60 * H),
      old2: await cachedSegment(store, repo, cam, 48 * H),
      fresh: await cachedSegment(store, repo, cam, 2 * H),
      retiredOld: await cachedSegment(store, repo, retired, 72 * H),
      retiredKept: await cachedSegment(store, repo, retired, 30 * H),
    };
    // The retired camera is deleted: its rows keep the retention days they were recorded with (2).
    await database.query('DELETE FROM cameras WHERE id = $1', [retired]);
    const uploader = new Uploader({
      queue: new UploadQueueRepository(database), archive: objects, node: () => store.nodeId(), cachePath: (k) => store.cachePath(k),
      workerId: 't', concurrency: 3, claimTtlMs: 5_000, retryMaxMs: 100, multipartThreshold: 16 * 1024 ** 2, log: { info() {}, warn() {} },
    });
    expect(await uploader.drain()).to.equal(6);
    const holds = new LegalHoldRepository(database);
    const tier = new CacheTierRepository(database, holds);
    const node = await store.nodeId();
    for (const s of Object.values(segs)) expect(await tier.releaseArchived(node, s.cacheKey)).to.equal(true);
    await holds.create({ cameraId: cam, from: new Date(segs.held.start.getTime() + 1000), to: new Date(segs.held.start.getTime() + 2000), reason: 'incident 42' });
    const keysBefore = new Map((await repo.listSegments(cam, new Date(0), new Date())).concat(await repo.listSegments(retired, new Date(0), new Date())).map((r) => [r.sha256, r.objectKey]));

    const retention = new ArchiveRetention(database, objects);
    const report = await retention.runBatch(2); // a batch smaller than the work: the rest in the next
    expect(report.segments).to.equal(2);
    const second = await retention.runBatch(2);
    expect(second.segments).to.equal(1);
    expect((await retention.runBatch(2)).segments).to.equal(0);

    const left = async (id: string) => (await repo.listSegments(id, new Date(0), new Date())).map((r) => r.sha256);
    expect(await left(cam)).to.deep.equal([segs.held.sha256, segs.fresh.sha256]);
    expect(await left(retired)).to.deep.equal([segs.retiredKept.sha256]);
    for (const s of [segs.old, segs.old2, segs.retiredOld]) expect(await exists(s3.objectFile(keysBefore.get(s.sha256)!)), 'object of a deleted segment').to.equal(false);
    for (const s of [segs.held, segs.fresh, segs.retiredKept]) expect(await exists(s3.objectFile(keysBefore.get(s.sha256)!)), 'object of a kept segment').to.equal(true);

    const audit = await database.query<{ details: { segments: number } }>(`SELECT details FROM audit_log WHERE action = 'recording.retention' ORDER BY id`);
    expect(audit.map((a) => a.details.segments)).to.deep.equal([2, 1]);
    const drops = await database.query<{ camera_id: string }>(`SELECT camera_id FROM recording_drops WHERE cause = 'retention'`);
    expect(drops.length).to.be.at.least(2);
    expect(await new RecordingVerifier(database, objects).verify(cam, new Date(0), new Date())).to.deep.equal({ ok: true, checked: 2, problems: [] });
  });
});
