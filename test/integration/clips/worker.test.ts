/**
 * The clip worker with a real database (PGlite or PostgreSQL), a real S3 server (s3rver), real
 * ffmpeg/ffprobe and real fragmented-MP4 recordings (helpers.ts): a clip starts at the keyframe at
 * or before `from` (within one GOP), ends at `to`, its duration (ffprobe) matches, its SHA-256
 * matches the stored object, it has moov first and decodes; a clip over a gap is partial with the
 * gap listed; the archive (S3, the cache copies gone) gives the same clip; cancel kills ffmpeg; a
 * worker killed mid-job (SIGKILL, another process) leaves a job another worker finishes.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { openDatabase } from '@server/db/database';
import { clipObjectKey, ClipsRepository } from '@server/clips/index';
import { recordedInputs } from '@server/clips/inputs';
import { clipStorage } from '@server/clips/source';
import { RecordingsRepository } from '@server/recordings/repository';
import { spawnRunner } from '@workers/ffmpeg/process';
import { ffprobeKeyframes } from '@workers/clipper/ffmpeg';
import type { ClipInputs, ClipProgress } from '@workers/clipper/ports';
import { ClipWorker } from '@workers/clipper/worker';
import { TEST_BACKEND } from '@test/helpers/database';
import { waitFor } from '@test/integration/ingest/helpers';
import { archiveFixture } from '@test/integration/recordings/fixture';
import { insertCamera } from '@test/integration/recordings/helpers';
import { FFMPEG, FFPROBE, probeClip, recordSegments } from './helpers';
import { processAlive } from '@test/helpers/process';

const SEG = 4;
const GOP = 2;

describe(`clip worker (${TEST_BACKEND}, s3rver, ffmpeg)`, function () {
  this.timeout(180_000);
  const f = archiveFixture('skyeye-clip-');
  let cam: string;
  let base: number;
  let clips: ClipsRepository;
  const progress: ClipProgress[] = [];
  const incident = randomUUID();

  /** singlePutLimit 0: every clip goes up as a multipart upload. */
  const worker = (o: { claimer?: string; claimTtlMs?: number; inputs?: ClipInputs; singlePutLimit?: number; wholeFetchLimit?: number } = {}) =>
    new ClipWorker({
      queue: clips,
      inputs: o.inputs ?? recordedInputs({ recordings: new RecordingsRepository(f.database), store: f.store, objects: f.objects, wholeFetchLimit: o.wholeFetchLimit }),
      storage: clipStorage(f.objects, o.singlePutLimit ?? 2 * 1024 ** 3),
      runner: spawnRunner,
      ffmpegPath: FFMPEG,
      keyframes: ffprobeKeyframes(FFPROBE),
      workDir: path.join(f.dir, 'work'),
      claimer: o.claimer ?? 'test-worker',
      claimTtlMs: o.claimTtlMs ?? 3_000,
      maxAttempts: 3,
      objectKey: (job) => clipObjectKey(job.incidentId, job.id),
      onProgress: (_job, p) => progress.push(p),
      log: { info() {}, warn() {} },
    });
  const at = (sec: number) => new Date(base + sec * 1000);
  const queue = async (fromSec: number, toSec: number) => (await clips.createMany([{ incidentId: incident, cameraId: cam, requestedBy: null, from: at(fromSec), to: at(toSec) }]))[0]!;
  const objectBytes = async (key: string) => readFile(f.s3.objectFile(key));
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  /** The stored clip, written to a file for ffprobe. */
  const stored = async (id: string) => {
    const row = (await clips.get(id))!;
    const body = await objectBytes(row.objectKey!);
    const file = path.join(f.dir, `${id}.mp4`);
    await writeFile(file, body);
    return { row, body, file, probe: await probeClip(file) };
  };

  before(async function () {
    this.timeout(120_000);
    clips = new ClipsRepository(f.database);
    cam = await insertCamera(f.database);
    base = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    // Files 0..7 of 4 s (keyframes every 2 s); file 5 ([20 s, 24 s)) was never recorded.
    await recordSegments(f.store, f.repo, cam, { base: new Date(base), count: 8, segSec: SEG, gopSec: GOP, skip: [5] });
  });

  it('cuts [from, to) from the hot cache: keyframe start within one GOP, duration, hash, moov first, decodes', async () => {
    const id = await queue(7.3, 15.7);
    expect(await worker().drain()).to.equal(1);
    const { row, body, probe } = await stored(id);
    expect(row.status).to.equal('done');
    expect(row.partial).to.equal(false);
    expect(row.gaps).to.deep.equal([]);
    const lead = at(7.3).getTime() - row.actualFrom!.getTime();
    expect(lead, 'actual start at the keyframe at or before from').to.be.within(0, GOP * 1000);
    expect(row.actualFrom!.getTime()).to.equal(at(6).getTime());
    expect(Math.abs(row.actualTo!.getTime() - at(15.7).getTime())).to.be.at.most(50);
    expect(Math.abs(probe.duration - (row.actualTo!.getTime() - row.actualFrom!.getTime()) / 1000), `duration ${probe.duration}`).to.be.at.most(0.1);
    expect(row.sha256).to.equal(sha(body));
    expect(row.bytes).to.equal(body.length);
    expect(probe.firstKey, 'first packet is a keyframe').to.equal(true);
    expect(probe.moovFirst, 'faststart').to.equal(true);
    expect(probe.decodes, probe.decodeErrors).to.equal(true);
    expect(progress.filter((p) => p.jobId === id).map((p) => p.status)).to.include.members(['running', 'done']);
  });

  it('flags a clip across a gap as partial, lists the gap, and keeps only the recorded time in the file', async () => {
    const id = await queue(14, 30);
    await worker().drain();
    const { row, probe } = await stored(id);
    expect(row.status).to.equal('done');
    expect(row.partial).to.equal(true);
    expect(row.gaps.map((g) => [g.from.getTime(), g.to.getTime()])).to.deep.equal([[at(20).getTime(), at(24).getTime()]]);
    expect(row.actualFrom!.getTime()).to.equal(at(14).getTime());
    const gapMs = 4_000;
    expect(Math.abs(probe.duration - (row.actualTo!.getTime() - row.actualFrom!.getTime() - gapMs) / 1000), `duration ${probe.duration}`).to.be.at.most(0.15);
    expect(probe.decodes, probe.decodeErrors).to.equal(true);
  });

  it('fails a window with nothing recorded, for good', async () => {
    const id = await queue(-100, -50);
    await worker().drain();
    const row = (await clips.get(id))!;
    expect(row.status).to.equal('failed');
    expect(row.error).to.match(/nothing is recorded/);
  });

  it('cancel stops a running cut: its ffmpeg is killed, the job stays cancelled, nothing is stored', async () => {
    // The second input is a FIFO nobody writes: ffmpeg blocks on it, as on a slow archive.
    const fifo = path.join(f.dir, 'stall.fifo');
    await promisify(execFile)('mkfifo', [fifo]);
    const real = recordedInputs({ recordings: new RecordingsRepository(f.database), store: f.store, objects: f.objects });
    const stalling: ClipInputs = {
      async open(c, a, b, d) {
        const r = await real.open(c, a, b, d);
        return { ...r, files: r.files.map((x, i) => (i === 1 ? { ...x, input: fifo } : x)) };
      },
    };
    const pids = new Set<number>();
    const w = worker({ inputs: stalling });
    (w as unknown as { o: { runner: typeof spawnRunner } }).o.runner = {
      start(cmd, args, env) {
        const child = spawnRunner.start(cmd, args, env);
        if (child.pid) pids.add(child.pid);
        return child;
      },
    };
    const id = await queue(0, 12);
    const draining = w.drain();
    await waitFor(async () => pids.size > 0 && (await clips.get(id))?.status === 'running', 20_000, 'the cut running');
    expect((await clips.cancel(id))?.status).to.equal('cancelled');
    await draining;
    await waitFor(() => [...pids].every((p) => !processAlive(p)), 10_000, 'ffmpeg gone');
    const row = (await clips.get(id))!;
    expect(row.status).to.equal('cancelled');
    expect(row.objectKey).to.equal(null);
    await rm(fifo, { force: true });
  });

  it('cuts from the archive once the cache copies are gone: files fetched whole, or read with Range through the loopback reader', async () => {
    const up = f.uploader();
    await waitFor(async () => {
      await up.drain();
      return (await f.repo.listSegments(cam, at(0), at(40))).every((s) => s.state === 'archived');
    }, 60_000, 'all archived');
    const fromCache = await queue(7.3, 15.7);
    await worker().drain();
    for (const s of await f.repo.listSegments(cam, at(0), at(40))) await rm(f.store.cachePath(s.cacheKey!), { force: true });
    // What ffmpeg was given: local copies (a short clip's files fetched whole), or loopback URLs.
    const seen: string[][] = [];
    const spied = (wholeFetchLimit?: number): ClipInputs => {
      const real = recordedInputs({ recordings: new RecordingsRepository(f.database), store: f.store, objects: f.objects, wholeFetchLimit });
      return { open: async (...a) => ((r) => (seen.push(r.files.map((x) => x.input)), r))(await real.open(...a)) };
    };
    const fromS3 = await queue(7.3, 15.7);
    // And stored the streamed way this time (the one from the cache went up in one PUT with its SHA-256).
    await worker({ singlePutLimit: 0, inputs: spied(0) }).drain();
    const whole = await queue(7.3, 15.7);
    await worker({ inputs: spied() }).drain();
    expect(seen[0]!.every((x) => x.startsWith('http://127.0.0.1:')), seen[0]!.join(' ')).to.equal(true);
    expect(seen[1]!.every((x) => x.startsWith(path.join(f.dir, 'work'))), seen[1]!.join(' ')).to.equal(true);
    const a = await stored(fromCache);
    for (const id of [fromS3, whole]) {
      const b = await stored(id);
      expect(b.row.status, b.row.error ?? '').to.equal('done');
      expect(b.row.actualFrom!.getTime()).to.equal(a.row.actualFrom!.getTime());
      expect(b.row.actualTo!.getTime()).to.equal(a.row.actualTo!.getTime());
      expect(Math.abs(b.probe.duration - a.probe.duration)).to.be.at.most(0.05);
      expect(b.probe.decodes, b.probe.decodeErrors).to.equal(true);
      expect(b.row.sha256).to.equal(sha(b.body));
      // The same files cut the same way: the same bytes as the clip from the cache.
      expect(b.row.sha256, 'the clip from the archive is the one from the cache').to.equal(a.row.sha256);
    }
    expect(a.row.sha256).to.equal(sha(a.body));
    const puts = (id: string) => f.s3.puts.filter((p) => p.key === clipObjectKey(incident, id));
    expect(puts(fromCache).map((p) => p.part)).to.deep.equal([null]);
    expect(puts(fromCache)[0]!.checksumSha256).to.equal(Buffer.from(a.row.sha256!, 'hex').toString('base64'));
    // Streamed, hashed on the way (a clip this small fits one part, sent without a precomputed SHA-256).
    expect(puts(fromS3).map((p) => p.checksumSha256)).to.deep.equal([null]);
  });

  it('cancel while a short clip\'s archived files are being fetched stops the fetch; no ffmpeg starts', async () => {
    // Runs after the archive test: every file of the camera is archived, no cache copy is left.
    let gets = 0;
    const never = { get: async () => (gets++, new PassThrough()) }; // an S3 answer that never ends
    const pids: number[] = [];
    const w = worker({ inputs: recordedInputs({ recordings: new RecordingsRepository(f.database), store: f.store, objects: never }) });
    (w as unknown as { o: { runner: typeof spawnRunner } }).o.runner = { start: (cmd, args, env) => ((c) => (c.pid && pids.push(c.pid), c))(spawnRunner.start(cmd, args, env)) };
    const id = await queue(7.3, 15.7);
    const draining = w.drain();
    await waitFor(async () => gets > 0 && (await clips.get(id))?.status === 'running', 20_000, 'the fetch under way');
    expect((await clips.cancel(id))?.status).to.equal('cancelled');
    const ended = await Promise.race([draining.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    expect(ended, 'the worker let go of the cancelled job (the fetch stopped)').to.equal(true);
    expect(pids, 'no ffmpeg for a cancelled job').to.deep.equal([]);
    expect((await clips.get(id))!.status).to.equal('cancelled');
  });

  it('a job whose worker was SIGKILLed mid-job is claimed again by another worker once the claim expires, and finishes', async () => {
    const id = await queue(2, 14);
    if (TEST_BACKEND === 'pglite') await f.database.close(); // one process at a time on an embedded database
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/clips/worker-child.ts'], {
      env: { ...process.env, SKYEYE_T_DB: f.databaseUrl ?? '', SKYEYE_T_S3: f.s3.endpoint, SKYEYE_T_DIR: f.dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await new Promise<void>((resolve, reject) => {
        f.s3.onPutStart(() => {
          child.kill('SIGKILL');
          resolve();
        }, true);
        child.once('exit', () => reject(new Error('the worker child exited before uploading')));
      });
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
    if (TEST_BACKEND === 'pglite') {
      f.database = await openDatabase({ dataDir: f.dir, fromSnapshot: true });
      clips = new ClipsRepository(f.database);
    }
    const dead = (await clips.get(id))!;
    expect(dead.status).to.equal('running');
    expect(dead.attempts).to.equal(1);
    const w = worker({ claimer: 'survivor' });
    await waitFor(async () => (await w.drain()) > 0, 30_000, 'the expired claim taken up');
    const { row, body, probe } = await stored(id);
    expect(row.status, row.error ?? '').to.equal('done');
    expect(row.attempts).to.equal(2);
    expect(row.sha256).to.equal(sha(body));
    expect(probe.decodes, probe.decodeErrors).to.equal(true);
  });
});
