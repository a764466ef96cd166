/**
 * The uploader against a real embedded S3 server (s3rver behind a recording proxy) and a real
 * database: rows match objects, a read-back mismatch is caught, an outage loses nothing and
 * catches up, two uploaders never send one segment, and SIGKILL mid-upload loses and duplicates
 * nothing (the uploader in a child process, killed by PID).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import { openDatabase, type Database } from '@server/db/database';
import { UploadQueueRepository } from '@server/recordings/queue';
import { RecordingsRepository } from '@server/recordings/repository';
import type { ObjectStore } from '@server/storage/object-store';
import type { IngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { TEST_BACKEND } from '@test/helpers/database';
import { archiveFixture } from './fixture';
import { cachedSegment, insertCamera } from './helpers';
import type { PutRecord, TestS3 } from './s3';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`archive uploader (${TEST_BACKEND}, s3rver)`, function () {
  this.timeout(180_000);
  let dir: string;
  let database: Database;
  let store: IngestStore;
  let repo: RecordingsRepository;
  let s3: TestS3;
  let objects: ObjectStore;
  let cam: string;
  /** Every upload attempt's outcome, for the assertions' messages. */
  let attempts: string[] = [];

  const uploader = (claimTtlMs = 5_000) =>
    new Uploader({
      queue: new UploadQueueRepository(database),
      archive: objects,
      node: () => store.nodeId(),
      cachePath: (k) => store.cachePath(k),
      workerId: 'test',
      concurrency: 2,
      claimTtlMs,
      retryMaxMs: 100,
      multipartThreshold: 16 * 1024 ** 2,
      log: { info() {}, warn() {} },
      onResult: (r) => attempts.push(r.ok ? 'ok' : (r.error ?? 'failed')),
    });
  const states = async () => (await repo.listSegments(cam, new Date(0), new Date(Date.now() + 60_000))).map((s) => s.state);
  const drainUntilArchived = async (u: Uploader, n: number) => {
    for (let i = 0; i < 100 && (await states()).filter((s) => s === 'archived').length < n; i++) {
      await u.drain();
      await sleep(120);
    }
  };
  /** No key was ever being PUT twice at the same time. */
  const overlapping = (puts: PutRecord[]) =>
    puts.filter((a, i) => puts.some((b, j) => j !== i && a.key === b.key && a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity)));

  const world = archiveFixture('skyeye-upl-', { each: true });
  beforeEach(async () => {
    ({ dir, database, store, repo, s3, objects } = world);
    cam = await insertCamera(database);
    attempts = [];
  });

  it('archives segments whose objects match their rows (bytes, sha256, key), verified by reading back', async () => {
    const segs = [await cachedSegment(store, repo, cam, 30_000), await cachedSegment(store, repo, cam, 20_000, { bytes: 300_000 })];
    expect(await uploader().drain()).to.equal(2);
    const rows = await repo.listSegments(cam, new Date(0), new Date());
    for (const [i, row] of rows.entries()) {
      expect(row.state).to.equal('archived');
      expect(row.verifiedAt).to.be.instanceOf(Date);
      const body = await readFile(s3.objectFile(row.objectKey));
      expect(body.length).to.equal(segs[i]!.bytes);
      expect(createHash('sha256').update(body).digest('hex')).to.equal(row.sha256);
    }
    expect(s3.puts.map((p) => p.key).sort()).to.deep.equal(rows.map((r) => r.objectKey).sort());
  });

  it('catches an object corrupted between upload and read-back, and sends it again', async () => {
    await cachedSegment(store, repo, cam, 30_000);
    const [row] = await repo.listSegments(cam, new Date(0), new Date());
    s3.afterPut(row!.objectKey, async () => {
      const f = s3.objectFile(row!.objectKey);
      const b = await readFile(f);
      b[100] = b[100]! ^ 0xff;
      await writeFile(f, b);
    });
    const u = uploader();
    expect(await u.drain()).to.equal(0);
    const [after] = await database.query<{ state: string; upload_error: string }>('SELECT state, upload_error FROM recording_segments WHERE id = $1', [row!.id]);
    expect(after).to.deep.include({ state: 'cached' });
    expect(after!.upload_error).to.match(/read-back mismatch/);
    await drainUntilArchived(u, 1);
    expect(await states()).to.deep.equal(['archived']);
    expect(createHash('sha256').update(await readFile(s3.objectFile(row!.objectKey))).digest('hex')).to.equal(row!.sha256);
    // Stored twice: the corrupted PUT and the resend. A PUT the SDK retried by itself (a dropped
    // keep-alive socket, a 5xx on a loaded CI run) is not counted: it never stored anything.
    expect(s3.puts.filter((p) => p.status === 200).length, JSON.stringify({ puts: s3.puts, attempts })).to.equal(2);
  });

  it('an S3 outage loses nothing: uploads fail and wait, then catch up when the store is back', async () => {
    await cachedSegment(store, repo, cam, 30_000);
    await s3.stop();
    const u = uploader();
    for (let i = 0; i < 3; i++) {
      expect(await u.drain()).to.equal(0);
      await sleep(150);
    }
    await cachedSegment(store, repo, cam, 20_000);
    expect(await states()).to.deep.equal(['cached', 'cached']);
    const [r] = await database.query<{ upload_attempts: number; upload_error: string }>('SELECT upload_attempts, upload_error FROM recording_segments ORDER BY started_at LIMIT 1');
    expect(Number(r!.upload_attempts)).to.be.at.least(2);
    await s3.start();
    await drainUntilArchived(u, 2);
    expect(await states()).to.deep.equal(['archived', 'archived']);
  });

  it('two uploaders on one cache never send the same segment (every PUT recorded)', async () => {
    for (let i = 0; i < 8; i++) await cachedSegment(store, repo, cam, 60_000 - i * 5_000, { bytes: 200_000 });
    const [a, b] = [uploader(), uploader()];
    const [na, nb] = await Promise.all([a.drain(), b.drain()]);
    expect(na + nb).to.equal(8);
    expect(await states()).to.deep.equal(Array(8).fill('archived'));
    expect(s3.puts.length, JSON.stringify(s3.puts)).to.equal(8);
    expect(new Set(s3.puts.map((p) => p.key)).size).to.equal(8);
    expect(overlapping(s3.puts)).to.deep.equal([]);
  });

  it('SIGKILL of the uploader mid-upload loses and duplicates nothing', async () => {
    await cachedSegment(store, repo, cam, 30_000, { bytes: 500_000 });
    await cachedSegment(store, repo, cam, 20_000);
    if (TEST_BACKEND === 'pglite') await database.close(); // one process at a time on an embedded database
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/recordings/uploader-child.ts'], {
      env: { ...process.env, SKYEYE_T_DB: world.databaseUrl ?? '', SKYEYE_T_S3: s3.endpoint, SKYEYE_T_DIR: dir, SKYEYE_T_CLAIM_TTL: '1500' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const killedOn = await new Promise<string>((resolve, reject) => {
        s3.onPutStart((key) => {
          child.kill('SIGKILL');
          resolve(key);
        }, true);
        child.once('exit', () => reject(new Error('uploader child exited before its first PUT')));
      });
      await exited;
      expect(killedOn).to.match(/^recordings\//);
    } finally {
      child.kill('SIGKILL');
    }
    if (TEST_BACKEND === 'pglite') {
      database = await openDatabase({ dataDir: dir, fromSnapshot: true });
      repo = new RecordingsRepository(database);
    }
    expect(await states()).to.deep.equal(['cached', 'cached']);
    await drainUntilArchived(uploader(), 2); // the dead claim expires, then the segment is taken up again
    expect(await states()).to.deep.equal(['archived', 'archived']);
    for (const row of await repo.listSegments(cam, new Date(0), new Date())) {
      expect(createHash('sha256').update(await readFile(s3.objectFile(row.objectKey))).digest('hex')).to.equal(row.sha256);
    }
    expect(overlapping(s3.puts)).to.deep.equal([]);
    expect(s3.puts.filter((p) => p.status === 200).length).to.equal(2);
  });
});
