/**
 * Live media wherever the camera is ingested. The lease table says which worker holds a camera
 * (camera_leases -> ingest_workers.base_url). When that is this process (or nobody), the local
 * sources answer; otherwise the request is proxied to that worker's token-protected media routes
 * with a fresh internal playback token, so the browser never learns where the worker runs.
 */
import { request, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { LiveFlvSource, LiveHlsSource } from './sources';

export interface LeaseHolder {
  workerId: string;
  baseUrl: string | null;
}

export interface RoutingDeps {
  local: { hls: LiveHlsSource; flv: LiveFlvSource };
  holderOf(cameraId: string): Promise<LeaseHolder | null>;
  /** True for worker ids of ingest runtimes in this process. */
  isLocal(workerId: string): boolean;
  /** A short-lived playback token for the worker to verify (same secret on every process). */
  sign(cameraId: string): string;
  /** How long a lookup is reused (a playlist poll and its segments need one query). */
  cacheMs?: number;
  now?: () => number;
}

export function routedSources(d: RoutingDeps): { hls: LiveHlsSource; flv: LiveFlvSource } {
  const cacheMs = d.cacheMs ?? 2000;
  const now = d.now ?? Date.now;
  const cache = new Map<string, { at: number; url: string | null }>();

  /** The worker's base URL when the camera is ingested elsewhere, else null (serve locally). */
  async function remote(cameraId: string): Promise<string | null> {
    const hit = cache.get(cameraId);
    if (hit && now() - hit.at < cacheMs) return hit.url;
    const holder = await d.holderOf(cameraId);
    const url = holder && holder.baseUrl && !d.isLocal(holder.workerId) ? holder.baseUrl.replace(/\/+$/, '') : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(cameraId, { at: now(), url });
    return url;
  }

  const mediaUrl = (base: string, cameraId: string, file: string) =>
    `${base}/api/v1/live/${encodeURIComponent(cameraId)}${file}?token=${encodeURIComponent(d.sign(cameraId))}`;

  return {
    hls: {
      async readPlaylist(cameraId) {
        const base = await remote(cameraId);
        if (!base) return d.local.hls.readPlaylist(cameraId);
        const res = await fetch(mediaUrl(base, cameraId, '/index.m3u8'), { signal: AbortSignal.timeout(5000) });
        if (res.status === 404) return null;
        if (!res.ok) throw new Error(`worker answered ${res.status} for the live playlist`);
        return res.text();
      },
      async openSegment(cameraId, fileName) {
        const base = await remote(cameraId);
        if (!base) return d.local.hls.openSegment(cameraId, fileName);
        const res = await fetch(mediaUrl(base, cameraId, `/${fileName}`), { signal: AbortSignal.timeout(10_000) });
        if (res.status === 404 || !res.body) return null;
        if (!res.ok) throw new Error(`worker answered ${res.status} for a live segment`);
        return { stream: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), size: Number(res.headers.get('content-length') ?? 0) };
      },
    },
    flv: {
      async open(cameraId, signal) {
        const base = await remote(cameraId);
        if (!base) return d.local.flv.open(cameraId, signal);
        return new Promise<IncomingMessage>((resolve, reject) => {
          const req = request(mediaUrl(base, cameraId, '.flv'), { signal, headers: { accept: 'video/x-flv' } }, resolve);
          req.on('error', reject);
          req.end();
        });
      },
    },
  };
}
