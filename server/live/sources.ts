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
import { httpFlvUrl, LIVE_APP, SUB_APP, type RtmpEndpoint } from '@workers/rtmp/urls';

export interface LiveHlsSource {
  /** The playlist text, or null when the camera has no live playlist (not ingesting). */
  readPlaylist(cameraId: string): Promise<string | null>;
  /** A segment as a stream with its size, or null when it does not exist (rotated away). */
  openSegment(cameraId: string, fileName: string): Promise<{ stream: Readable; size: number } | null>;
}

/** The camera's main stream (the ingest's FLV output) or its sub stream (pulled on demand, workers/substream). */
export type FlvVariant = 'main' | 'sub';

export interface LiveFlvSource {
  /**
   * Opens the upstream HTTP-FLV response; `signal` aborts it (client left). Null: no endpoint.
   * Throws NoSubStream for 'sub' when the camera has no sub stream served here.
   */
  open(cameraId: string, signal: AbortSignal, variant?: FlvVariant): Promise<IncomingMessage | null>;
}

/** The camera's sub stream is not served (it has none, or no ingest here pulls it): a 404, not a fault. */
export class NoSubStream extends Error {
  constructor() {
    super('the camera has no sub stream here');
    this.name = 'NoSubStream';
  }
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

/**
 * HTTP-FLV from node-media-server on this machine; `endpoint` is asked per request (ports may be
 * ephemeral); `hasSub`: whether this process serves the camera's sub stream (its ingest holds it).
 */
export function localFlvSource(endpoint: () => RtmpEndpoint | null, hasSub: (cameraId: string) => boolean = () => false): LiveFlvSource {
  return {
    open(cameraId, signal, variant = 'main') {
      const ep = endpoint();
      if (!ep) return Promise.resolve(null);
      if (variant === 'sub' && !hasSub(cameraId)) return Promise.reject(new NoSubStream());
      return new Promise((resolve, reject) => {
        const req = request(httpFlvUrl(ep, cameraId, variant === 'sub' ? SUB_APP : LIVE_APP), { signal, headers: { accept: 'video/x-flv' } }, (res) => resolve(res));
        req.on('error', reject);
        req.end();
      });
    },
  };
}
