/**
 * The clip worker: claims one due clip job at a time from the durable queue (a claim that expires,
 * renewed by a heartbeat that also stores progress), cuts it with ffmpeg from the recorded files
 * (stream copy, starting at the keyframe at or before `from`), streams the MP4 to the object store
 * hashing it on the way, and completes the job. A heartbeat that finds the job no longer ours
 * (cancelled, or taken over after our claim expired) kills ffmpeg and drops the attempt. A worker
 * that dies leaves its claim to expire; another worker claims the job again (attempt + 1).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessRunner } from '@workers/ffmpeg/process';
import { cutClip, type KeyframeProbe } from './ffmpeg';
import { clipTimes, concatList, keyframeAtOrBefore, planClip } from './plan';
import type { ClipInputs, ClipJob, ClipOutcome, ClipProgress, ClipQueuePort, ClipStorage } from './ports';

export interface ClipWorkerOptions {
  queue: ClipQueuePort;
  inputs: ClipInputs;
  storage: ClipStorage;
  runner: ProcessRunner;
  ffmpegPath: string;
  keyframes: KeyframeProbe;
  /** Scratch directory on local disk for the concat list, copies of archived inputs and the MP4 before upload. */
  workDir: string;
  claimer: string;
  claimTtlMs: number;
  /** Claims of one job before it fails for good. */
  maxAttempts: number;
  objectKey(job: ClipJob): string;
  onProgress(job: ClipJob, p: ClipProgress): void;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
}

class ClipFailure extends Error {
  constructor(message: string, readonly retry: boolean) {
    super(message);
  }
}

export class ClipWorker {
  private readonly running = new Map<string, AbortController>();
  private stopped = false;

  constructor(private readonly o: ClipWorkerOptions) {}

  /** Runs due jobs one after another until none is left (or stop()); returns how many it ran. */
  async drain(): Promise<number> {
    let n = 0;
    while (!this.stopped) {
      const job = await this.o.queue.claim(this.o.claimer, this.o.claimTtlMs);
      if (!job) break;
      n++;
      if (job.attempts > this.o.maxAttempts) {
        // Its workers kept dying (claims expired): stop taking it up.
        await this.o.queue.fail(job.id, this.o.claimer, `gave up after ${job.attempts - 1} attempts`, null);
        this.o.onProgress(job, { jobId: job.id, status: 'failed', progress: 0 });
        continue;
      }
      await this.run(job);
    }
    return n;
  }

  /** Stops claiming and kills a running cut; its job is queued again at once for another worker. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.running.values()) c.abort();
    while (this.running.size) await new Promise((r) => setTimeout(r, 20));
  }

  private async run(job: ClipJob): Promise<void> {
    const ctrl = new AbortController();
    this.running.set(job.id, ctrl);
    let lost = false;
    let progress = 0;
    const report = (status: ClipProgress['status'], p: number) => this.o.onProgress(job, { jobId: job.id, status, progress: p });
    const beat = setInterval(() => {
      void this.o.queue.heartbeat(job.id, this.o.claimer, this.o.claimTtlMs, progress).then(
        (mine) => {
          if (mine) return report('running', progress);
          lost = true;
          ctrl.abort();
        },
        (err: unknown) => this.o.log.warn({ err, clip: job.id }, 'clip heartbeat failed'),
      );
    }, Math.max(50, Math.min(2_000, Math.floor(this.o.claimTtlMs / 3))));
    await mkdir(this.o.workDir, { recursive: true });
    const dir = await mkdtemp(join(this.o.workDir, 'clip-'));
    try {
      report('running', 0);
      const timings = { cutMs: 0, uploadMs: 0 };
      const outcome = await this.cut(job, dir, ctrl.signal, (p) => (progress = p), timings);
      if (ctrl.signal.aborted) throw new Error('aborted');
      const done = await this.o.queue.complete(job.id, this.o.claimer, outcome);
      if (!done) {
        lost = true;
        await this.o.storage.delete(outcome.objectKey).catch(() => undefined);
        return;
      }
      report('done', 1);
      this.o.log.info({ clip: job.id, bytes: outcome.bytes, partial: outcome.partial, ...timings }, 'clip done');
    } catch (err) {
      if (lost) {
        this.o.log.info({ clip: job.id }, 'clip job is no longer ours (cancelled or taken over); attempt dropped');
        return;
      }
      const stopping = this.stopped && ctrl.signal.aborted;
      const retry = stopping || (!(err instanceof ClipFailure && !err.retry) && job.attempts < this.o.maxAttempts);
      const message = stopping ? 'worker stopped; queued again' : (err as Error).message;
      await this.o.queue.fail(job.id, this.o.claimer, message, retry ? (stopping ? 0 : 2_000 * job.attempts) : null);
      report(retry ? 'queued' : 'failed', progress);
      this.o.log.warn({ clip: job.id, err: message, retry }, 'clip attempt failed');
    } finally {
      clearInterval(beat);
      this.running.delete(job.id);
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Plans, cuts and uploads; `timings` gets the milliseconds of the cut (planning, probe, ffmpeg) and of hash + upload. */
  private async cut(job: ClipJob, dir: string, signal: AbortSignal, setProgress: (p: number) => void, timings: { cutMs: number; uploadMs: number }): Promise<ClipOutcome> {
    const t0 = Date.now();
    const from = job.from.getTime();
    const to = job.to.getTime();
    const inputs = await this.o.inputs.open(job.cameraId, job.from, job.to, dir, signal);
    const out = join(dir, 'clip.mp4');
    let times: ReturnType<typeof clipTimes>;
    let gaps: Array<{ start: number; end: number }>;
    try {
      const plan = planClip(inputs.files, from, to);
      if (!plan.pieces.length) throw new ClipFailure('nothing is recorded for this camera in the window', false);
      gaps = plan.gaps;
      const first = plan.pieces[0]!;
      if (first.inpoint !== null) first.inpoint = keyframeAtOrBefore(await this.o.keyframes(first.file.input, first.inpoint), first.inpoint);
      times = clipTimes(plan.pieces, first.inpoint ?? 0);
      const list = join(dir, 'list.ffconcat');
      await writeFile(list, concatList(plan.pieces.map((p) => ({ input: p.file.input, inpoint: p.inpoint, outpoint: p.outpoint }))), { mode: 0o600 });
      const total = Math.max(1, times.mediaMs / 1000);
      // Cutting is 90% of the work, the upload the rest.
      await cutClip({ runner: this.o.runner, ffmpegPath: this.o.ffmpegPath, listPath: list, outPath: out, signal, onTime: (t) => setProgress(Math.min(0.9, (0.9 * t) / total)) });
    } finally {
      await inputs.close();
    }
    const objectKey = this.o.objectKey(job);
    const t1 = Date.now();
    timings.cutMs = t1 - t0;
    const { sha256, bytes } = await this.o.storage.upload(objectKey, out, signal);
    timings.uploadMs = Date.now() - t1;
    setProgress(1);
    return {
      actualFrom: new Date(times.actualFrom),
      actualTo: new Date(times.actualTo),
      partial: gaps.length > 0,
      gaps: gaps.map((g) => ({ from: new Date(g.start), to: new Date(g.end) })),
      sha256,
      bytes,
      objectKey,
    };
  }
}
