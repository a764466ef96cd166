/**
 * The cache as a hot tier on real files and a real database, under a tiny quota (the free-space
 * function injected): archived copies stay for cacheKeep, then go; below the floor archived
 * copies go first and un-archived ones never while an archived one is left; with only un-archived
 * data left the alarm comes before any drop, every drop is recorded (disk_guard), and neither a
 * held range nor a file being written is touched; with only held data left recording pauses (new
 * segments dropped on arrival and recorded, never an indexed one a new recorder's sweep comes
 * across) until there is room again.
 */
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import type { Database } from '@server/db/database';
import { CacheTierRepository } from '@server/recordings/cache-tier';
import { LegalHoldRepository } from '@server/recordings/holds';
import { UploadQueueRepository } from '@server/recordings/queue';
import { RecordingsRepository } from '@server/recordings/repository';
import { workerSink } from '@server/recordings/sink';
import type { ObjectStore } from '@server/storage/object-store';
import { cleanCache, type CacheJanitorDeps, type DiskAlarm } from '@workers/recorder/cache-janitor';
import { CameraRecorder } from '@workers/recorder/recorder';
import { recordingObjectKey } from '@workers/store/layout';
import type { IngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { TEST_BACKEND } from '@test/helpers/database';
import { archiveFixture } from './fixture';
import { cachedSegment, insertCamera } from './helpers';

const H = 3_600_000;

describe(`recording cache disk guard (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let database: Database;
  let store: IngestStore;
  let repo: RecordingsRepository;
  let objects: ObjectStore;

  const world = archiveFixture('skyeye-guard-');
  before(async () => {
    ({ database, store, repo, objects } = world);
  });

  it('frees archived copies first, alarms before dropping un-archived ones, records every drop, respects holds', async () => {
    const cam = await insertCamera(database);
    const a1 = await cachedSegment(store, repo, cam, 5 * H);
    const a2 = await cachedSegment(store, repo, cam, 4 * H);
    const uploader = new Uploader({
      queue: new UploadQueueRepository(database), archive: objects, node: () => store.nodeId(), cachePath: (k) => store.cachePath(k),
      workerId: 't', concurrency: 2, claimTtlMs: 5_000, retryMaxMs: 100, multipartThreshold: 16 * 1024 ** 2, log: { info() {}, warn() {} },
    });
    expect(await uploader.drain()).to.equal(2);
    const u1 = await cachedSegment(store, repo, cam, 6 * H); // older than the archived ones, not archived
    const u2 = await cachedSegment(store, repo, cam, 7 * H);
    const busy = await cachedSegment(store, repo, cam, 3 * H, { mtimeAgeMs: 1_000 });
    const holds = new LegalHoldRepository(database);
    await holds.create({ cameraId: cam, from: u2.start, to: u2.end, reason: 'incident 7' });
    const alarms: Array<DiskAlarm & { u1There: boolean; drops: number }> = [];
    let drops = 0;
    const logs: string[] = [];
    const deps = (freeBytes: number, minFreeBytes: number): CacheJanitorDeps => ({
      store,
      index: new CacheTierRepository(database, holds),
      freeBytes: async () => freeBytes,
      minFreeBytes,
      cacheKeepMs: H,
      busyMs: 3 * 60_000,
      now: () => Date.now(),
      onAlarm: (a) => alarms.push({ ...a, u1There: existsSync(u1.file), drops }),
      log: { info: (_o, m) => logs.push(m), warn: (_o, m) => logs.push(m), error: (_o, m) => logs.push(m) },
    });
    const state = async (s: { sha256: string }) => (await database.query<{ state: string; cache_key: string | null }>('SELECT state, cache_key FROM recording_segments WHERE sha256 = $1', [s.sha256]))[0];

    // Room on the disk, archived a moment ago: everything stays (hot tier).
    expect((await cleanCache(deps(1e12, 1e9))).deleted).to.equal(0);

    // A floor two segments above what is free: the two archived copies go, nothing un-archived.
    const r1 = await cleanCache(deps(0, 2 * 4096));
    expect(r1.byReason).to.deep.equal({ disk: 2 });
    expect([existsSync(a1.file), existsSync(a2.file), existsSync(u1.file)]).to.deep.equal([false, false, true]);
    expect(await state(a1)).to.deep.equal({ state: 'archived', cache_key: null });
    expect(alarms).to.deep.equal([]);

    // Only un-archived data left and still below the floor: alarm first, then the oldest unheld one goes.
    drops = Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM recording_drops`))[0]!.n);
    const r2 = await cleanCache(deps(0, 4096));
    expect(r2.byReason).to.deep.equal({ disk_unarchived: 1 });
    expect(alarms).to.have.length(1);
    expect(alarms[0]).to.deep.include({ segments: 1, u1There: true, drops: 0, cameras: [cam] });
    expect(logs.some((m) => /dropping the oldest un-archived/.test(m))).to.equal(true);
    expect(existsSync(u1.file)).to.equal(false);
    expect(await state(u1)).to.deep.equal({ state: 'dropped', cache_key: null });
    const [drop] = await database.query<{ from_at: Date; to_at: Date; cause: string }>(`SELECT from_at, to_at, cause FROM recording_drops WHERE camera_id = $1`, [cam]);
    expect(drop!.cause).to.equal('disk_guard');
    expect(new Date(drop!.from_at).toISOString()).to.equal(u1.start.toISOString());
    expect(new Date(drop!.to_at).toISOString()).to.equal(u1.end.toISOString());

    // Held and busy data is never dropped, however full the disk: the guard says recording must pause.
    const full = await cleanCache(deps(0, 1e15));
    expect([existsSync(u2.file), existsSync(busy.file)]).to.deep.equal([true, true]);
    expect((await state(u2))!.state).to.equal('cached');
    expect(full.full).to.deep.include({ heldSegments: 1, heldBytes: u2.bytes, cameras: [cam] });
    expect(logs.some((m) => /only held or uploading footage left: recording paused/.test(m))).to.equal(true);

    // While paused, a new segment is dropped on arrival (file gone, a disk_guard drop names it); the
    // held segment stays. When the guard finds room again, segments are indexed as before.
    const sink = workerSink(repo, { workerId: 't', tokenOf: () => 1, log: { warn() {} }, node: () => store.nodeId(), removeCached: (k) => store.removeCached(k) });
    const record = (x: Awaited<ReturnType<typeof cachedSegment>>) => ({
      cameraId: cam, cacheKey: x.cacheKey, objectKey: recordingObjectKey(cam, x.start), start: x.start, end: x.end, bytes: x.bytes, sha256: x.sha256,
      durationMs: x.end.getTime() - x.start.getTime(), frames: 100, codec: 'h264', width: 640, height: 360, flags: [],
    });
    sink.setFull(full.full);
    const fresh = await cachedSegment(store, repo, cam, 2 * H, { index: false });
    await sink.add(record(fresh));
    expect(existsSync(fresh.file), 'the new segment is not kept').to.equal(false);
    expect((await database.query(`SELECT 1 FROM recording_segments WHERE sha256 = $1`, [fresh.sha256])).length).to.equal(0);
    const [paused] = await database.query<{ cause: string; from_at: Date; detail: string }>(`SELECT cause, from_at, detail FROM recording_drops WHERE camera_id = $1 ORDER BY from_at DESC LIMIT 1`, [cam]);
    expect(paused!.cause).to.equal('disk_guard');
    expect(new Date(paused!.from_at).toISOString()).to.equal(fresh.start.toISOString());
    expect(paused!.detail).to.match(/recording paused/);
    expect(existsSync(u2.file), 'held footage untouched').to.equal(true);
    // An indexed (here held) segment offered again while paused, by the sweep of a recorder made anew
    // (lease regained, spec edited) or by the sink directly: neither probed again nor dropped.
    const dropsBefore = (await database.query(`SELECT 1 FROM recording_drops WHERE camera_id = $1`, [cam])).length;
    expect([...(await sink.indexed!([u2.cacheKey, busy.cacheKey, fresh.cacheKey]))].sort()).to.deep.equal([u2.cacheKey, busy.cacheKey].sort());
    let probes = 0;
    await new CameraRecorder(cam, 4, { store, sink, probe: async () => (probes++, { durationSec: 4, videoCodec: 'h264', audioCodec: null, width: 640, height: 360 }) }).sweep();
    await sink.add(record(u2));
    expect(probes, 'indexed files are not probed again').to.equal(0);
    expect([existsSync(u2.file), existsSync(busy.file)]).to.deep.equal([true, true]);
    expect((await state(u2))!.state).to.equal('cached');
    expect((await database.query(`SELECT 1 FROM recording_drops WHERE camera_id = $1`, [cam])).length, 'no drop recorded').to.equal(dropsBefore);
    sink.setFull((await cleanCache(deps(1e12, 1e9))).full);
    expect(sink.full).to.equal(null);
    const after = await cachedSegment(store, repo, cam, 1 * H, { index: false });
    await sink.add(record(after));
    expect((await state(after))!.state).to.equal('cached');
  });
});
