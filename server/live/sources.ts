/**
 * Where the API finds a camera's live media. Single machine (now): the worker's HLS files are
 * in the same dataDir and node-media-server's HTTP-FLV is on loopback. Several machines: a
 * lease-based implementation of the same interfaces asks camera_leases -> ingest_workers.base_url
 * and proxies there (see README.md); routes never know which one they use.
 */
import { createReadStream } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { IngestStore } from '@workers/store/paths';
import { httpFlvUrl, type RtmpEndpoint } from '@workers/rtmp/urls';

export interface LiveHlsSource {
  /** The playlist text, or null when the camera has no live playlist (not ingesting). */
  readPlaylist(cameraId: string): Promise<string | null>;
  /** A segment as a stream with its size, or null when it does not exist (rotated away). */
  openSegment(cameraId: string, fileName: string): Promise<{ stream: Readable; size: number } | null>;
}

export interface LiveFlvSource {
  /** Opens the upstream HTTP-FLV response; `signal` aborts it (client left). Null: no endpoint. */
  open(cameraId: string, signal: AbortSignal): Promise<IncomingMessage | null>;
}

const missing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');

/** HLS from the local live directory (workers/store owns the layout; fileName is pre-validated). */
export function localHlsSource(store: IngestStore): LiveHlsSource {
  return {
    async readPlaylist(cameraId) {
      try {
        return await readFile(store.livePlaylist(cameraId), 'utf8');
      } catch (e) {
        if (missing(e)) return null;
        throw e;
      }
    },
    async openSegment(cameraId, fileName) {
      const file = join(store.liveDir(cameraId), fileName);
      try {
        const st = await stat(file);
        if (!st.isFile()) return null;
        return { stream: createReadStream(file), size: st.size };
      } catch (e) {
        if (missing(e)) return null;
        throw e;
      }
    },
  };
}

/** HTTP-FLV from node-media-server on this machine; `endpoint` is asked per request (ports may be ephemeral). */
export function localFlvSource(endpoint: () => RtmpEndpoint | null): LiveFlvSource {
  return {
    open(cameraId, signal) {
      const ep = endpoint();
      if (!ep) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        const req = request(httpFlvUrl(ep, cameraId), { signal, headers: { accept: 'video/x-flv' } }, (res) => resolve(res));
        req.on('error', reject);
        req.end();
      });
    },
  };
}
