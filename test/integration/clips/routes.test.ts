/**
 * The clip API on a running Sky Eye (real database, embedded S3 server, its own clip worker, real
 * ffmpeg): POST /incidents/{id}/clips for one or many cameras, GET /clips/{id} until done (progress
 * over socket.io to the requester), GET /clips/{id}/download whole and with Range (each request an
 * entry in the incident's custody log), cancel of an ended clip refused, bad input naming the
 * field, merchants refused. The incident is a real one: an operator files it and assigns the
 * investigator (the incidents' access rule decides who may cut and download).
 */
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { RecordingsRepository } from '@server/recordings/repository';
import { createIngestStore } from '@workers/store/paths';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { waitFor } from '@test/integration/ingest/helpers';
import { insertCamera } from '@test/integration/recordings/helpers';
import { recordSegments } from './helpers';

describe(`clip API (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  let cams: string[];
  let base: number;
  let socket: Socket;
  const events: Array<{ clipId: string; status: string; progress: number }> = [];
  let incident: string;
  const at = (sec: number) => new Date(base + sec * 1000).toISOString();
  const done = async (id: string) =>
    waitFor(async () => {
      const r = await w.as.investigator.json('GET', `/api/v1/clips/${id}`);
      return ['done', 'failed', 'cancelled'].includes(r.body.status) ? r.body : null;
    }, 60_000, `clip ${id} finished`);

  before(async function () {
    this.timeout(120_000);
    w = await startWorld();
    base = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    const store = createIngestStore(w.srv.dataDir);
    const repo = new RecordingsRepository(w.srv.ctx.database);
    cams = [await insertCamera(w.srv.ctx.database), await insertCamera(w.srv.ctx.database)];
    for (const cam of cams) await recordSegments(store, repo, cam, { base: new Date(base), count: 4, segSec: 4, gopSec: 2 });
    const filed = await w.as.operator.json('POST', '/api/v1/incidents', { title: 'Clip test', category: 'theft', location: { lat: 34.09, lon: 119.35 }, radius: 500, from: at(0), to: at(20) });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    incident = filed.body.id as string;
    const assigned = await w.as.operator.json('PUT', `/api/v1/incidents/${incident}/assignees`, { userIds: [w.as.investigator.userId] });
    expect(assigned.status, JSON.stringify(assigned.body)).to.equal(200);
    socket = connect(w.srv.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, auth: { token: w.as.investigator.token } });
    socket.on('clip:progress', (e: { clipId: string; status: string; progress: number }) => events.push(e));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });
  after(async function () {
    this.timeout(30_000);
    socket?.close();
    await w?.srv.close();
  });

  it('cuts a clip, reports progress to the requester, and downloads it whole and by Range, each download a custody entry', async () => {
    const r = await w.as.investigator.json('POST', `/api/v1/incidents/${incident}/clips`, { cameraId: cams[0], from: at(5), to: at(13) });
    expect(r.status, JSON.stringify(r.body)).to.equal(202);
    const clip = await done(r.body.id);
    expect(clip).to.include({ status: 'done', progress: 1, partial: false, cameraId: cams[0], incidentId: incident });
    expect(Date.parse(clip.actualFrom)).to.equal(Date.parse(at(4)));
    expect(clip.gaps).to.deep.equal([]);
    expect(clip.sha256).to.match(/^[0-9a-f]{64}$/);
    await waitFor(() => events.some((e) => e.clipId === clip.id && e.status === 'done'), 10_000, 'clip:progress done');

    const whole = await w.as.investigator.call('GET', `/api/v1/clips/${clip.id}/download`);
    expect(whole.status).to.equal(200);
    const body = Buffer.from(await whole.arrayBuffer());
    expect(body.length).to.equal(clip.bytes);
    expect(createHash('sha256').update(body).digest('hex')).to.equal(clip.sha256);
    expect(whole.headers.get('accept-ranges')).to.equal('bytes');

    const part = await w.as.investigator.call('GET', `/api/v1/clips/${clip.id}/download`, undefined, { Range: 'bytes=100-199' });
    expect(part.status).to.equal(206);
    expect(part.headers.get('content-range')).to.equal(`bytes 100-199/${clip.bytes}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100, 200))).to.equal(true);
    const bad = await w.as.investigator.call('GET', `/api/v1/clips/${clip.id}/download`, undefined, { Range: `bytes=${clip.bytes}-` });
    expect(bad.status).to.equal(416);

    const custody = await w.as.investigator.json('GET', `/api/v1/incidents/${incident}/custody`);
    expect(custody.status, JSON.stringify(custody.body)).to.equal(200);
    const mine = (custody.body.items as Array<{ itemKind: string; itemId: string; action: string; userId: string; sha256: string }>).filter((e) => e.itemKind === 'clip' && e.itemId === clip.id);
    expect(mine.map((e) => e.action)).to.deep.equal(['download', 'download']);
    expect(mine.every((e) => e.userId === w.as.investigator.userId && e.sha256 === clip.sha256)).to.equal(true);

    const cancel = await w.as.investigator.json('POST', `/api/v1/clips/${clip.id}/cancel`);
    expect(cancel.status).to.equal(409);
  });

  it('cuts many cameras for one window in one request', async () => {
    const r = await w.as.operator.json('POST', `/api/v1/incidents/${incident}/clips`, { cameraIds: cams, from: at(1), to: at(15) });
    expect(r.status, JSON.stringify(r.body)).to.equal(202);
    expect(r.body.ids).to.have.length(2);
    const clips = await Promise.all((r.body.ids as string[]).map(done));
    expect(clips.map((c) => [c.cameraId, c.status])).to.deep.equal(cams.map((c) => [c, 'done']));
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const post = (body: unknown) => w.as.investigator.json('POST', `/api/v1/incidents/${incident}/clips`, body);
    const fields = (r: { body: { errors?: Array<{ field: string }> } }) => (r.body.errors ?? []).map((e) => e.field);
    const backwards = await post({ cameraId: cams[0], from: at(10), to: at(5) });
    expect(backwards.status).to.equal(422);
    expect(backwards.res.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(fields(backwards)).to.deep.equal(['to']);
    const long = await post({ cameraId: cams[0], from: at(0), to: new Date(base + 5 * 3_600_000).toISOString() });
    expect(fields(long)).to.include('to');
    const future = await post({ cameraId: cams[0], from: new Date(Date.now() + 60_000).toISOString(), to: new Date(Date.now() + 120_000).toISOString() });
    expect(fields(future)).to.deep.equal(['from']);
    const unknown = await post({ cameraIds: [cams[0], randomUUID()], from: at(0), to: at(5) });
    expect(unknown.status).to.equal(422);
    expect(fields(unknown)).to.deep.equal(['cameraIds.1']);
    const notUuid = await post({ cameraId: 'x', from: at(0), to: at(5) });
    expect(notUuid.status).to.equal(400);
    expect(fields(notUuid).join()).to.contain('cameraId');
    const ids = (await w.as.admin.json('GET', `/api/v1/clips/${randomUUID()}`)).status;
    expect(ids).to.equal(404);
  });

  it('merchants never reach clips', async () => {
    const r = await w.as.merchant.json('POST', `/api/v1/incidents/${incident}/clips`, { cameraId: cams[0], from: at(0), to: at(5) });
    expect(r.status).to.equal(404);
    const [row] = await w.srv.ctx.database.query<{ id: string }>(`SELECT id FROM clip_jobs WHERE status = 'done' LIMIT 1`);
    expect((await w.as.merchant.json('GET', `/api/v1/clips/${row!.id}`)).status).to.equal(404);
    expect((await w.as.merchant.call('GET', `/api/v1/clips/${row!.id}/download`)).status).to.equal(404);
  });
});
