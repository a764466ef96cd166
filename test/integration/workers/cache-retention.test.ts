/**
 * The recording cache janitor on real files, the real file system's free space (statfs) and a
 * real database: retention per camera, deleted cameras, the disk floor (oldest first), files in
 * use left alone, and index rows removed with their files.
 */
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Database } from '@server/db/database';
import { SegmentRepository } from '@server/ingest/segments';
import { cleanCache, type CacheJanitorDeps } from '@workers/recorder/cache-janitor';
import { createIngestStore, type IngestStore } from '@workers/store/paths';
import { openTestDatabase, TEST_BACKEND } from '@test/helpers/database';

const DAY = 86_400_000;
const exists = (p: string) => stat(p).then(() => true, () => false);

describe(`recording cache retention (${TEST_BACKEND})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let database: Database;
  let dir: string;
  let store: IngestStore;
  let segments: SegmentRepository;
  const logs: string[] = [];

  beforeEach(async () => {
    db = await openTestDatabase();
    database = db.database;
    segments = new SegmentRepository(database);
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-retention-'));
    store = createIngestStore(dir);
    logs.length = 0;
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function camera(retentionDays: number): Promise<string> {
    const [row] = await database.query<{ id: string }>(
      `INSERT INTO cameras (name, kind, lat, lon, enrollment_state, retention_days) VALUES ('c', 'road', 34.09, 119.35, 'approved', $1) RETURNING id`,
      [retentionDays],
    );
    return row!.id;
  }

  /** A cached segment `ageMs` old (by name and mtime), indexed unless told otherwise. */
  async function cached(cameraId: string, ageMs: number, opts: { mtimeAgeMs?: number; indexed?: boolean } = {}): Promise<string> {
    const start = new Date(Math.floor((Date.now() - ageMs) / 1000) * 1000);
    await mkdir(store.cacheDir(cameraId), { recursive: true });
    const file = store.cacheSegmentPath(cameraId, start);
    await writeFile(file, Buffer.alloc(4096, 1));
    const mtime = new Date(Date.now() - (opts.mtimeAgeMs ?? ageMs));
    await utimes(file, mtime, mtime);
    if (opts.indexed !== false) {
      await database.query(
        `INSERT INTO recording_segments (camera_id, started_at, ended_at, bytes, sha256, path, worker_id, fencing_token) VALUES ($1, $2, $3, 4096, $4, $5, 'w', 1)`,
        [cameraId, start.toISOString(), new Date(start.getTime() + 60_000).toISOString(), 'a'.repeat(64), file],
      );
    }
    return file;
  }

  const deps = (minFreeBytes: number): CacheJanitorDeps => ({
    store,
    retentionOf: (ids) => segments.retentionDays(ids),
    unindex: async (paths) => void (await segments.removeByPaths(paths)),
    minFreeBytes,
    busyMs: 3 * 60_000,
    now: () => Date.now(),
    log: { info: (o, m) => logs.push(`info ${m} ${JSON.stringify(o)}`), warn: (o, m) => logs.push(`warn ${m} ${JSON.stringify(o)}`) },
  });
  const indexed = async (file: string) => (await database.query('SELECT 1 FROM recording_segments WHERE path = $1', [file])).length === 1;

  it('deletes segments past their camera\'s retention and those of deleted cameras, with their index rows', async () => {
    const week = await camera(7);
    const day = await camera(1);
    const keepWeek = await cached(week, 3 * DAY);
    const oldWeek = await cached(week, 8 * DAY);
    const oldDay = await cached(day, 2 * DAY);
    const keepDay = await cached(day, 3600_000);
    const orphan = await cached('0b8f3c2e-6a1d-4c7e-9f00-1234567890ab', 3600_000, { indexed: false });

    const report = await cleanCache(deps(0));
    expect(report).to.deep.include({ deleted: 3, bytes: 3 * 4096 });
    expect(report.byReason).to.deep.equal({ retention: 2, deleted_camera: 1 });
    for (const f of [oldWeek, oldDay, orphan]) expect(await exists(f), f).to.equal(false);
    for (const f of [keepWeek, keepDay]) expect(await exists(f), f).to.equal(true);
    expect(await indexed(oldWeek)).to.equal(false);
    expect(await indexed(oldDay)).to.equal(false);
    expect(await indexed(keepWeek)).to.equal(true);
    expect(logs.some((l) => l.startsWith('info recording cache: segments past retention deleted'))).to.equal(true);

    // Nothing more to do: a second pass deletes nothing.
    expect((await cleanCache(deps(0))).deleted).to.equal(0);
  });

  it('below the free-space floor deletes the oldest segments first and never one in use', async () => {
    const cam = await camera(30);
    const oldest = await cached(cam, 3 * 3600_000);
    const older = await cached(cam, 2 * 3600_000);
    const inUse = await cached(cam, 30_000, { mtimeAgeMs: 1_000 });
    // A floor far above what this disk has free (real statfs): everything but the file in use goes.
    const s = await statfs(dir);
    const report = await cleanCache(deps(s.bavail * s.bsize + 1024 ** 4));
    expect(report.byReason).to.deep.equal({ disk: 2 });
    expect(await exists(oldest)).to.equal(false);
    expect(await exists(older)).to.equal(false);
    expect(await exists(inUse)).to.equal(true);
    expect(await indexed(inUse)).to.equal(true);
    expect(logs.some((l) => l.startsWith('warn recording cache: disk space below the floor'))).to.equal(true);
  });
});
