/**
 * Where a recorded segment's bytes come from: `open` gives its size and ranged, streaming reads
 * (never a whole object in memory). The hot cache copy when it is on this node's disk, else the
 * archived S3 object read with HTTP Range (GetObject, Range: bytes=a-b).
 */
import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Database } from '@server/db/database';
import type { ObjectStore } from '@server/storage/object-store';
import { RecordingsRepository } from '@server/recordings/repository';
import type { IngestStore } from '@workers/store/paths';
import { initLength } from './playlist';

export interface SegmentSource {
  size: number;
  /** Bytes [start, end) as a stream. */
  read(start: number, end: number): Promise<Readable>;
  /** The first `n` bytes (small reads: box headers). */
  head(n: number): Promise<Buffer>;
  /** 'cache' or 's3', for logs and tests. */
  from: 'cache' | 's3';
}

export interface SegmentReader {
  open(cameraId: string, start: Date): Promise<SegmentSource | null>;
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

function fileSource(file: string, size: number): SegmentSource {
  return {
    size,
    from: 'cache',
    read: async (a, b) => createReadStream(file, { start: a, end: Math.max(a, b - 1) }),
    async head(n) {
      const fh = await openFile(file, 'r');
      try {
        const buf = Buffer.alloc(Math.min(n, size));
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
  };
}

function objectSource(objects: Pick<ObjectStore, 'getRange'>, key: string, size: number): SegmentSource {
  return {
    size,
    from: 's3',
    read: (a, b) => objects.getRange(key, a, b),
    head: async (n) => collect(await objects.getRange(key, 0, Math.min(n, size))),
  };
}

export function archiveReader(database: Database, store: Pick<IngestStore, 'nodeId' | 'cachePath'>, objects: Pick<ObjectStore, 'getRange'>): SegmentReader {
  const repo = new RecordingsRepository(database);
  return {
    async open(cameraId, start) {
      const rows = await repo.listSegments(cameraId, start, new Date(start.getTime() + 1));
      const row = rows.find((r) => r.start.getTime() === start.getTime());
      if (!row) return null;
      if (row.cacheKey && row.cacheNode === (await store.nodeId())) {
        const file = store.cachePath(row.cacheKey);
        const st = await stat(file).catch(() => null);
        if (st?.isFile()) return fileSource(file, st.size);
      }
      if (row.state === 'archived') return objectSource(objects, row.objectKey, row.bytes);
      return null;
    },
  };
}

/** Offset where the segment's init section ends, reading box headers 64 KiB at a time (at most 4 MiB). */
export async function findInitLength(src: SegmentSource): Promise<number> {
  for (let n = 64 * 1024; ; n *= 4) {
    const head = await src.head(n);
    const len = initLength(head);
    if (len !== null) return len;
    if (head.length < n || n >= 4 * 1024 * 1024) throw new Error('no media fragment found in the recorded segment');
  }
}
