/**
 * Where the API finds a camera's live media. Single machine (now): the worker's HLS files are
 * in the same dataDir, and FLV comes from this process's on-demand gate (or node-media-server's
 * HTTP-FLV on loopback). Several machines: a
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

/** An open FLV stream: an upstream HTTP-FLV response, or a viewer of this process's gate (status 200). */
export type FlvUpstream = Readable & Pick<IncomingMessage, 'statusCode'>;

export interface LiveFlvSource {
  /**
   * Opens the camera's FLV stream; `signal` aborts it (client left). Null: no endpoint.
   * Throws NoSubStream for 'sub' when the camera has no sub stream served here.
   */
  open(cameraId: string, signal: AbortSignal, variant?: FlvVariant): Promise<FlvUpstream | null>;
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

/** What localFlvSource reads from this process's media server. */
export interface LocalFlv {
  /** node-media-server's HTTP-FLV endpoint, asked per request (ports may be ephemeral). */
  endpoint(): RtmpEndpoint | null;
  /** Whether this process serves the camera's sub stream (its ingest holds it). */
  hasSub?(cameraId: string): boolean;
  /** A viewer of the main stream straight from the on-demand gate (null: not ingested here). */
  direct?(cameraId: string, signal: AbortSignal): Readable | null;
}

/**
 * FLV on this machine: the main stream straight from this process's on-demand gate when its ingest
 * writes the camera there (no node-media-server in the path, workers/rtmp/flv-fanout.ts), else
 * HTTP-FLV from node-media-server (sub streams, the always-on republish, a media server of
 * another process on this machine).
 */
export function localFlvSource(local: LocalFlv): LiveFlvSource {
  return {
    open(cameraId, signal, variant = 'main') {
      const direct = variant === 'main' ? local.direct?.(cameraId, signal) : null;
      if (direct) return Promise.resolve(Object.assign(direct, { statusCode: 200 }));
      const ep = local.endpoint();
      if (!ep) return Promise.resolve(null);
      if (variant === 'sub' && !local.hasSub?.(cameraId)) return Promise.reject(new NoSubStream());
      return new Promise((resolve, reject) => {
        const req = request(httpFlvUrl(ep, cameraId, variant === 'sub' ? SUB_APP : LIVE_APP), { signal, headers: { accept: 'video/x-flv' } }, (res) => resolve(res));
        req.on('error', reject);
        req.end();
      });
    },
  };
}
