/**
 * Object storage: the S3 API only. With no endpoint configured, an embedded S3-compatible
 * server (s3rver) is started on 127.0.0.1 with its files in dataDir/s3.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { Readable } from 'node:stream';
import type { Config } from '@config/schema';

export interface ObjectStore {
  readonly bucket: string;
  readonly endpoint: string;
  put(key: string, body: Buffer | Readable | string, contentType?: string): Promise<void>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Throws when the bucket can't be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// s3rver's fixed development credentials; they guard nothing but a loopback-only embedded store.
const EMBEDDED_KEY = 'S3RVER';

export async function openObjectStore(config: Config): Promise<ObjectStore> {
  // The SDK is pinned to a release that supports Node 20; its advice to upgrade Node is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { storage } = config;
  let embedded: S3rver | undefined;
  let endpoint = storage.endpoint;
  let credentials =
    storage.accessKeyId && storage.secretAccessKey
      ? { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey }
      : undefined;
  if (!endpoint) {
    const directory = resolve(join(config.dataDir, 's3'));
    mkdirSync(directory, { recursive: true });
    embedded = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
    const addr = await embedded.run();
    endpoint = `http://127.0.0.1:${addr.port}`;
    credentials = { accessKeyId: EMBEDDED_KEY, secretAccessKey: EMBEDDED_KEY };
  }
  const client = new S3Client({ endpoint, region: storage.region, forcePathStyle: storage.forcePathStyle, credentials });
  const bucket = storage.bucket;
  // Create the bucket on first start (embedded store, or a fresh MinIO); an unreachable store is
  // not fatal here: /readyz reports it and requests that need storage fail with a clear error.
  await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: { name?: string }) => {
    if (embedded && e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
  });
  return {
    bucket,
    endpoint,
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async get(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body as Readable;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
    async close() {
      client.destroy();
      if (embedded) await embedded.close();
    },
  };
}
