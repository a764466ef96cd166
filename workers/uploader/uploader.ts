/**
 * Stage two of recording: moves this node's cached segments to the S3 archive. A durable queue
 * (the segment rows, claimed with FOR UPDATE SKIP LOCKED and a claim that expires unless renewed):
 * each segment is sent with its SHA-256 as the object checksum (segments of `multipartThreshold`
 * bytes or more as a multipart upload, each part with its SHA-256), read back and hashed, and only then
 * marked archived (its cache copy becomes eligible for deletion). Failures retry with capped
 * backoff, forever; a killed uploader's claim expires and the segment is taken up again.
 */
import { randomBytes } from 'node:crypto';
import { hashStream, retryDelay } from './verify';
import type { ArchivePort, UploadJob, UploadQueuePort } from './port';

export interface UploaderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface UploaderDeps {
  queue: UploadQueuePort;
  archive: ArchivePort;
  /** This cache's node id and the local path of a cache key (workers/store). */
  node: () => Promise<string>;
  cachePath: (cacheKey: string) => string;
  workerId: string;
  concurrency: number;
  claimTtlMs: number;
  retryMaxMs: number;
  /** Segments of this many bytes or more go as multipart uploads (config archive.multipartThreshold). */
  multipartThreshold: number;
  log: UploaderLogger;
  /** After each segment: archived or failed (metrics, tests, bench). */
  onResult?(r: UploadResult): void;
}

export interface UploadResult {
  job: UploadJob;
  ok: boolean;
  error?: string;
  /** Claimed -> verified (or failed). */
  ms: number;
  multipart: boolean;
}

export class Uploader {
  readonly claimer: string;

  constructor(private readonly deps: UploaderDeps) {
    this.claimer = `${deps.workerId}:${randomBytes(4).toString('hex')}`;
  }

  /**
   * Claims and uploads due segments until none is left, `concurrency` at a time: a freed slot claims
   * the next segment at once (no waiting for the slowest of a batch). Stops claiming when every
   * upload since the last success failed, `concurrency` of them (or all so far, if fewer): the store
   * is failing, the next pass tries again. At most `maxClaims` claims; returns how many were archived.
   */
  async drain(maxClaims = 10_000): Promise<number> {
    const node = await this.deps.node();
    const { concurrency } = this.deps;
    let archived = 0;
    let claims = 0;
    let failedInARow = 0;
    const inFlight = new Set<Promise<void>>();
    const failing = () => failedInARow > 0 && failedInARow >= Math.min(concurrency, claims);
    for (;;) {
      if (inFlight.size < concurrency && claims < maxClaims && !failing()) {
        const jobs = await this.deps.queue.claim(node, this.claimer, Math.min(concurrency - inFlight.size, maxClaims - claims), this.deps.claimTtlMs);
        claims += jobs.length;
        for (const job of jobs) {
          const p: Promise<void> = this.upload(job)
            .then(
              (ok) => {
                archived += ok ? 1 : 0;
                failedInARow = ok ? 0 : failedInARow + 1;
              },
              () => void failedInARow++,
            )
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        if (jobs.length && inFlight.size < concurrency) continue;
      }
      if (!inFlight.size) break;
      await Promise.race(inFlight); // a slot is free: claim again (segments indexed meanwhile included)
    }
    return archived;
  }

  private async upload(job: UploadJob): Promise<boolean> {
    const t0 = Date.now();
    let lost = false;
    const renew = setInterval(() => {
      void this.deps.queue.renew(job.id, this.claimer, this.deps.claimTtlMs).then(
        (held) => {
          if (!held) lost = true;
        },
        () => undefined,
      );
    }, Math.max(100, Math.floor(this.deps.claimTtlMs / 3)));
    renew.unref();
    const multipart = job.bytes >= this.deps.multipartThreshold;
    try {
      const file = this.deps.cachePath(job.cacheKey);
      if (multipart) await this.deps.archive.putFileMultipart(job.objectKey, file, { bytes: job.bytes, contentType: 'video/mp4' });
      else await this.deps.archive.putFile(job.objectKey, file, { bytes: job.bytes, sha256: job.sha256, contentType: 'video/mp4' });
      const back = await hashStream(await this.deps.archive.get(job.objectKey));
      if (back.sha256 !== job.sha256 || back.bytes !== job.bytes) {
        throw new Error(`read-back mismatch: object has ${back.bytes} B sha256 ${back.sha256}, segment ${job.bytes} B ${job.sha256}`);
      }
      clearInterval(renew);
      if (lost || !(await this.deps.queue.complete(job.id, this.claimer))) {
        this.deps.log.warn({ segment: job.id, objectKey: job.objectKey }, 'upload claim lost before completion (another uploader took it over)');
        return false;
      }
      this.deps.onResult?.({ job, ok: true, ms: Date.now() - t0, multipart });
      return true;
    } catch (err) {
      clearInterval(renew);
      const error = describe(err);
      const retryIn = retryDelay(job.attempts, this.deps.retryMaxMs);
      await this.deps.queue.fail(job.id, this.claimer, error, retryIn).catch((e: unknown) => this.deps.log.warn({ err: e }, 'could not record an upload failure'));
      this.deps.log.warn({ segment: job.id, objectKey: job.objectKey, attempts: job.attempts, retryInMs: retryIn, error }, 'segment upload failed, will retry');
      this.deps.onResult?.({ job, ok: false, error, ms: Date.now() - t0, multipart });
      return false;
    } finally {
      clearInterval(renew);
    }
  }
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  return `${e.name ?? 'Error'}${e.code ? ` ${e.code}` : ''}: ${e.message ?? String(err)}`.slice(0, 500);
}
