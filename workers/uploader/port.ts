/**
 * The uploader's ports. The queue is the segment index itself (server/recordings/queue.ts); the
 * archive is the S3 store (server/storage). Both sit behind these interfaces so the uploader
 * never imports the app.
 */
import type { Readable } from 'node:stream';

export interface UploadJob {
  id: number;
  cameraId: string;
  cacheKey: string;
  objectKey: string;
  sha256: string;
  bytes: number;
  /** Attempts so far, this one included. */
  attempts: number;
}

export interface UploadQueuePort {
  /** Claims up to `limit` due segments cached on `node` for `claimer` until `ttlMs` from now. */
  claim(node: string, claimer: string, limit: number, ttlMs: number): Promise<UploadJob[]>;
  /** Extends a claim still held; false when it was lost (expired and taken, or the row changed). */
  renew(id: number, claimer: string, ttlMs: number): Promise<boolean>;
  /** Read back and verified: the segment is archived (only while the claim is still held). */
  complete(id: number, claimer: string): Promise<boolean>;
  /** Try again after `retryInMs`, keeping the error for operators. */
  fail(id: number, claimer: string, error: string, retryInMs: number): Promise<void>;
}

/**
 * The signals abort a request (the uploader's deadline, or its close); the uploader stops waiting
 * on an aborted call whether or not it settles.
 */
export interface ArchivePort {
  /** One PUT with the file's SHA-256 as the object checksum (the store refuses a body that differs). */
  putFile(key: string, file: string, o: { bytes: number; sha256: string; contentType?: string; signal?: AbortSignal }): Promise<void>;
  /** A multipart upload, each part with its own SHA-256; the whole object is verified only by reading it back. */
  putFileMultipart(key: string, file: string, o: { bytes: number; contentType?: string; signal?: AbortSignal }): Promise<void>;
  get(key: string, o?: { signal?: AbortSignal }): Promise<Readable>;
}
