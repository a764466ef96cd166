/**
 * The investigator's path with every real part wired as in production (no test ports): an
 * operator files an incident and assigns an investigator, who finds the recording camera within
 * the radius, cuts two clips from the recording (real clip worker, ffmpeg, S3 server), attaches
 * them as evidence, exports a signed package and has it verified by the upload API; a byte changed
 * in the package fails verification.
 */
import { expect } from 'chai';
import { RecordingsRepository } from '@server/recordings/repository';
import { createIngestStore } from '@workers/store/paths';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { waitFor } from '@test/integration/ingest/helpers';
import { insertCamera } from '@test/integration/recordings/helpers';
import { recordSegments } from '@test/integration/clips/helpers';

describe(`an investigation end to end: incident, cameras, clips, evidence, signed export (${TEST_BACKEND})`, function () {
  this.timeout(240_000);
  let w: World;
  let cam: string;
  let base: number;
  const at = (sec: number) => new Date(base + sec * 1000).toISOString();

  before(async function () {
    this.timeout(120_000);
    w = await startWorld();
    base = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    cam = await insertCamera(w.srv.ctx.database); // at 34.09, 119.35
    // Registered before the footage it recorded (the ledger judges only time since registration).
    await w.srv.ctx.database.query(`UPDATE cameras SET created_at = now() - interval '2 hours' WHERE id = $1`, [cam]);
    await recordSegments(createIngestStore(w.srv.dataDir), new RecordingsRepository(w.srv.ctx.database), cam, { base: new Date(base), count: 4, segSec: 4, gopSec: 2 });
  });
  after(async function () {
    this.timeout(30_000);
    await w?.srv.close();
  });

  it('finds the camera, cuts two clips, exports them signed, and the package verifies', async () => {
    const { operator, investigator } = w.as;
    const filed = await operator.json('POST', '/api/v1/incidents', { title: '盗窃 电动车', category: 'theft', location: { lat: 34.0901, lon: 119.3501 }, radius: 300, from: at(0), to: at(16) });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    const incident = filed.body.id as string;
    expect((await investigator.json('GET', `/api/v1/incidents/${incident}`)).status, 'not assigned yet').to.equal(404);
    expect((await operator.json('PUT', `/api/v1/incidents/${incident}/assignees`, { userIds: [investigator.userId] })).status).to.equal(200);

    const near = await investigator.json('GET', `/api/v1/incidents/${incident}/cameras`);
    expect(near.status, JSON.stringify(near.body)).to.equal(200);
    const found = (near.body.items as Array<{ cameraId: string; distance: number; coverage: number }>).find((c) => c.cameraId === cam);
    expect(found, 'the recording camera is suggested').to.not.equal(undefined);
    expect(found!.distance).to.be.below(300);
    expect(found!.coverage, JSON.stringify(found)).to.be.greaterThan(0);

    const cut = async (from: number, to: number) => {
      const r = await investigator.json('POST', `/api/v1/incidents/${incident}/clips`, { cameraId: cam, from: at(from), to: at(to) });
      expect(r.status, JSON.stringify(r.body)).to.equal(202);
      return waitFor(async () => {
        const c = await investigator.json('GET', `/api/v1/clips/${r.body.id}`);
        return c.body.status === 'done' ? c.body : c.body.status === 'failed' ? Promise.reject(new Error(JSON.stringify(c.body))) : null;
      }, 90_000, 'clip done');
    };
    const clips = [await cut(1, 6), await cut(9, 15)];
    for (const c of clips) {
      const a = await investigator.json('POST', `/api/v1/incidents/${incident}/evidence`, { kind: 'clip', clipId: c.id });
      expect(a.status, JSON.stringify(a.body)).to.equal(201);
      expect(a.body.sha256).to.equal(c.sha256);
    }

    const ex = await investigator.json('POST', `/api/v1/incidents/${incident}/exports`);
    expect(ex.status, JSON.stringify(ex.body)).to.equal(202);
    const done = await waitFor(async () => {
      const r = await investigator.json('GET', `/api/v1/exports/${ex.body.id}`);
      return r.body.status === 'done' || r.body.status === 'failed' ? r.body : null;
    }, 120_000, 'export done');
    expect(done.status, done.error).to.equal('done');
    const zip = Buffer.from(await (await fetch(done.url, { headers: { Authorization: `Bearer ${investigator.token}` } })).arrayBuffer());

    const verify = async (body: Buffer) => {
      const res = await fetch(`${w.srv.url}/api/v1/evidence/verify`, { method: 'POST', headers: { Authorization: `Bearer ${investigator.token}`, 'Content-Type': 'application/zip' }, body: new Uint8Array(body) });
      return (await res.json()) as { ok: boolean; signature: string; items: number };
    };
    expect(await verify(zip)).to.include({ ok: true, signature: 'valid', items: 2 });
    const tampered = Buffer.from(zip);
    // A byte inside the first stored file's data (past its local header), not in the zip's directory.
    tampered[200] = tampered[200]! ^ 0xff;
    expect((await verify(tampered)).ok).to.equal(false);

    const custody = (await investigator.json('GET', `/api/v1/incidents/${incident}/custody`)).body.items as Array<{ action: string; itemKind: string }>;
    expect(custody.filter((c) => c.action === 'attach')).to.have.length(2);
    expect(custody.filter((c) => c.itemKind === 'export').map((c) => c.action)).to.include.members(['export', 'download']);
  });
});
