/**
 * The recordings index on a real database: rows keyed by camera + start with keys (no paths), one
 * hash chain per camera, idempotent adds, and recordings that outlive their camera.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Database } from '@server/db/database';
import { RecordingsRepository } from '@server/recordings/repository';
import { createIngestStore, type IngestStore } from '@workers/store/paths';
import { openTestDatabase, TEST_BACKEND } from '@test/helpers/database';
import { cachedSegment, insertCamera } from './helpers';

describe(`recordings index (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let database: Database;
  let dir: string;
  let store: IngestStore;
  let repo: RecordingsRepository;

  beforeEach(async () => {
    db = await openTestDatabase();
    database = db.database;
    repo = new RecordingsRepository(database);
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-rec-'));
    store = createIngestStore(dir);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('chains each camera\'s segments, keys them by camera + start, and adds idempotently', async () => {
    const cam = await insertCamera(database);
    const a = await cachedSegment(store, repo, cam, 30_000);
    const b = await cachedSegment(store, repo, cam, 20_000);
    const other = await insertCamera(database);
    await cachedSegment(store, repo, other, 25_000);
    const rows = await repo.listSegments(cam, new Date(Date.now() - 60_000), new Date());
    expect(rows.map((r) => [r.chainSeq, r.prevSha256, r.sha256])).to.deep.equal([
      [1, null, a.sha256],
      [2, a.sha256, b.sha256],
    ]);
    expect(rows[0]).to.deep.include({ cacheKey: a.cacheKey, state: 'cached', bytes: a.bytes, durationMs: 4_000, codec: 'h264', width: 640 });
    expect(rows[0]!.objectKey).to.match(new RegExp(`^recordings/${cam}/\\d{4}/\\d{2}/\\d{2}/\\d{8}T\\d{6}\\.000Z\\.mp4$`));
    expect(rows[0]!.flags).to.include('unleased');
    const again = { cameraId: cam, cacheKey: a.cacheKey, objectKey: rows[0]!.objectKey, start: a.start, end: a.end, bytes: a.bytes, sha256: a.sha256, durationMs: 4000, frames: 1, codec: null, width: null, height: null, flags: [] };
    const node = await store.nodeId();
    expect(await repo.add(again, { workerId: 'x', token: null, node })).to.equal('duplicate');
    expect(await repo.add({ ...again, start: new Date(a.start.getTime() + 3) }, { workerId: 'x', token: null, node })).to.equal('duplicate');
    expect((await repo.listSegments(cam, new Date(0), new Date())).length).to.equal(2);
    // No column holds an absolute path.
    const [raw] = await database.query<Record<string, unknown>>('SELECT * FROM recording_segments LIMIT 1');
    for (const v of Object.values(raw!)) if (typeof v === 'string') expect(v.startsWith('/'), v).to.equal(false);
  });

  it('a deleted camera keeps its recordings (retired until retention)', async () => {
    const cam = await insertCamera(database);
    await cachedSegment(store, repo, cam, 10_000);
    await database.query('DELETE FROM cameras WHERE id = $1', [cam]);
    expect((await repo.listSegments(cam, new Date(0), new Date())).length).to.equal(1);
  });

  it('the store derives every key and gives the same node id across restarts', async () => {
    const id = await store.nodeId();
    expect(await createIngestStore(dir).nodeId()).to.equal(id);
    expect(() => store.cachePath('../etc/20240101-000000.mp4')).to.throw();
    expect(store.cachePath('cam-1/20240101-000000.mp4')).to.equal(path.join(dir, 'cache', 'cam-1', '20240101-000000.mp4'));
  });
});
