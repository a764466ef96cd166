/**
 * One live player on a <video>: FLV over a WebSocket through mpegts.js (low latency) or HLS through hls.js
 * (native HLS where MSE is missing, e.g. iOS). Libraries load on first use.
 *
 * CSP (default-src 'self'; media-src 'self' blob:; worker-src 'self' blob:): mpegts.js runs
 * without its inline worker (enableWorker off, nothing built from source strings); hls.js's ESM
 * build has no inline worker either, so its transmuxer worker is loaded from a same-origin file.
 */
import hlsWorkerUrl from 'hls.js/dist/hls.worker.js?url';
import { renewLiveStream, type LiveUrls } from '@web/api/live';
import type { PlayMode } from './layout';
import { tokenOf, withToken } from './timing';
import { newStreamId } from './renewal';

export interface PlayerHandle {
  /** True when the player needs fresh tokens before expiry (HLS: every request; FLV: renews its open stream). */
  readonly needsRefresh: boolean;
  /** Takes fresh URLs in place; false when it cannot (the caller re-creates the player); rejects when renewal failed. */
  refresh(urls: LiveUrls): Promise<boolean>;
  destroy(): void;
}

export interface PlayerEvents {
  onError(reason: string): void;
}

const absolute = (url: string) => new URL(url, window.location.href).href;

function startPlayback(video: HTMLVideoElement): void {
  video.muted = true;
  void video.play()?.catch(() => undefined);
}

/**
 * The FLV URL as a WebSocket URL with the stream id: the server serves the same path over a
 * WebSocket (server/live/ws-flv.ts), so a wall of many tiles is not held to HTTP/1.1's six
 * connections per host (which also stalled API calls behind the open streams).
 */
export function flvSocketUrl(flv: string, streamId: string): URL {
  const url = new URL(absolute(flv));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('stream', streamId);
  return url;
}

async function flvPlayer(video: HTMLVideoElement, urls: LiveUrls, ev: PlayerEvents): Promise<PlayerHandle> {
  const { default: mpegts } = await import('mpegts.js');
  if (!mpegts.isSupported() || !mpegts.getFeatureList().mseLivePlayback) throw new Error('unsupported');
  mpegts.LoggingControl.enableAll = false;
  // The server closes an FLV stream at its token's expiry unless it is renewed: the stream id
  // (not a secret: renewal needs a fresh token of the same sign-in) names it for renewal.
  const streamId = newStreamId();
  const url = flvSocketUrl(urls.flv, streamId);
  const player = mpegts.createPlayer(
    // Tiles are muted, and the FLV header often claims audio that never comes (node-media-server
    // sets the flag): waiting for it would hold the first frame forever, so take video only.
    { type: 'flv', isLive: true, hasAudio: false, hasVideo: true, url: url.href },
    {
      enableWorker: false,
      enableWorkerForMSE: false,
      enableStashBuffer: false,
      lazyLoad: false,
      autoCleanupSourceBuffer: true,
      liveBufferLatencyChasing: true,
      liveBufferLatencyMaxLatency: 2,
      liveBufferLatencyMinRemain: 0.3,
    },
  );
  const onError = (type: unknown, detail: unknown) => ev.onError(`flv ${String(type)}: ${String(detail)}`);
  player.on(mpegts.Events.ERROR, onError);
  player.on(mpegts.Events.LOADING_COMPLETE, () => ev.onError('flv: stream ended'));
  player.attachMediaElement(video);
  player.load();
  video.muted = true;
  void Promise.resolve(player.play()).catch(() => undefined);
  return {
    needsRefresh: true,
    async refresh(fresh) {
      const token = tokenOf(fresh.flv);
      if (!token) return false;
      await renewLiveStream(streamId, token);
      return true;
    },
    destroy() {
      player.off(mpegts.Events.ERROR, onError);
      try {
        player.pause();
        player.unload();
        player.detachMediaElement();
      } finally {
        player.destroy();
      }
    },
  };
}

async function hlsPlayer(video: HTMLVideoElement, urls: LiveUrls, ev: PlayerEvents): Promise<PlayerHandle> {
  const { default: Hls } = await import('hls.js/light');
  if (!Hls.isSupported()) return nativeHls(video, urls, ev);
  // Every playlist and segment request carries the newest token (the server rewrites playlists
  // with the token it was fetched with; replace it on the way out).
  let token = tokenOf(urls.hls);
  const hls = new Hls({
    workerPath: hlsWorkerUrl,
    enableWorker: true,
    lowLatencyMode: false,
    liveSyncDurationCount: 2,
    backBufferLength: 10,
    manifestLoadingMaxRetry: 2,
    levelLoadingMaxRetry: 2,
    fragLoadingMaxRetry: 2,
    xhrSetup(xhr, url) {
      xhr.open('GET', withToken(url, token), true);
    },
  });
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (data.fatal) ev.onError(`hls ${data.type}: ${data.details}`);
  });
  hls.loadSource(absolute(urls.hls));
  hls.attachMedia(video);
  startPlayback(video);
  return {
    needsRefresh: true,
    refresh(fresh) {
      token = tokenOf(fresh.hls) ?? token;
      return Promise.resolve(true);
    },
    destroy() {
      hls.destroy();
      video.removeAttribute('src');
      video.load();
    },
  };
}

function nativeHls(video: HTMLVideoElement, urls: LiveUrls, ev: PlayerEvents): PlayerHandle {
  if (!video.canPlayType('application/vnd.apple.mpegurl')) throw new Error('unsupported');
  const onError = () => ev.onError(`native hls: ${video.error?.message || video.error?.code || 'error'}`);
  video.addEventListener('error', onError);
  video.src = urls.hls;
  startPlayback(video);
  return {
    needsRefresh: true,
    // The browser owns the requests: a fresh token means a fresh start.
    refresh: () => Promise.resolve(false),
    destroy() {
      video.removeEventListener('error', onError);
      video.removeAttribute('src');
      video.load();
    },
  };
}

export function createPlayer(mode: PlayMode, video: HTMLVideoElement, urls: LiveUrls, ev: PlayerEvents): Promise<PlayerHandle> {
  return mode === 'flv' ? flvPlayer(video, urls, ev) : hlsPlayer(video, urls, ev);
}
