/**
 * Stage two of recording: moves this node's cached segments to the S3 archive. A durable queue
 * (the segment rows, claimed with FOR UPDATE SKIP LOCKED and a claim that expires unless renewed):
 * each segment is sent with its SHA-256 as the object checksum (segments of `multipartThreshold`
 * bytes or more as a multipart upload, each part with its SHA-256), read back and hashed, and only then
 * marked archived (its cache copy becomes eligible for deletion). Every upload has a deadline scaled
 * to its size (`jobDeadline`): one that runs past it is aborted and failed like any other. Failures
 * retry with capped backoff, forever; a killed uploader's claim expires and the segment is taken up again.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { hashStream, retryDelay } from './verify';
import type { ArchivePort, UploadJob, UploadQueuePort } from './port';

export interface UploaderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** How long one upload (send, read-back and verify) may take: `floorMs` plus its bytes, both ways, at `minBytesPerSecond`. */
export interface JobDeadline {
  floorMs: number;
  minBytesPerSecond: number;
}

/** 60 s, plus the segment sent and read back at 512 KiB/s: ~3 min for 30 MB, ~9.5 min for 128 MB. */
export const DEFAULT_JOB_DEADLINE: JobDeadline = { floorMs: 60_000, minBytesPerSecond: 512 * 1024 };

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
  /**
   * While a pass waits on uploads in flight with a slot free, it looks for new segments this often
   * (config archive.uploadInterval; default 2 s), so a slow upload never holds back the ones indexed after it.
   */
  pollMs?: number;
  /** Default DEFAULT_JOB_DEADLINE. */
  jobDeadline?: JobDeadline;
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
  /** Aborted by close(): ends passes and the uploads in flight. */
  private readonly closing = new AbortController();
  /** Ends a pass's wait for a free slot's next look at the queue (wake()); null while none waits. */
  private wakeUp: (() => void) | null = null;
  /** wake() came while no pass waited: the next wait with a slot free looks at once. */
  private woken = false;

  constructor(private readonly deps: UploaderDeps) {
    this.claimer = `${deps.workerId}:${randomBytes(4).toString('hex')}`;
  }

  /** The deadline of one upload of `bytes` (send and read-back). */
  deadlineMs(bytes: number): number {
    const d = this.deps.jobDeadline ?? DEFAULT_JOB_DEADLINE;
    return Math.ceil(d.floorMs + ((2 * bytes) / d.minBytesPerSecond) * 1000);
  }

  /**
   * Claims and uploads due segments until none is left, `concurrency` at a time: a freed slot claims
   * the next segment at once (no waiting for the slowest of a batch), and while uploads are in flight
   * with a slot free the queue is looked at again when wake() says a segment was indexed, and every
   * `pollMs` (segments indexed meanwhile). Stops claiming when every upload since the last success
   * failed, `concurrency` of them (or all so far, if fewer): the store is failing, the next pass
   * tries again. At most `maxClaims` claims; returns how
   * many were archived. After close(): claims nothing more and returns once the aborted uploads end.
   */
  async drain(maxClaims = 10_000): Promise<number> {
    const node = await this.deps.node();
    const { concurrency } = this.deps;
    const closed = this.closing.signal;
    let archived = 0;
    let claims = 0;
    let failedInARow = 0;
    const inFlight = new Set<Promise<void>>();
    const failing = () => failedInARow > 0 && failedInARow >= Math.min(concurrency, claims);
    const mayClaim = () => !closed.aborted && inFlight.size < concurrency && claims < maxClaims && !failing();
    for (;;) {
      if (mayClaim()) {
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
        if (jobs.length && mayClaim()) continue;
      }
      if (!inFlight.size) break;
      // A slot is free or an upload ends: claim again (segments indexed meanwhile included). With a
      // slot free, look again when a segment is indexed (wake) and after pollMs: a slow or stuck
      // upload must not hold back the rest.
      const free = mayClaim();
      try {
        await waitFor(free ? [...inFlight, this.nextWake()] : [...inFlight], free ? (this.deps.pollMs ?? 2_000) : undefined, closed);
      } finally {
        this.wakeUp = null;
      }
    }
    return archived;
  }

  /**
   * A segment was just indexed: a pass waiting on uploads in flight with a slot free claims it now
   * instead of at its next look (pollMs). The uploader loop's kick cannot do it: it waits for the pass.
   */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }

  /** Resolves at the next wake() (at once if one came meanwhile). */
  private nextWake(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.wakeUp = resolve));
  }

  /**
   * Ends the uploader: passes claim nothing more, the uploads in flight are aborted (their claims are
   * left to expire, as a killed uploader's are) and drain() returns. For shutdown, before stopping its loop.
   */
  close(): void {
    this.closing.abort(new Error('uploader closed'));
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
    // Past its deadline a job is aborted (the store's request with it) and failed: its claim is given
    // up instead of renewed for as long as a request that never answers stays open.
    const deadlineMs = this.deadlineMs(job.bytes);
    const abort = new AbortController();
    const { signal } = abort;
    const deadline = setTimeout(() => {
      abort.abort(Object.assign(new Error(`upload of ${job.bytes} B not done (sent, read back and verified) within its deadline of ${Math.round(deadlineMs / 1000)} s`), { name: 'TimeoutError' }));
    }, deadlineMs);
    deadline.unref();
    const onClose = () => abort.abort(this.closing.signal.reason);
    if (this.closing.signal.aborted) onClose();
    else this.closing.signal.addEventListener('abort', onClose, { once: true });
    try {
      const file = this.deps.cachePath(job.cacheKey);
      if (multipart) await abortable(this.deps.archive.putFileMultipart(job.objectKey, file, { bytes: job.bytes, contentType: 'video/mp4', signal }), signal);
      else await abortable(this.deps.archive.putFile(job.objectKey, file, { bytes: job.bytes, sha256: job.sha256, contentType: 'video/mp4', signal }), signal);
      const back = await readBack(this.deps.archive.get(job.objectKey, { signal }), signal);
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
      if (this.closing.signal.aborted) {
        // Shutting down: the claim expires (archive.uploadClaimTtl) and the segment is taken up again.
        this.deps.log.info({ segment: job.id, objectKey: job.objectKey, error }, 'segment upload stopped: the uploader is closing');
        return false;
      }
      const retryIn = retryDelay(job.attempts, this.deps.retryMaxMs);
      await this.deps.queue.fail(job.id, this.claimer, error, retryIn).catch((e: unknown) => this.deps.log.warn({ err: e }, 'could not record an upload failure'));
      this.deps.log.warn({ segment: job.id, objectKey: job.objectKey, attempts: job.attempts, retryInMs: retryIn, error }, 'segment upload failed, will retry');
      this.deps.onResult?.({ job, ok: false, error, ms: Date.now() - t0, multipart });
      return false;
    } finally {
      clearInterval(renew);
      clearTimeout(deadline);
      this.closing.signal.removeEventListener('abort', onClose);
    }
  }
}

/**
 * `work`, or the signal's reason once it is aborted, whichever comes first: a store call that
 * ignores the signal (or never settles) cannot hold the job past its deadline.
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Reads the object back and hashes it; on abort the body is destroyed (also one that arrives late). */
async function readBack(body: Promise<Readable>, signal: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const destroy = (stream: Readable) => {
    if (signal.aborted) stream.destroy();
    else signal.addEventListener('abort', () => stream.destroy(), { once: true });
  };
  void body.then(destroy, () => undefined);
  return abortable(
    body.then((stream) => hashStream(stream)),
    signal,
  );
}

/** Resolves when one of `promises` settles, after `ms` (when given), or when `signal` aborts. */
async function waitFor(promises: Promise<unknown>[], ms: number | undefined, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const wake = new Promise<void>((resolve) => {
    if (ms !== undefined) timer = setTimeout(resolve, ms);
    if (signal.aborted) return; // closed: the uploads in flight are aborted and settle at once
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([...promises, wake]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  return `${e.name ?? 'Error'}${e.code ? ` ${e.code}` : ''}: ${e.message ?? String(err)}`.slice(0, 500);
}
