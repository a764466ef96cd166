/**
 * Live media wherever the camera is ingested. The lease table says which worker holds a camera
 * (camera_leases -> ingest_workers.base_url). When that is this process (or nobody), the local
 * sources answer; otherwise the request is proxied to that worker's token-protected media routes
 * with a fresh internal playback token, so the browser never learns where the worker runs.
 */
import { request, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { LiveFlvSource, LiveHlsSource } from './sources';

/**
 * No worker serves this camera's live media right now: no live lease and nothing local, or the
 * holder does not answer (it died; its lease has not expired yet). A moment's state, not a fault:
 * the routes answer 503 with Retry-After, and nothing is logged as an error.
 */
export class NoLiveHolder extends Error {
  constructor(readonly why: 'none' | 'unreachable') {
    super(why === 'none' ? 'no worker holds the camera' : 'the worker holding the camera does not answer');
    this.name = 'NoLiveHolder';
  }
}

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
  const cache = new Map<string, { at: number; url: string | null; held: boolean }>();

  /** Where the camera's media is: `url` when ingested elsewhere, else null (serve locally); `held`: some worker holds it. */
  async function locate(cameraId: string): Promise<{ url: string | null; held: boolean }> {
    const hit = cache.get(cameraId);
    if (hit && now() - hit.at < cacheMs) return hit;
    const holder = await d.holderOf(cameraId);
    const url = holder && holder.baseUrl && !d.isLocal(holder.workerId) ? holder.baseUrl.replace(/\/+$/, '') : null;
    if (cache.size > 10_000) cache.clear();
    const entry = { at: now(), url, held: holder !== null };
    cache.set(cameraId, entry);
    return entry;
  }
  const remote = async (cameraId: string) => (await locate(cameraId)).url;

  /** A request to the holder; a holder that does not answer (or fails) is NoLiveHolder, and is looked up again next time. */
  async function fromHolder(cameraId: string, url: string, timeoutMs: number): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      cache.delete(cameraId);
      throw new NoLiveHolder('unreachable');
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      cache.delete(cameraId);
      throw new NoLiveHolder('unreachable');
    }
    return res;
  }

  /** Local media when there is no remote holder; with no holder at all and nothing local, NoLiveHolder. */
  async function local<T>(cameraId: string, read: () => Promise<T | null>): Promise<T | null> {
    const found = await read();
    if (found === null && !(await locate(cameraId)).held) throw new NoLiveHolder('none');
    return found;
  }

  const mediaUrl = (base: string, cameraId: string, file: string) =>
    `${base}/api/v1/live/${encodeURIComponent(cameraId)}${file}?token=${encodeURIComponent(d.sign(cameraId))}`;

  return {
    hls: {
      async readPlaylist(cameraId) {
        const base = await remote(cameraId);
        if (!base) return local(cameraId, () => d.local.hls.readPlaylist(cameraId));
        const res = await fromHolder(cameraId, mediaUrl(base, cameraId, '/index.m3u8'), 5000);
        if (res.status === 404) return null;
        if (!res.ok) throw new Error(`worker answered ${res.status} for the live playlist`);
        return res.text();
      },
      async openSegment(cameraId, fileName) {
        const base = await remote(cameraId);
        if (!base) return d.local.hls.openSegment(cameraId, fileName);
        const res = await fromHolder(cameraId, mediaUrl(base, cameraId, `/${fileName}`), 10_000);
        if (res.status === 404 || !res.body) return null;
        if (!res.ok) throw new Error(`worker answered ${res.status} for a live segment`);
        return { stream: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), size: Number(res.headers.get('content-length') ?? 0) };
      },
    },
    flv: {
      async open(cameraId, signal, variant = 'main') {
        const base = await remote(cameraId);
        if (!base) return d.local.flv.open(cameraId, signal, variant);
        return new Promise<IncomingMessage>((resolve, reject) => {
          const req = request(mediaUrl(base, cameraId, variant === 'sub' ? '/sub.flv' : '.flv'), { signal, headers: { accept: 'video/x-flv' } }, resolve);
          req.on('error', (err) => {
            cache.delete(cameraId);
            reject(err);
          });
          req.end();
        });
      },
    },
  };
}
