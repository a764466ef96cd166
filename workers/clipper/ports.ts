/**
 * What the clip worker needs from the app (implemented in server/clips): the durable job queue,
 * the recorded files of a camera as ffmpeg inputs, and the object store the finished MP4 goes to.
 */
import type { Span } from './plan';

export interface ClipJob {
  id: string;
  incidentId: string;
  cameraId: string;
  /** Who asked for it (progress goes to them). */
  requestedBy: string | null;
  from: Date;
  to: Date;
  /** Claims so far, this one included. */
  attempts: number;
}

export interface ClipOutcome {
  actualFrom: Date;
  actualTo: Date;
  partial: boolean;
  gaps: Array<{ from: Date; to: Date }>;
  sha256: string;
  bytes: number;
  objectKey: string;
}

export interface ClipQueuePort {
  /** One due job (queued, or running under an expired claim), now claimed by `claimer` for ttlMs; null when none. */
  claim(claimer: string, ttlMs: number): Promise<ClipJob | null>;
  /** Extends the claim and stores progress (0..1); false when the job is no longer this claimer's (cancelled, taken over). */
  heartbeat(id: string, claimer: string, ttlMs: number, progress: number): Promise<boolean>;
  /** done, with the outcome; false when the claim was lost meanwhile. */
  complete(id: string, claimer: string, outcome: ClipOutcome): Promise<boolean>;
  /** failed for good (retryInMs null), or queued again after retryInMs. */
  fail(id: string, claimer: string, error: string, retryInMs: number | null): Promise<void>;
}

/** One recorded file of the camera, as ffmpeg opens it: a local path (hot cache) or a loopback URL (archive). */
export interface RecordedInput extends Span {
  input: string;
}

export interface ClipInputs {
  /**
   * The camera's recorded files overlapping [from, to), by start; close() when ffmpeg is done with
   * them. `scratchDir` (the job's, removed after it) may hold local copies of archived files;
   * `signal` (the job cancelled or lost) stops fetching them.
   */
  open(cameraId: string, from: Date, to: Date, scratchDir: string, signal?: AbortSignal): Promise<{ files: RecordedInput[]; close(): Promise<void> }>;
}

export interface ClipStorage {
  /** Streams the file to the object store (multipart), hashing it on the way; never the whole file in memory. */
  upload(key: string, file: string, signal: AbortSignal): Promise<{ sha256: string; bytes: number }>;
  delete(key: string): Promise<void>;
}

export interface ClipProgress {
  jobId: string;
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'queued';
  progress: number;
}
