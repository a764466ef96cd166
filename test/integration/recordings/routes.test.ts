/**
 * The recordings API on a running Sky Eye: GET /cameras/{id}/recordings with the registry's
 * visibility (merchants only their own cameras), ISO 8601 bounds validated; POST
 * /integrity/verify for admins only, over the embedded S3 store.
 */
import { expect } from 'chai';
import { RecordingsRepository } from '@server/recordings/repository';
import { UploadQueueRepository } from '@server/recordings/queue';
import { createIngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { cachedSegment } from './helpers';

describe(`recordings API (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let cam: string;
  let starts: Date[];

  before(async () => {
    w = await startWorld();
    const { database } = w.srv.ctx;
    const [row] = await database.query<{ id: string }>(
      `INSERT INTO cameras (name, kind, lat, lon, enrollment_state, owner_user_id) VALUES ('shop', 'shopfront', 34.09, 119.35, 'approved', $1) RETURNING id`,
      [w.as.merchant.userId],
    );
    cam = row!.id;
    const store = createIngestStore(w.srv.dataDir);
    const repo = new RecordingsRepository(database);
    starts = [];
    for (const age of [40_000, 30_000, 20_000]) starts.push((await cachedSegment(store, repo, cam, age)).start);
    const uploader = new Uploader({
      queue: new UploadQueueRepository(database), archive: w.srv.ctx.store, node: () => store.nodeId(), cachePath: (k) => store.cachePath(k),
      workerId: 't', concurrency: 1, claimTtlMs: 5_000, retryMaxMs: 100, multipartThreshold: 16 * 1024 ** 2, log: { info() {}, warn() {} },
    });
    // Two archived, the newest still cached.
    await database.query(`UPDATE recording_segments SET upload_next_at = now() + interval '1 hour' WHERE started_at = $1`, [starts[2]!.toISOString()]);
    expect(await uploader.drain()).to.equal(2);
  });
  after(async () => w?.srv.close());

  const q = (from: Date, to: Date) => `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;

  it('lists segments with ISO times, bytes, sha256 and state for readers of the camera', async () => {
    const from = new Date(starts[0]!.getTime() - 1000);
    const to = new Date(Date.now() + 1000);
    for (const role of ['admin', 'operator', 'investigator', 'merchant'] as const) {
      const r = await w.as[role].json('GET', `/api/v1/cameras/${cam}/recordings?${q(from, to)}`);
      expect(r.status, role).to.equal(200);
      expect(r.body.items.map((i: { start: string; state: string }) => [i.start, i.state])).to.deep.equal([
        [starts[0]!.toISOString(), 'archived'],
        [starts[1]!.toISOString(), 'archived'],
        [starts[2]!.toISOString(), 'cached'],
      ]);
      expect(r.body.items[0]).to.have.all.keys('start', 'end', 'bytes', 'sha256', 'state');
    }
    const narrow = await w.as.admin.json('GET', `/api/v1/cameras/${cam}/recordings?${q(new Date(starts[1]!.getTime() + 1), new Date(starts[1]!.getTime() + 2))}`);
    expect(narrow.body.items.map((i: { start: string }) => i.start)).to.deep.equal([starts[1]!.toISOString()]);
  });

  it('hides another merchant\'s camera and names a bad bound', async () => {
    expect((await w.as.merchant2.json('GET', `/api/v1/cameras/${cam}/recordings`)).status).to.equal(404);
    const bad = await w.as.admin.json('GET', `/api/v1/cameras/${cam}/recordings?from=yesterday`);
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.errors)).to.include('from');
  });

  it('verify: admin only, ok over an intact range', async () => {
    const body = { cameraId: cam, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() };
    expect((await w.as.operator.json('POST', '/api/v1/integrity/verify', body)).status).to.equal(403);
    const r = await w.as.admin.json('POST', '/api/v1/integrity/verify', body);
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ ok: true, checked: 3, problems: [] });
    expect((await w.as.admin.json('POST', '/api/v1/integrity/verify', { ...body, cameraId: 'x' })).status).to.equal(400);
  });
});
