/**
 * Integrity check over real archived objects (s3rver) and a real database: a clean range is ok;
 * a byte flipped in one object and a row deleted from the chain are both reported, by the
 * verifier and by `npm run verify` (a child process on the same database and store).
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import { openDatabase, type Database } from '@server/db/database';
import { UploadQueueRepository } from '@server/recordings/queue';
import { RecordingsRepository } from '@server/recordings/repository';
import { RecordingVerifier } from '@server/recordings/verify';
import type { ObjectStore } from '@server/storage/object-store';
import type { IngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { TEST_BACKEND } from '@test/helpers/database';
import { archiveFixture } from './fixture';
import { cachedSegment, insertCamera } from './helpers';
import { type TestS3 } from './s3';

describe(`recording integrity verify (${TEST_BACKEND}, s3rver)`, function () {
  this.timeout(180_000);
  let dir: string;
  let database: Database;
  let store: IngestStore;
  let repo: RecordingsRepository;
  let s3: TestS3;
  let objects: ObjectStore;
  let cam: string;
  // Set when the segments are made (a long suite loads this file many minutes before it runs).
  let from: Date;
  let to: Date;

  const world = archiveFixture('skyeye-verify-');
  before(async () => {
    ({ dir, database, store, repo, s3, objects } = world);
    cam = await insertCamera(database);
    from = new Date(Date.now() - 3_600_000);
    to = new Date(Date.now() + 60_000);
    for (let i = 0; i < 4; i++) await cachedSegment(store, repo, cam, 60_000 - i * 10_000);
    const uploader = new Uploader({
      queue: new UploadQueueRepository(database), archive: objects, node: () => store.nodeId(), cachePath: (k) => store.cachePath(k),
      workerId: 't', concurrency: 2, claimTtlMs: 5_000, retryMaxMs: 100, multipartThreshold: 16 * 1024 ** 2, log: { info() {}, warn() {} },
    });
    expect(await uploader.drain()).to.equal(4);
  });

  const cli = async (): Promise<{ code: number; out: string }> => {
    if (TEST_BACKEND === 'pglite') await database.close(); // the embedded database takes one process
    const env = {
      ...process.env, SKYEYE_DATA_DIR: dir, SKYEYE_S3_ENDPOINT: s3.endpoint, SKYEYE_S3_ACCESS_KEY_ID: 'S3RVER', SKYEYE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      SKYEYE_LOG_LEVEL: 'silent', ...(world.databaseUrl ? { DATABASE_URL: world.databaseUrl } : {}),
    };
    const child = spawn('npm', ['run', '-s', 'verify', '--', '--camera', cam, '--from', from.toISOString(), '--to', to.toISOString()], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
    if (TEST_BACKEND === 'pglite') {
      database = await openDatabase({ dataDir: dir, fromSnapshot: true });
      repo = new RecordingsRepository(database);
    }
    return { code, out };
  };

  it('a clean range is ok', async () => {
    expect(await new RecordingVerifier(database, objects).verify(cam, from, to)).to.deep.equal({ ok: true, checked: 4, problems: [] });
    const r = await cli();
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.out)).to.deep.include({ ok: true, checked: 4 });
  });

  it('finds a byte flipped in one archived object and a row deleted from the chain', async () => {
    const rows = await repo.listSegments(cam, from, to);
    const file = s3.objectFile(rows[1]!.objectKey);
    const body = await readFile(file);
    body[body.length - 7] = body[body.length - 7]! ^ 0x01;
    await writeFile(file, body);
    await database.query('DELETE FROM recording_segments WHERE id = $1', [rows[2]!.id]);
    const report = await new RecordingVerifier(database, objects).verify(cam, from, to);
    expect(report.ok).to.equal(false);
    expect(report.checked).to.equal(3);
    expect(report.problems.map((p) => [p.start, p.problem.split(':')[0]])).to.deep.equal([
      [rows[1]!.start.toISOString(), 'altered'],
      [rows[3]!.start.toISOString(), 'out of chain'],
    ]);
    const r = await cli();
    expect(r.code).to.equal(1);
    expect(JSON.parse(r.out).problems).to.deep.equal(report.problems);
  });

  it('reports an object missing from the archive', async () => {
    const rows = await repo.listSegments(cam, from, to);
    await objects.delete(rows[0]!.objectKey);
    const report = await new RecordingVerifier(database, objects).verify(cam, from, to);
    expect(report.problems[0]).to.deep.include({ start: rows[0]!.start.toISOString() });
    expect(report.problems[0]!.problem).to.match(/^missing/);
  });
});
