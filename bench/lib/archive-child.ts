/**
 * One path of the archive phase, in its own process (forked by archive.ts, so its CPU is its own:
 * process.cpuUsage over the run). N simulated recorder outputs write segment files into the hot
 * cache at the camera's bitrate (a chunk a second, hashed as written, cut together on the segment
 * boundary as ffmpeg's -segment_atclocktime does) and index each on close in a PGlite database
 * through the recorder's sink (server/recordings/sink.ts). Then, by mode:
 * - skyeye: the real Uploader on the real loop registry (`recordings.uploader`, kicked by the sink
 *   when a segment is indexed, else every uploadInterval), the real ObjectStore, the queue on the
 *   segment rows;
 * - baseline: the same closed files straight from memory to a bare @aws-sdk/client-s3 PutObject
 *   (x-amz-checksum-sha256) + GetObject + SHA-256 loop, same concurrency, no queue, no polling;
 * - writers: nothing is uploaded (the zero point both paths' CPU is measured against).
 * Sends one ArchiveChildResult over IPC and exits.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { systemClock } from '@common/clock';
import { Loops } from '@common/loops';
import { configSchema } from '@config/schema';
import { openDatabase } from '@server/db/database';
import { UploadQueueRepository } from '@server/recordings/queue';
import { RecordingsRepository } from '@server/recordings/repository';
import { recordingSink } from '@server/recordings/sink';
import { openObjectStore } from '@server/storage/object-store';
import { recordingObjectKey } from '@workers/store/layout';
import { createIngestStore, formatSegmentStamp } from '@workers/store/paths';
import { Uploader } from '@workers/uploader/uploader';
import { hashStream } from '@workers/uploader/verify';

export type ArchiveMode = 'skyeye' | 'baseline' | 'writers';

export interface ArchiveChildRequest {
  mode: ArchiveMode;
  dir: string;
  endpoint: string;
  cameras: number;
  segmentSeconds: number;
  /** A whole number of segments. */
  windowSeconds: number;
  bitrateKbps: number;
  concurrency: number;
  uploadIntervalMs: number;
  multipartThreshold: number;
  drainTimeoutMs: number;
}

export interface SegmentTiming {
  /** File closed and hashed -> indexed, read back and verified (what an operator waits for). */
  closeToVerifiedMs: number;
  /** Of that, the upload itself: claim (or dequeue) -> verified. */
  uploadMs: number;
  multipart: boolean;
  bytes: number;
}

export interface ArchiveChildResult {
  mode: ArchiveMode;
  segments: number;
  bytes: number;
  timings: SegmentTiming[];
  failures: number;
  /** Segments still not verified when the drain timed out. */
  unverified: number;
  /** CPU of this process, writing start -> all verified (writers: -> window end), seconds. */
  cpuSeconds: number;
  windowSeconds: number;
  /** Window end -> last segment verified. */
  tailSeconds: number;
  errors: string[];
}

const S3RVER_KEY = 'S3RVER';

async function run(r: ArchiveChildRequest): Promise<ArchiveChildResult> {
  const database = await openDatabase({ dataDir: r.dir });
  const config = configSchema.parse({ dataDir: r.dir, storage: { endpoint: r.endpoint, accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY, forcePathStyle: true }, archive: { multipartThreshold: r.multipartThreshold } });
  const objects = await openObjectStore(config);
  const store = createIngestStore(r.dir);
  const repo = new RecordingsRepository(database);
  const cams: string[] = [];
  for (let i = 0; i < r.cameras; i++) {
    const [row] = await database.query<{ id: string }>(`INSERT INTO cameras (name, kind, lat, lon, enrollment_state) VALUES ($1, 'road', 34.09, 119.35, 'approved') RETURNING id`, [`bench-${i}`]);
    cams.push(row!.id);
    await mkdir(store.cacheDir(row!.id), { recursive: true });
  }
  const closedAt = new Map<string, number>();
  const timings: SegmentTiming[] = [];
  const errors: string[] = [];
  let failures = 0;
  let bytesTotal = 0;
  let lastVerified = 0;
  const verified = (objectKey: string, uploadMs: number, multipart: boolean, bytes: number) => {
    const now = Date.now();
    lastVerified = now;
    timings.push({ closeToVerifiedMs: now - closedAt.get(objectKey)!, uploadMs, multipart, bytes });
  };

  // The recorder's sink as the worker builds it (server/recordings/index.ts): Sky Eye's kicks its uploader loop.
  let kick = () => {};
  const sink = recordingSink(repo, { workerId: 'bench', node: () => store.nodeId(), tokenOf: () => undefined, log: { warn() {} }, onIndexed: () => kick() });

  // The path under test.
  let stopPath = async () => {};
  let enqueue: (s: { file: string; objectKey: string; sha256: string; bytes: number }) => void = () => {};
  if (r.mode === 'skyeye') {
    const uploader = new Uploader({
      queue: new UploadQueueRepository(database), archive: objects, node: () => store.nodeId(), cachePath: (k) => store.cachePath(k),
      workerId: 'bench', concurrency: r.concurrency, claimTtlMs: config.archive.uploadClaimTtl, retryMaxMs: config.archive.uploadRetryMax,
      multipartThreshold: r.multipartThreshold,
      log: { info() {}, warn: (o: object, m: string) => void errors.push(`${m} ${JSON.stringify(o)}`.slice(0, 300)) },
      onResult: (x) => (x.ok ? verified(x.job.objectKey, x.ms, x.multipart, x.job.bytes) : failures++),
    });
    const loops = new Loops({ clock: systemClock, onError: (_l, e) => void errors.push(String(e)) });
    const loop = loops.add('recordings.uploader', r.uploadIntervalMs, () => uploader.drain());
    kick = () => loop.kick();
    loops.start();
    stopPath = () => loops.stop();
  } else if (r.mode === 'baseline') {
    const client = new S3Client({ endpoint: r.endpoint, region: config.storage.region, forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY } });
    type Closed = { file: string; objectKey: string; sha256: string; bytes: number };
    const queue: Closed[] = [];
    let active = 0;
    const send = async (s: Closed) => {
      const t = Date.now();
      try {
        const Bucket = config.storage.bucket;
        await client.send(new PutObjectCommand({ Bucket, Key: s.objectKey, Body: createReadStream(s.file), ContentLength: s.bytes, ContentType: 'video/mp4', ChecksumSHA256: Buffer.from(s.sha256, 'hex').toString('base64') }));
        const back = await hashStream((await client.send(new GetObjectCommand({ Bucket, Key: s.objectKey }))).Body as Readable);
        if (back.sha256 !== s.sha256 || back.bytes !== s.bytes) throw new Error('read-back mismatch');
        verified(s.objectKey, Date.now() - t, false, s.bytes);
      } catch (e) {
        failures++;
        errors.push(`baseline: ${(e as Error).message}`);
      }
    };
    const pump = () => {
      while (active < r.concurrency && queue.length) {
        active++;
        void send(queue.shift()!).finally(() => {
          active--;
          pump();
        });
      }
    };
    enqueue = (s) => {
      queue.push(s);
      pump();
    };
    stopPath = async () => client.destroy();
  }

  // The recorder outputs: every camera appends one second of bytes per tick, all cut together.
  const perSecond = Math.round((r.bitrateKbps * 1000) / 8);
  const pool = randomBytes(perSecond + 4096);
  const segments = r.windowSeconds / r.segmentSeconds;
  const cpu0 = process.cpuUsage();
  const t0 = Math.ceil(Date.now() / 1000) * 1000;
  await new Promise((res) => setTimeout(res, t0 - Date.now()));
  for (let seg = 0; seg < segments; seg++) {
    const start = new Date(t0 + seg * r.segmentSeconds * 1000);
    const outs = await Promise.all(cams.map(async (cameraId) => ({ cameraId, file: store.cacheSegmentPath(cameraId, start), fh: await open(store.cacheSegmentPath(cameraId, start), 'w'), hash: createHash('sha256'), bytes: 0 })));
    for (let s = 0; s < r.segmentSeconds; s++) {
      await Promise.all(outs.map(async (o, i) => {
        const off = (i * 977 + s * 131 + seg * 17) % 4096;
        const chunk = pool.subarray(off, off + perSecond);
        o.hash.update(chunk);
        o.bytes += chunk.length;
        await o.fh.write(chunk);
      }));
      const due = start.getTime() + (s + 1) * 1000;
      await new Promise((res) => setTimeout(res, Math.max(0, due - Date.now())));
    }
    const end = new Date(start.getTime() + r.segmentSeconds * 1000);
    await Promise.all(outs.map(async (o) => {
      await o.fh.close();
      const sha256 = o.hash.digest('hex');
      const objectKey = recordingObjectKey(o.cameraId, start);
      const cacheKey = `${o.cameraId}/${formatSegmentStamp(start)}.mp4`;
      closedAt.set(objectKey, Date.now()); // closed and hashed; indexing counts on both paths
      await sink.add({ cameraId: o.cameraId, cacheKey, objectKey, start, end, bytes: o.bytes, sha256, durationMs: r.segmentSeconds * 1000, frames: r.segmentSeconds * 25, codec: 'h264', width: 1920, height: 1080, flags: [] });
      bytesTotal += o.bytes;
      enqueue({ file: o.file, objectKey, sha256, bytes: o.bytes });
    }));
  }
  const windowEnd = Date.now();
  const total = segments * cams.length;
  if (r.mode !== 'writers') {
    const deadline = windowEnd + r.drainTimeoutMs;
    while (timings.length < total && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  }
  const cpu = process.cpuUsage(cpu0);
  await stopPath();
  await objects.close();
  await database.close();
  return {
    mode: r.mode, segments: total, bytes: bytesTotal, timings, failures, unverified: r.mode === 'writers' ? 0 : total - timings.length,
    cpuSeconds: (cpu.user + cpu.system) / 1e6, windowSeconds: (windowEnd - t0) / 1000,
    tailSeconds: r.mode === 'writers' || !lastVerified ? 0 : Math.max(0, lastVerified - windowEnd) / 1000, errors: errors.slice(0, 20),
  };
}

process.once('message', (r: ArchiveChildRequest) => {
  run(r).then(
    (res) => process.send!(res, () => process.exit(0)),
    (e: unknown) => process.send!({ error: (e as Error).stack ?? String(e) }, () => process.exit(1)),
  );
});
