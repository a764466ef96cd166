/**
 * Evidence end to end over the real API (real database, embedded S3 server, real MP4 clips made by
 * ffmpeg, test stand-ins for the incidents' and clips' ports): attach two clips and a recorded
 * range, every view and download writes a custody entry, export a signed package, and
 * `npm run verify -- --package` and POST /api/v1/evidence/verify pass it intact and fail a
 * changed clip byte, a changed manifest field and a changed signature, each with its message.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { RecordingsRepository } from '@server/recordings/repository';
import { UploadQueueRepository } from '@server/recordings/queue';
import { createIngestStore } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';
import { cachedSegment, insertCamera } from '../recordings/helpers';
import { makeMp4, poll, TestClipSource, testIncidentAccess } from './ports';
import { readZip, writeZip } from './zip';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe(`evidence items, custody and signed export packages (${TEST_BACKEND}, s3rver, ffmpeg)`, function () {
  this.timeout(300_000);
  const clips = new TestClipSource();
  let world: World;
  let dir: string;
  let cam: string;
  let pkg: string;
  let keyFile: string;
  const incident = 'inc-export-1';
  const ids: { clip1?: string; clip2?: string; range?: string; export?: string } = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-evx-'));
    world = await startWorld({}, { evidencePorts: { incidents: testIncidentAccess, clips } });
    clips.store = world.srv.ctx.store;
    cam = await insertCamera(world.srv.ctx.database);
  });
  after(async () => {
    await world?.srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('attaches clips and a range; access rules; every view and download is in the custody log', async () => {
    const { investigator, merchant } = world.as;
    const t0 = new Date(Date.now() - 3_600_000);
    const files = [join(dir, 'a.mp4'), join(dir, 'b.mp4')];
    await Promise.all(files.map((f) => makeMp4(f, 3)));
    const c1 = await clips.add(files[0]!, { incidentId: incident, cameraId: cam, from: t0, to: new Date(t0.getTime() + 3000) });
    const c2 = await clips.add(files[1]!, { incidentId: incident, cameraId: cam, from: new Date(t0.getTime() + 60_000), to: new Date(t0.getTime() + 63_000), partial: true, gaps: [{ from: new Date(t0.getTime() + 61_000), to: new Date(t0.getTime() + 62_000) }] });
    const unfinished = clips.addUnfinished(incident, cam);

    expect((await merchant.json('POST', `/api/v1/incidents/${incident}/evidence`, { kind: 'clip', clipId: c1.id })).status).to.equal(404);
    const bad = await investigator.json('POST', `/api/v1/incidents/${incident}/evidence`, { kind: 'range', cameraId: 'nope', from: 'x', to: 'y' });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).to.include('cameraId');
    const notDone = await investigator.json('POST', `/api/v1/incidents/${incident}/evidence`, { kind: 'clip', clipId: unfinished.id });
    expect(notDone.status).to.equal(422);
    expect(notDone.body.errors[0].field).to.equal('clipId');
    const otherIncident = await investigator.json('POST', `/api/v1/incidents/inc-other/evidence`, { kind: 'clip', clipId: c1.id });
    expect(otherIncident.status).to.equal(422);

    const a1 = await investigator.json('POST', `/api/v1/incidents/${incident}/evidence`, { kind: 'clip', clipId: c1.id, note: 'entrance' });
    expect(a1.status).to.equal(201);
    expect(a1.body).to.include({ kind: 'clip', version: 1, sha256: c1.sha256 });
    const a2 = await investigator.json('POST', `/api/v1/incidents/${incident}/evidence`, { kind: 'clip', clipId: c2.id });
    expect(a2.body).to.include({ partial: true });
    ids.clip1 = a1.body.id;
    ids.clip2 = a2.body.id;

    // A recorded range: real segment objects in the server's S3 store.
    const store = createIngestStore(world.srv.dataDir);
    const repo = new RecordingsRepository(world.srv.ctx.database);
    const s1 = await cachedSegment(store, repo, cam, 2 * 3_600_000);
    const s2 = await cachedSegment(store, repo, cam, 2 * 3_600_000 - 4_000);
    const uploader = new Uploader({
      queue: new UploadQueueRepository(world.srv.ctx.database), archive: world.srv.ctx.store, node: () => store.nodeId(), cachePath: (k) => store.cachePath(k),
      workerId: 't', concurrency: 2, claimTtlMs: 5_000, retryMaxMs: 100, multipartThreshold: 16 * 1024 ** 2, log: { info() {}, warn() {} },
    });
    expect(await uploader.drain()).to.equal(2);
    const a3 = await investigator.json('POST', `/api/v1/incidents/${incident}/evidence`, { kind: 'range', cameraId: cam, from: s1.start.toISOString(), to: s2.end.toISOString() });
    expect(a3.status).to.equal(201);
    ids.range = a3.body.id;

    const view = await investigator.json('GET', `/api/v1/evidence/${ids.clip1}`, undefined, { 'X-Request-Id': 'view-request-0001' });
    expect(view.status).to.equal(200);
    expect((await merchant.json('GET', `/api/v1/evidence/${ids.clip1}`)).status).to.equal(404);
    const dl = await investigator.call('GET', `/api/v1/evidence/${ids.clip1}/download`, undefined, { 'X-Request-Id': 'download-req-0001' });
    expect(dl.status).to.equal(200);
    expect(sha256(Buffer.from(await dl.arrayBuffer()))).to.equal(c1.sha256);
    const list = await investigator.json('GET', `/api/v1/incidents/${incident}/evidence`);
    expect(list.body.items).to.have.length(3);

    const custody = (await investigator.json('GET', `/api/v1/incidents/${incident}/custody`)).body.items as Array<Record<string, string | null>>;
    const of = (id: string) => custody.filter((c) => c.itemId === id).map((c) => c.action);
    expect(of(ids.clip1!)).to.deep.equal(['attach', 'view', 'download', 'view']);
    expect(of(ids.range!)).to.deep.equal(['attach', 'view']);
    const dlEntry = custody.find((c) => c.action === 'download')!;
    expect(dlEntry).to.include({ userName: 'investigator', requestId: 'download-req-0001', sha256: c1.sha256, userId: investigator.userId });
    expect(dlEntry.address).to.be.a('string');
    expect(custody.find((c) => c.action === 'view')).to.include({ requestId: 'view-request-0001' });
  });

  it('exports a signed package: status, absolute url, download with the bearer token (custody)', async () => {
    const { investigator } = world.as;
    const created = await investigator.json('POST', `/api/v1/incidents/${incident}/exports`);
    expect(created.status).to.equal(202);
    ids.export = created.body.id;
    const done = await poll('export done', 120_000, async () => {
      const r = await investigator.json('GET', `/api/v1/exports/${ids.export}`);
      return r.body.status === 'done' || r.body.status === 'failed' ? r.body : null;
    });
    expect(done.status, done.error).to.equal('done');
    expect(done.url).to.equal(`${world.srv.url}/api/v1/exports/${ids.export}/download`);
    const res = await fetch(done.url, { headers: { Authorization: `Bearer ${investigator.token}` } });
    expect(res.status).to.equal(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(sha256(body)).to.equal(done.sha256);
    pkg = join(dir, 'package.zip');
    writeFileSync(pkg, body);
    expect((await fetch(done.url)).status).to.equal(401);

    const files = await readZip(pkg);
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest.items.map((i: { id: string }) => i.id)).to.deep.equal([ids.clip1, ids.clip2, ids.range]);
    expect(manifest.items[1].gaps).to.have.length(1);
    expect(manifest.items[2].files).to.have.length(2);
    expect(manifest.cameras[0]).to.include({ id: cam, lat: 34.09, lon: 119.35 });
    expect(manifest.custody.filter((c: { action: string }) => c.action === 'export')).to.have.length(3);
    const custody = (await investigator.json('GET', `/api/v1/incidents/${incident}/custody`)).body.items as Array<{ action: string; itemKind: string }>;
    expect(custody.filter((c) => c.itemKind === 'export').map((c) => c.action)).to.deep.equal(['export', 'download']);

    const key = (await (await fetch(`${world.srv.url}/api/v1/evidence/public-key`)).json()) as { publicKey: string };
    keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, key.publicKey);
  });

  const cli = async (file: string): Promise<{ code: number; out: string; err: string }> => {
    const child = spawn('npm', ['run', '-s', 'verify', '--', '--package', file, '--public-key', keyFile], { env: { ...process.env, SKYEYE_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
    return { code, out, err };
  };
  const upload = async (file: string) => {
    const res = await fetch(`${world.srv.url}/api/v1/evidence/verify`, { method: 'POST', headers: { Authorization: `Bearer ${world.as.investigator.token}`, 'Content-Type': 'application/zip' }, body: await readFile(file) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('an intact package verifies (CLI and upload API)', async () => {
    const r = await cli(pkg);
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(r.out)).to.include({ ok: true, signature: 'valid', items: 3, files: 4 });
    const api = await upload(pkg);
    expect(api.status).to.equal(200);
    expect(api.body).to.include({ ok: true, signature: 'valid', keySource: 'given' });
  });

  it('a changed clip byte, manifest field or signature fails, each naming what failed', async () => {
    const files = await readZip(pkg);
    const clipPath = [...files.keys()].find((k) => k.endsWith('clip.mp4') && k.includes(ids.clip1!))!;

    const byte = new Map(files);
    const clip = Buffer.from(files.get(clipPath)!);
    const at = Math.floor(clip.length / 2);
    clip[at] = clip[at]! ^ 0x01;
    byte.set(clipPath, clip);
    const byteFile = join(dir, 'byte.zip');
    await writeZip(byteFile, byte);

    const field = new Map(files);
    const m = JSON.parse(files.get('manifest.json')!.toString());
    m.items[2].to = new Date(Date.parse(m.items[2].to) + 60_000).toISOString();
    field.set('manifest.json', Buffer.from(`${JSON.stringify(m, null, 2)}\n`));
    const fieldFile = join(dir, 'field.zip');
    await writeZip(fieldFile, field);

    const sig = new Map(files);
    const s = Buffer.from(files.get('manifest.sig')!.toString().trim(), 'base64');
    s[5] = s[5]! ^ 0x01;
    sig.set('manifest.sig', Buffer.from(`${s.toString('base64')}\n`));
    const sigFile = join(dir, 'sig.zip');
    await writeZip(sigFile, sig);

    const rb = await cli(byteFile);
    expect(rb.code).to.equal(1);
    expect(rb.err).to.contain(`FAILED: ${clipPath} (item ${ids.clip1})`).and.to.contain('the file was changed');
    expect(JSON.parse(rb.out)).to.include({ signature: 'valid', ok: false });
    const apiByte = await upload(byteFile);
    expect(apiByte.body.ok).to.equal(false);
    expect(apiByte.body.problems.map((p: { item: string }) => p.item)).to.include(ids.clip1);

    const rf = await cli(fieldFile);
    expect(rf.code).to.equal(1);
    expect(rf.err).to.match(/FAILED: manifest\.sig: the signature does not match manifest\.json/);
    expect(JSON.parse(rf.out).signature).to.equal('invalid');

    const rs = await cli(sigFile);
    expect(rs.code).to.equal(1);
    expect(rs.err).to.match(/FAILED: manifest\.sig: the signature does not match manifest\.json/);
    const apiSig = await upload(sigFile);
    expect(apiSig.body).to.include({ ok: false, signature: 'invalid' });
  });
});
