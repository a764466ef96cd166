/**
 * Clip phase of `npm run bench`: Sky Eye's clip worker (plan, keyframe probe, ffmpeg concat stream
 * copy with faststart, SHA-256 and multipart upload to the embedded S3 server) against bare
 * `ffmpeg -f concat -safe 0 -i list -c copy` of the same recorded files from local disk to a local
 * file, for each clip length, with the recording first in the hot cache, then archived in S3 only.
 * The recording: one 60 s fragmented-MP4 file (W x H, the bitrate asked, GOP 2 s, recorder flags)
 * encoded once and hard-linked as every minute of the recording (the same bytes for both paths).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { configSchema } from '@config/schema';
import { clipObjectKey, ClipsRepository } from '@server/clips/index';
import { recordedInputs } from '@server/clips/inputs';
import { clipStorage } from '@server/clips/source';
import { openDatabase } from '@server/db/database';
import { RecordingsRepository } from '@server/recordings/repository';
import { openObjectStore } from '@server/storage/object-store';
import { ffprobeKeyframes } from '@workers/clipper/ffmpeg';
import { ClipWorker } from '@workers/clipper/worker';
import { spawnRunner } from '@workers/ffmpeg/process';
import { resolveFfmpegPath, resolveFfprobePath } from '@workers/ffmpeg/version';
import { recordingObjectKey } from '@workers/store/layout';
import { createIngestStore, formatSegmentStamp } from '@workers/store/paths';

const run = promisify(execFile);

export interface ClipBenchOptions {
  dir: string;
  minutes: number[];
  width: number;
  height: number;
  bitrateKbps: number;
  signal: AbortSignal;
  progress(msg: string): void;
}

export interface ClipBenchRow {
  minutes: number;
  source: 'cache' | 's3';
  bytes: number;
  skyeyeMs: number;
  /** Of skyeyeMs: planning, keyframe probe and ffmpeg (without SHA-256 and upload). */
  cutMs: number;
  /** Of skyeyeMs: SHA-256 and storing the clip in S3. */
  storeMs: number;
  baselineMs: number;
  ratio: number;
}

async function encodeMinute(file: string, o: ClipBenchOptions): Promise<void> {
  const k = `${o.bitrateKbps}k`;
  await run(resolveFfmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', `testsrc2=size=${o.width}x${o.height}:rate=25`, '-t', '60',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-bf', '0',
    '-b:v', k, '-maxrate', k, '-bufsize', k,
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-y', file,
  ], { timeout: 1_800_000 });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function runClipBench(o: ClipBenchOptions): Promise<ClipBenchRow[]> {
  const maxMin = Math.max(...o.minutes);
  await mkdir(o.dir, { recursive: true });
  const minute = path.join(o.dir, 'minute.mp4');
  o.progress(`clips: encoding one minute of ${o.width}x${o.height} at ${o.bitrateKbps} kb/s`);
  await encodeMinute(minute, o);
  const body = await readFile(minute);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const durationMs = 60_000;
  const database = await openDatabase({ dataDir: o.dir });
  const objects = await openObjectStore(configSchema.parse({ dataDir: o.dir }));
  const rows: ClipBenchRow[] = [];
  try {
    const store = createIngestStore(o.dir);
    const recordings = new RecordingsRepository(database);
    const clips = new ClipsRepository(database);
    const [cam] = await database.query<{ id: string }>(`INSERT INTO cameras (name, kind, lat, lon, enrollment_state) VALUES ('bench', 'road', 34.09, 119.35, 'approved') RETURNING id`);
    const cameraId = cam!.id;
    const base = Math.floor((Date.now() - 2 * 86_400_000) / 60_000) * 60_000;
    await mkdir(store.cacheDir(cameraId), { recursive: true });
    const files: string[] = [];
    for (let i = 0; i < maxMin; i++) {
      const start = new Date(base + i * 60_000);
      const file = store.cacheSegmentPath(cameraId, start);
      await link(minute, file);
      files.push(file);
      await recordings.add(
        { cameraId, cacheKey: `${cameraId}/${formatSegmentStamp(start)}.mp4`, objectKey: recordingObjectKey(cameraId, start), start, end: new Date(start.getTime() + durationMs), bytes: body.length, sha256, durationMs, frames: 1500, codec: 'h264', width: o.width, height: o.height, flags: [] },
        { workerId: 'bench', token: null, node: await store.nodeId() },
      );
    }
    let last = { cutMs: 0, uploadMs: 0 };
    const worker = new ClipWorker({
      queue: clips,
      inputs: recordedInputs({ recordings, store, objects }),
      storage: clipStorage(objects, configSchema.parse({}).clips.singlePutLimit),
      runner: spawnRunner,
      ffmpegPath: resolveFfmpegPath(),
      keyframes: ffprobeKeyframes(resolveFfprobePath()),
      workDir: path.join(o.dir, 'work'),
      claimer: 'bench',
      claimTtlMs: 30_000,
      maxAttempts: 1,
      objectKey: (job) => clipObjectKey(job.incidentId, job.id),
      onProgress() {},
      log: { info: (o: { cutMs?: number; uploadMs?: number }) => (last = { cutMs: o.cutMs ?? last.cutMs, uploadMs: o.uploadMs ?? last.uploadMs }), warn() {} },
    });
    const baseline = async (m: number): Promise<number> => {
      const list = path.join(o.dir, `bare-${m}.txt`);
      const out = path.join(o.dir, `bare-${m}.mp4`);
      await writeFile(list, files.slice(0, m).map((f) => `file '${f}'\n`).join(''));
      const ms = await timed(() => run(resolveFfmpegPath(), ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-f', 'mp4', '-y', out], { timeout: 1_800_000 }));
      await rm(out, { force: true });
      return ms;
    };
    const skyeye = async (m: number): Promise<{ ms: number; bytes: number; cutMs: number; storeMs: number }> => {
      // Start 1.3 s into the first file, as a real request would: the keyframe probe is part of the work.
      const [id] = await clips.createMany([{ incidentId: randomUUID(), cameraId, requestedBy: null, from: new Date(base + 1_300), to: new Date(base + m * 60_000) }]);
      const ms = await timed(() => worker.drain());
      const row = await clips.get(id!);
      if (row?.status !== 'done') throw new Error(`clip of ${m} min ended ${row?.status}: ${row?.error ?? ''}`);
      await objects.delete(row.objectKey!);
      return { ms, bytes: row.bytes ?? 0, cutMs: last.cutMs, storeMs: last.uploadMs };
    };
    const measure = async (source: 'cache' | 's3') => {
      for (const m of o.minutes) {
        if (o.signal.aborted) throw new Error('aborted');
        o.progress(`clips: ${m} min from ${source === 'cache' ? 'the hot cache' : 'S3'}`);
        const baselineMs = await baseline(m);
        const s = await skyeye(m);
        rows.push({ minutes: m, source, bytes: s.bytes, skyeyeMs: s.ms, cutMs: s.cutMs, storeMs: s.storeMs, baselineMs, ratio: s.ms / baselineMs });
      }
    };
    await measure('cache');
    o.progress(`clips: archiving ${maxMin} min to S3`);
    for (const [i, file] of files.entries()) {
      const start = new Date(base + i * 60_000);
      await objects.putFile(recordingObjectKey(cameraId, start), file, { bytes: (await stat(file)).size, sha256 });
    }
    // Archived, and no copy in this node's cache any more: the worker reads S3 (through its loopback reader).
    await database.query(`UPDATE recording_segments SET state = 'archived', archived_at = now(), verified_at = now(), cache_key = NULL WHERE camera_id = $1`, [cameraId]);
    await measure('s3');
    return rows;
  } finally {
    await objects.close().catch(() => undefined);
    await database.close().catch(() => undefined);
  }
}

export function renderClipTable(rows: readonly ClipBenchRow[]): string {
  const lines = ['Clips: Sky Eye (cut, faststart, SHA-256, upload to S3) vs bare ffmpeg -f concat -c copy from local disk', '| clip | source | MB | Sky Eye s | of which cut s | of which store s | bare ffmpeg s | ratio | cut ratio | target |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const target = r.source === 'cache' ? 1.1 : 2;
    lines.push(`| ${r.minutes} min | ${r.source} | ${(r.bytes / 1e6).toFixed(0)} | ${(r.skyeyeMs / 1000).toFixed(2)} | ${(r.cutMs / 1000).toFixed(2)} | ${(r.storeMs / 1000).toFixed(2)} | ${(r.baselineMs / 1000).toFixed(2)} | ${r.ratio.toFixed(2)}x | ${(r.cutMs / r.baselineMs).toFixed(2)}x | ${r.ratio <= target ? 'met' : 'missed'} (${target}x) |`);
  }
  return lines.join('\n');
}
