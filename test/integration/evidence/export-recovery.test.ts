/**
 * Export packages when the archive is behind or a process died (real database, embedded S3
 * server, the real export service): a recorded range whose segments are still only in this node's
 * hot cache exports from the cache and verifies; one whose copy is on another worker's disk waits,
 * saying why, and completes once the segment reaches the archive; an export left running by a dead
 * process (no heartbeat) is failed by the recovery pass, a live one is not.
 */
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { RecordingsRepository } from '@server/recordings/repository';
import { createIngestStore } from '@workers/store/paths';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { cachedSegment, insertCamera } from '../recordings/helpers';
import { poll, TestClipSource, testIncidentAccess } from './ports';

describe(`export packages: hot cache, waiting for the archive, abandoned jobs (${TEST_BACKEND}, s3rver)`, function () {
  this.timeout(120_000);
  let w: World;
  let cam: string;

  before(async () => {
    w = await startWorld({}, { evidencePorts: { incidents: testIncidentAccess, clips: new TestClipSource() } });
    cam = await insertCamera(w.srv.ctx.database);
  });
  after(async () => {
    await w?.srv.close();
  });

  const exportOf = async (incident: string, done: (b: Record<string, any>) => boolean) => {
    const created = await w.as.investigator.json('POST', `/api/v1/incidents/${incident}/exports`);
    expect(created.status).to.equal(202);
    return poll('export', 60_000, async () => {
      const r = await w.as.investigator.json('GET', `/api/v1/exports/${created.body.id}`);
      return done(r.body) ? (r.body as Record<string, any>) : null;
    });
  };
  const verify = async (url: string) => {
    const zip = Buffer.from(await (await fetch(url, { headers: { Authorization: `Bearer ${w.as.investigator.token}` } })).arrayBuffer());
    const res = await fetch(`${w.srv.url}/api/v1/evidence/verify`, { method: 'POST', headers: { Authorization: `Bearer ${w.as.investigator.token}`, 'Content-Type': 'application/zip' }, body: new Uint8Array(zip) });
    return (await res.json()) as { ok: boolean; files: number };
  };

  it('exports a range not yet archived from the hot cache, and it verifies', async () => {
    const store = createIngestStore(w.srv.dataDir);
    const repo = new RecordingsRepository(w.srv.ctx.database);
    const s1 = await cachedSegment(store, repo, cam, 3 * 3_600_000);
    const s2 = await cachedSegment(store, repo, cam, 3 * 3_600_000 - 4_000);
    const a = await w.as.investigator.json('POST', '/api/v1/incidents/inc-cache/evidence', { kind: 'range', cameraId: cam, from: s1.start.toISOString(), to: s2.end.toISOString() });
    expect(a.status, JSON.stringify(a.body)).to.equal(201);
    const done = await exportOf('inc-cache', (b) => b.status === 'done' || b.status === 'failed');
    expect(done.status, done.error).to.equal('done');
    expect(await verify(done.url)).to.include({ ok: true, files: 2 });
  });

  it('waits for a segment cached only on another worker, says so, and finishes once it is archived', async () => {
    const store = createIngestStore(w.srv.dataDir);
    const repo = new RecordingsRepository(w.srv.ctx.database);
    const s = await cachedSegment(store, repo, cam, 5 * 3_600_000, { node: 'another-worker' });
    const a = await w.as.investigator.json('POST', '/api/v1/incidents/inc-remote/evidence', { kind: 'range', cameraId: cam, from: s.start.toISOString(), to: s.end.toISOString() });
    expect(a.status, JSON.stringify(a.body)).to.equal(201);
    const waiting = await exportOf('inc-remote', (b) => b.waiting !== null || b.status === 'done' || b.status === 'failed');
    expect(waiting.status, waiting.error).to.equal('running');
    expect(waiting.waiting).to.match(/1 recorded segment\(s\) not archived yet/);
    // The other worker's uploader archives it.
    const [row] = await w.srv.ctx.database.query<{ object_key: string }>(`SELECT object_key FROM recording_segments WHERE camera_id = $1 AND cache_key = $2`, [cam, s.cacheKey]);
    await w.srv.ctx.store.putFile(row!.object_key, s.file, { bytes: s.bytes, sha256: s.sha256, contentType: 'video/mp4' });
    await w.srv.ctx.database.query(`UPDATE recording_segments SET state = 'archived', archived_at = now() WHERE camera_id = $1 AND cache_key = $2`, [cam, s.cacheKey]);
    const done = await poll('export done', 30_000, async () => {
      const r = await w.as.investigator.json('GET', `/api/v1/exports/${waiting.id}`);
      return r.body.status === 'done' || r.body.status === 'failed' ? (r.body as Record<string, any>) : null;
    });
    expect(done.status, done.error).to.equal('done');
    expect(done.waiting).to.equal(null);
    expect((await verify(done.url)).ok).to.equal(true);
    expect((await readFile(s.file)).length).to.equal(s.bytes);
  });

  it('fails an export abandoned by a dead process, not one whose builder is alive', async () => {
    const db = w.srv.ctx.database;
    const [dead] = await db.query<{ id: string }>(`INSERT INTO evidence_exports (incident_id, status, created_at, heartbeat_at) VALUES ('inc-dead', 'running', now() - interval '10 minutes', now() - interval '5 minutes') RETURNING id`);
    const [queued] = await db.query<{ id: string }>(`INSERT INTO evidence_exports (incident_id, status, created_at) VALUES ('inc-dead', 'queued', now() - interval '10 minutes') RETURNING id`);
    const [alive] = await db.query<{ id: string }>(`INSERT INTO evidence_exports (incident_id, status, created_at, heartbeat_at) VALUES ('inc-dead', 'running', now() - interval '10 minutes', now()) RETURNING id`);
    expect(await w.srv.services.evidence.recoverAbandoned()).to.equal(2);
    const status = async (id: string) => (await w.as.investigator.json('GET', `/api/v1/exports/${id}`)).body as { status: string; error: string | null };
    expect(await status(dead!.id)).to.include({ status: 'failed' });
    expect((await status(dead!.id)).error).to.match(/interrupted/);
    expect(await status(queued!.id)).to.include({ status: 'failed' });
    expect(await status(alive!.id)).to.include({ status: 'running' });
  });
});
