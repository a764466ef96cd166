/**
 * Object storage: the S3 API only. With no endpoint configured, an embedded S3-compatible
 * server (s3rver, in a worker thread: embedded-s3.ts) is started on 127.0.0.1 with its files in dataDir/s3.
 * No request waits forever on a store that stopped answering (S3_TIMEOUTS): a connection must be
 * made within 10 s; writes (PUTs, multipart, deletes, pings) fail after 60 s with no byte moving
 * on their socket; reads (GET) fail when no response has come within 60 s, but their bodies then
 * stream at the reader's pace with no idle limit (a paused player or a slow download is not a stalled store).
 */
import { createReadStream } from 'node:fs';
import {
  ChecksumAlgorithm,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { Config } from '@config/schema';
import { EMBEDDED_KEY, embeddedDirectory, startEmbeddedS3, type EmbeddedS3 } from './embedded-s3';

export interface ObjectStore {
  readonly bucket: string;
  readonly endpoint: string;
  put(key: string, body: Buffer | Readable | string, contentType?: string): Promise<void>;
  /**
   * Sends a local file with its SHA-256 (hex, computed earlier) as the object's checksum
   * (x-amz-checksum-sha256): a store that verifies checksums refuses a body that differs.
   */
  putFile(key: string, file: string, o: { bytes: number; sha256: string; contentType?: string; signal?: AbortSignal }): Promise<void>;
  /**
   * Sends a local file as a multipart upload: parts of `archive.multipartPartSize` (larger when the
   * file would need more than 10,000), each with its own SHA-256 checksum that the store verifies.
   * S3 has no full-object SHA-256 for multipart objects (only a checksum of the parts' checksums),
   * so the caller verifies the whole object by reading it back (the uploader does).
   */
  putFileMultipart(key: string, file: string, o: { bytes: number; contentType?: string; signal?: AbortSignal }): Promise<void>;
  /**
   * Streams a body of unknown length as a multipart upload (parts of `archive.multipartPartSize`, a few in flight; never
   * the whole body in memory); the signal aborts it (the parts sent are discarded).
   */
  upload(key: string, body: Readable, o?: { contentType?: string; signal?: AbortSignal }): Promise<void>;
  /** The signal aborts the request (and the body's stream, once it has come). */
  get(key: string, o?: { signal?: AbortSignal }): Promise<Readable>;
  /** Bytes [start, end) of an object (HTTP Range), streamed. */
  getRange(key: string, start: number, end: number): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Throws when the bucket can't be reached. */
  ping(): Promise<void>;
  /** Idle memory of the embedded server goes back to the system (its thread's heap); a configured endpoint: nothing. */
  reduceMemory(): void;
  close(): Promise<void>;
}

/** The S3 clients' timeouts in ms (@smithy/node-http-handler options; its default is none at all). */
export interface S3Timeouts {
  /** TCP (and TLS) connect. */
  connectionTimeout: number;
  /** Writes: the longest a socket may sit idle, no byte sent or received. */
  socketTimeout: number;
  /** Reads: request sent to response headers (the body is not bounded: it streams at the reader's pace). */
  requestTimeout: number;
}

export const S3_TIMEOUTS: Readonly<S3Timeouts> = { connectionTimeout: 10_000, socketTimeout: 60_000, requestTimeout: 60_000 };

/** S3's most parts in one multipart upload. */
const MAX_PARTS = 10_000;

/** Runs a multipart upload to its end; the signal aborts it (the parts sent are discarded). */
async function multipart(up: Upload, signal?: AbortSignal): Promise<void> {
  const abort = () => void up.abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await up.done();
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/** `timeouts` replaces S3_TIMEOUTS' values (tests). */
export async function openObjectStore(config: Config, opts: { timeouts?: Partial<S3Timeouts> } = {}): Promise<ObjectStore> {
  // The SDK is pinned to a release that supports Node 20; its advice to upgrade Node is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { storage } = config;
  let embedded: EmbeddedS3 | undefined;
  let endpoint = storage.endpoint;
  let credentials =
    storage.accessKeyId && storage.secretAccessKey
      ? { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey }
      : undefined;
  if (!endpoint) {
    embedded = await startEmbeddedS3(embeddedDirectory(config));
    endpoint = embedded.endpoint;
    credentials = { accessKeyId: EMBEDDED_KEY, secretAccessKey: EMBEDDED_KEY };
  }
  const base = { endpoint, region: storage.region, forcePathStyle: storage.forcePathStyle, credentials };
  const { connectionTimeout, socketTimeout, requestTimeout } = { ...S3_TIMEOUTS, ...opts.timeouts };
  // Two clients, one timeout each: an idle limit would also cut a GET whose reader is paused.
  const reader = new S3Client({ ...base, requestHandler: { connectionTimeout, requestTimeout, throwOnRequestTimeout: true } });
  const writer = new S3Client({ ...base, requestHandler: { connectionTimeout, socketTimeout } });
  const bucket = storage.bucket;
  // Create the bucket on first start (embedded store, or a fresh MinIO); an unreachable store is
  // not fatal here: /readyz reports it and requests that need storage fail with a clear error.
  await writer.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: { name?: string }) => {
    if (embedded && e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
  });
  return {
    bucket,
    endpoint,
    async put(key, body, contentType) {
      await writer.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async putFile(key, file, o) {
      await writer.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          // 1 MiB reads: a 150 MB PUT into the embedded store in ~0.9 s and 1.1 s of CPU, against
          // ~1.3 s and 1.8 s in the stream's default 64 KiB chunks.
          Body: createReadStream(file, { highWaterMark: 1 << 20 }),
          ContentLength: o.bytes,
          ContentType: o.contentType,
          ChecksumSHA256: Buffer.from(o.sha256, 'hex').toString('base64'),
        }),
        { abortSignal: o.signal },
      );
    },
    async putFileMultipart(key, file, o) {
      const partSize = Math.max(config.archive.multipartPartSize, Math.ceil(o.bytes / MAX_PARTS));
      // ChecksumAlgorithm SHA256: the SDK sends x-amz-checksum-sha256 with every part.
      const params = { Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: o.bytes, ContentType: o.contentType, ChecksumAlgorithm: ChecksumAlgorithm.SHA256 };
      await multipart(new Upload({ client: writer, params, partSize, queueSize: 2, leavePartsOnError: false }), o.signal);
    },
    async upload(key, body, o = {}) {
      const partSize = config.archive.multipartPartSize;
      await multipart(new Upload({ client: writer, params: { Bucket: bucket, Key: key, Body: body, ContentType: o.contentType }, partSize, queueSize: 3, leavePartsOnError: false }), o.signal);
    },
    async get(key, o = {}) {
      const out = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: o.signal });
      return out.Body as Readable;
    },
    async getRange(key, start, end) {
      const out = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${Math.max(start, end - 1)}` }));
      return out.Body as Readable;
    },
    async delete(key) {
      await writer.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async ping() {
      await writer.send(new HeadBucketCommand({ Bucket: bucket }));
    },
    reduceMemory: () => embedded?.reduceHeap(),
    async close() {
      reader.destroy();
      writer.destroy();
      if (embedded) await embedded.close();
    },
  };
}
