/**
 * Evidence items on a real database, real S3 objects (s3rver) and real cache files: attaching a
 * recorded range puts its footage under legal hold, which archive retention and the disk guard (a
 * simulated full disk) never override; items are immutable (UPDATE/DELETE refused), corrections
 * are new versions, and of two parallel corrections of one version exactly one lands.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { expect } from 'chai';
import type { AuthUser } from '@server/auth/types';
import { CustodyLogRepository } from '@server/evidence/custody-log';
import { EvidenceItemsRepository } from '@server/evidence/items-repository';
import { EvidenceService, type Caller } from '@server/evidence/items-service';
import { HttpError } from '@server/http/problem';
import { CacheTierRepository } from '@server/recordings/cache-tier';
import { LegalHoldRepository } from '@server/recordings/holds';
import { ArchiveRetention } from '@server/recordings/retention';
import { cleanCache } from '@workers/recorder/cache-janitor';
import { TEST_BACKEND } from '@test/helpers/database';
import { archiveFixture } from '../recordings/fixture';
import { cachedSegment, insertCamera } from '../recordings/helpers';
import { TestClipSource, testIncidentAccess } from './ports';

const H = 3_600_000;
const exists = (f: string) => stat(f).then(() => true, () => false);
const user: AuthUser = { id: '00000000-0000-4000-8000-000000000001', username: 'inv', role: 'investigator', displayName: 'Inv', via: 'bearer' };
const caller: Caller = { user, audit: { actorId: null, actorName: 'inv', actorRole: 'investigator', ip: '127.0.0.9', requestId: 'req-holds-1' } };

describe(`evidence items and legal holds (${TEST_BACKEND}, s3rver)`, function () {
  this.timeout(180_000);
  const world = archiveFixture('skyeye-evh-');
  let service: EvidenceService;
  let holds: LegalHoldRepository;

  before(() => {
    holds = new LegalHoldRepository(world.database);
    service = new EvidenceService({
      database: world.database, items: new EvidenceItemsRepository(world.database), holds, recordings: world.repo,
      custody: new CustodyLogRepository(world.database), incidents: testIncidentAccess, clips: new TestClipSource(), now: () => new Date(),
    });
  });

  it('a held range survives retention and a full disk; everything else goes', async () => {
    const { database, store, repo, s3 } = world;
    const cam = await insertCamera(database, 1); // one day of retention
    const old = await cachedSegment(store, repo, cam, 72 * H);
    const heldA = await cachedSegment(store, repo, cam, 60 * H);
    const heldB = await cachedSegment(store, repo, cam, 60 * H - 4_000);
    expect(await world.uploader().drain()).to.equal(3);
    const tier = new CacheTierRepository(database, holds);
    const node = await store.nodeId();
    for (const s of [old, heldA, heldB]) expect(await tier.releaseArchived(node, s.cacheKey)).to.equal(true);
    // Not yet archived, in the cache only: a disk guard would drop these first.
    const freshOld = await cachedSegment(store, repo, cam, 5 * H);
    const freshHeld = await cachedSegment(store, repo, cam, 4 * H);

    const item = await service.attach(caller, 'inc-1', { kind: 'range', cameraId: cam, from: heldA.start, to: heldB.end });
    expect(item).to.include({ kind: 'range', version: 1, partial: false });
    expect(item.segments.map((s) => s.sha256)).to.deep.equal([heldA.sha256, heldB.sha256]);
    const item2 = await service.attach(caller, 'inc-1', { kind: 'range', cameraId: cam, from: freshHeld.start, to: freshHeld.end, holdUntil: new Date(Date.now() + 30 * 86_400_000) });
    const active = (await holds.active([cam])).get(cam)!;
    expect(active.map((h) => h.id).sort()).to.deep.equal([item.holdId, item2.holdId].sort());

    // Retention: past one day, only the unheld archived segment goes (row and object).
    const keys = new Map((await repo.listSegments(cam, new Date(0), new Date())).map((r) => [r.sha256, r.objectKey]));
    const report = await new ArchiveRetention(database, world.objects).runBatch(100);
    expect(report.segments).to.equal(1);
    const left = (await repo.listSegments(cam, new Date(0), new Date())).map((r) => r.sha256);
    expect(left).to.deep.equal([heldA.sha256, heldB.sha256, freshOld.sha256, freshHeld.sha256]);
    expect(await exists(s3.objectFile(keys.get(old.sha256)!))).to.equal(false);
    for (const s of [heldA, heldB]) expect(await exists(s3.objectFile(keys.get(s.sha256)!))).to.equal(true);

    // A full disk, however far below the floor: the unheld un-archived copy goes, the held one stays.
    const alarms: unknown[] = [];
    await cleanCache({
      store, index: tier, freeBytes: async () => 0, minFreeBytes: 1e15, cacheKeepMs: H, busyMs: 60_000, now: () => Date.now(),
      onAlarm: (a) => alarms.push(a), log: { info() {}, warn() {}, error() {} },
    });
    expect(alarms).to.have.length(1);
    expect(existsSync(freshOld.file)).to.equal(false);
    expect(existsSync(freshHeld.file)).to.equal(true);
    const [st] = await database.query<{ state: string }>('SELECT state FROM recording_segments WHERE sha256 = $1', [freshHeld.sha256]);
    expect(st!.state).to.equal('cached');
  });

  it('items are immutable; a correction is a new version; parallel corrections: one lands, one conflicts', async () => {
    const { database, store, repo } = world;
    const cam = await insertCamera(database, 30);
    const a = await cachedSegment(store, repo, cam, 3 * H);
    const b = await cachedSegment(store, repo, cam, 3 * H - 20_000); // 16 s of nothing between them
    const v1 = await service.attach(caller, 'inc-2', { kind: 'range', cameraId: cam, from: a.start, to: b.end, note: 'first' });
    expect(v1.partial).to.equal(true);
    expect(v1.gaps).to.deep.equal([{ from: a.end.toISOString(), to: b.start.toISOString() }]);
    for (const sql of [`UPDATE evidence_items SET note = 'edited' WHERE id = $1`, `DELETE FROM evidence_items WHERE id = $1`]) {
      const err = await database.query(sql, [v1.id]).then(() => null, (e: Error) => e);
      expect(err?.message ?? '', sql).to.match(/immutable/);
    }
    const v2 = await service.correct(caller, v1.id, { reason: 'only the first segment matters', to: a.end });
    expect(v2).to.include({ version: 2, supersedes: v1.id, rootId: v1.id, note: 'first', partial: false });
    const results = await Promise.allSettled([service.correct(caller, v2.id, { reason: 'x', note: 'a' }), service.correct(caller, v2.id, { reason: 'y', note: 'b' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as HttpError).status).to.equal(409);
    const current = await service.list(caller, 'inc-2');
    expect(current.map((i) => i.version)).to.deep.equal([3]);
    expect((await service.list(caller, 'inc-2', true)).map((i) => i.version)).to.deep.equal([1, 2, 3]);
    const custody = await new CustodyLogRepository(database).list('inc-2');
    expect(custody.filter((c) => c.action === 'attach')).to.have.length(3);
    expect(custody.filter((c) => c.action === 'view').map((c) => c.itemId)).to.include(current[0]!.id);
    expect(custody.every((c) => c.address === '127.0.0.9' && c.requestId === 'req-holds-1')).to.equal(true);
    const audit = await database.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'evidence.%' AND details->>'incidentId' = 'inc-2' ORDER BY id`);
    expect(audit.map((x) => x.action)).to.deep.equal(['evidence.attach', 'evidence.correct', 'evidence.correct']);
  });
});
