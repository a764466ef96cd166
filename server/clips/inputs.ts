/**
 * ClipInputs over the recording index: a recorded file whose hot-cache copy is on this node's
 * disk is read by ffmpeg from there (a path); an archived one from S3, through a loopback HTTP
 * server that this job alone opens (127.0.0.1, a random path per job, HTTP Range answered with
 * ranged GetObject), so ffmpeg never sees credentials or a signed URL and nothing is downloaded
 * whole. A file in neither place (cached on another worker, not archived yet) is left out: the
 * clip shows it as a gap.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { RecordingsRepository } from '@server/recordings/repository';
import type { ObjectStore } from '@server/storage/object-store';
import type { ClipInputs, RecordedInput } from '@workers/clipper/ports';
import type { IngestStore } from '@workers/store/paths';

export interface InputDeps {
  recordings: Pick<RecordingsRepository, 'listSegments'>;
  store: Pick<IngestStore, 'nodeId' | 'cachePath'>;
  objects: Pick<ObjectStore, 'getRange'>;
}

interface Archived {
  key: string;
  bytes: number;
}

/** Parses `bytes=a-b` / `bytes=a-` / `bytes=-n` against a size; null when absent or unsatisfiable. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return 'bad';
  let start: number;
  let end: number;
  if (!m[1]) {
    start = Math.max(0, size - Number(m[2]));
    end = size;
  } else {
    start = Number(m[1]);
    end = m[2] ? Math.min(size, Number(m[2]) + 1) : size;
  }
  return start < size && start < end ? { start, end } : 'bad';
}

async function serveArchive(objects: Pick<ObjectStore, 'getRange'>, files: Map<string, Archived>): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const f = files.get(req.url ?? '');
    if (!f || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    const r = byteRange(req.headers.range, f.bytes);
    if (r === 'bad') {
      res.writeHead(416, { 'Content-Range': `bytes */${f.bytes}` }).end();
      return;
    }
    const { start, end } = r ?? { start: 0, end: f.bytes };
    const headers = { 'Accept-Ranges': 'bytes', 'Content-Type': 'video/mp4', 'Content-Length': String(end - start) };
    if (r) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end - 1}/${f.bytes}` });
    else res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    void objects.getRange(f.key, start, end).then(
      (body) => pipeline(body, res).catch(() => undefined),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export function recordedInputs(deps: InputDeps): ClipInputs {
  return {
    async open(cameraId, from, to) {
      const segments = await deps.recordings.listSegments(cameraId, from, to);
      const node = await deps.store.nodeId();
      const token = randomBytes(16).toString('hex');
      const archived = new Map<string, Archived>();
      const files: RecordedInput[] = [];
      for (const s of segments) {
        const span = { start: s.start.getTime(), end: s.end.getTime() };
        if (s.cacheKey && s.cacheNode === node) {
          const file = deps.store.cachePath(s.cacheKey);
          if ((await stat(file).catch(() => null))?.isFile()) {
            files.push({ ...span, input: file });
            continue;
          }
        }
        if (s.state === 'archived') {
          const path = `/${token}/${s.id}.mp4`;
          archived.set(path, { key: s.objectKey, bytes: s.bytes });
          files.push({ ...span, input: path });
        }
      }
      if (!archived.size) return { files, close: async () => undefined };
      const server = await serveArchive(deps.objects, archived);
      return { files: files.map((f) => (f.input.startsWith('/') && archived.has(f.input) ? { ...f, input: server.base + f.input } : f)), close: server.close };
    },
  };
}
