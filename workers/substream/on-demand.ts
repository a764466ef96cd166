/**
 * On-demand sub streams: one ffmpeg per camera pulling its RTSP sub stream (stream copy) into the
 * built-in media server's /sub/<cameraId>, only while someone watches it. The media server reports
 * players of /sub/<cameraId> (`joined`/`left`, MediaServer.setSubDemand); the first starts the
 * process, and `graceMs` after the last left (counted by the media server's own player list when
 * the timer fires) it is stopped. A process that dies while players wait is restarted with a
 * stepped delay. The owner calls specChanged() when the camera's spec may have changed: a process
 * whose camera is no longer ingested here (lease lost, camera deleted, suspended or disabled) is
 * stopped and its players are ended (the media server would keep them waiting), and one started
 * on an older URL or credentials is restarted on the new ones while it is watched. Credentials go
 * through the in-process RTSP auth proxy: ffmpeg's command line and URLs carry none; its stderr
 * is kept in a scrubbed ring and logged when it dies unasked.
 */
import type { Log } from '@common/log';
import { buildSubStreamArgs } from '@workers/ffmpeg/args';
import { closeChild, realTimers, type ChildHandle, type ProcessRunner, type Timers } from '@workers/ffmpeg/process';
import { StderrRing } from '@workers/ffmpeg/ring';
import type { FfmpegCapabilities } from '@workers/ffmpeg/version';
import { ffmpegEnv, hasCredentials } from '@workers/ingest/instance';
import type { SubDemand } from '@workers/rtmp/media-server';
import type { ProxyRegistration, RtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';
import { retryDelay } from '@workers/uploader/verify';

/** What a sub stream needs of its camera (from the ingest spec of a camera this process holds). */
export interface SubStreamSpec {
  rtspSubUrl: string;
  transport: 'tcp' | 'udp';
  credentials?: { username: string; password: string };
  allowBasicAuth?: boolean;
  liveVideo?: 'copy' | 'h264';
}

export interface SubStreamDeps {
  /** The camera's sub stream, or null when it has none or this process does not ingest it. */
  specOf(cameraId: string): SubStreamSpec | null;
  /** Where the process publishes (MediaServer.subOutput). */
  outputUrl(cameraId: string): string;
  /** Players of /sub/<cameraId> now (the media server's count). */
  viewers(cameraId: string): number;
  /**
   * Ends the players of /sub/<cameraId> (MediaServer.endPlayers): the camera's sub stream is no
   * longer served here, and the media server would keep them waiting for a publish that never comes.
   */
  endViewers(cameraId: string): void;
  runner: ProcessRunner;
  ffmpegPath: string;
  capabilities(): Promise<FfmpegCapabilities>;
  proxy: RtspAuthProxy;
  /** How long the process outlives its last viewer (config live.flvIdleGrace). */
  graceMs: number;
  /** How often a running process checks its camera's spec by itself (specChanged() missed). Default 5 s. */
  specCheckMs?: number;
  /** First restart delay after an unasked exit while watched, doubled per failure up to 30 s. Default 1 s. */
  restartDelayMs?: number;
  socketTimeoutMs?: number;
  closeGraceMs?: number;
  timers?: Timers;
  log: Log;
}

export interface SubStreams extends SubDemand {
  /** The running process's pid for a camera (undefined: none). */
  pid(cameraId: string): number | undefined;
  /**
   * The camera's spec may have changed or gone (specOf() answers anew): a process of a camera with
   * none now is stopped; one started on another spec is restarted on the new one while watched.
   */
  specChanged(cameraId: string): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  cameraId: string;
  wanted: boolean;
  child: ChildHandle | null;
  starting: boolean;
  failures: number;
  /** The spec the running process was started with (specKey). */
  key: string | null;
  idle: unknown;
  restart: unknown;
  specCheck: unknown;
}

const MAX_RESTART_MS = 30_000;

/** What a sub-stream process is started from: another key means another process. */
const specKey = (s: SubStreamSpec): string =>
  JSON.stringify([s.rtspSubUrl, s.transport, s.credentials?.username ?? null, s.credentials?.password ?? null, s.allowBasicAuth === true, s.liveVideo ?? 'copy']);

export function createSubStreams(d: SubStreamDeps): SubStreams {
  const timers = d.timers ?? realTimers;
  const entries = new Map<string, Entry>();
  let closed = false;

  const entryOf = (cameraId: string): Entry => {
    let e = entries.get(cameraId);
    if (!e) {
      e = { cameraId, wanted: false, child: null, starting: false, failures: 0, key: null, idle: undefined, restart: undefined, specCheck: undefined };
      entries.set(cameraId, e);
    }
    return e;
  };

  async function start(e: Entry): Promise<void> {
    if (closed || !e.wanted || e.child || e.starting) return;
    if (!d.specOf(e.cameraId)) return unserved(e, 'watched, but this process has no sub stream for the camera');
    e.starting = true;
    let registration: ProxyRegistration | null = null;
    try {
      const caps = await d.capabilities();
      if (closed || !e.wanted) return;
      // Read after the wait: the lease may have gone, or the camera's URL changed, meanwhile.
      const spec = d.specOf(e.cameraId);
      if (!spec) return unserved(e, 'the camera went while its process started');
      e.key = specKey(spec);
      let url = spec.rtspSubUrl;
      if (hasCredentials(url, spec.credentials)) {
        registration = d.proxy.register({ cameraUrl: url, credentials: spec.credentials, allowBasic: spec.allowBasicAuth === true });
        url = registration.localUrl;
      }
      const args = buildSubStreamArgs({ input: { url, transport: spec.transport, socketTimeoutMs: d.socketTimeoutMs ?? 5_000 }, outputUrl: d.outputUrl(e.cameraId), video: spec.liveVideo ?? 'copy' }, caps);
      const child = d.runner.start(d.ffmpegPath, args, ffmpegEnv());
      e.child = child;
      const ring = new StderrRing(50, 16 * 1024, spec.credentials ? [spec.credentials.password] : []);
      child.onStderr((c) => ring.push(c));
      d.log.info({ cameraId: e.cameraId, pid: child.pid }, 'sub stream: started (a viewer is watching)');
      watchSpec(e, child);
      const reg = registration;
      registration = null;
      void child.exited.then((exit) => {
        ring.end();
        reg?.unregister();
        if (e.child === child) e.child = null;
        if (closed || !e.wanted) return;
        e.failures += 1;
        const delay = retryDelay(e.failures, MAX_RESTART_MS, d.restartDelayMs ?? 1_000);
        d.log.warn({ cameraId: e.cameraId, ...exit, tail: ring.tail(10), retryInMs: delay }, 'sub stream: ffmpeg ended while watched');
        e.restart = timers.setTimeout(() => {
          if (d.viewers(e.cameraId) > 0) void start(e).catch((err: unknown) => d.log.warn({ cameraId: e.cameraId, err }, 'sub stream: restart failed'));
          else e.wanted = false;
        }, delay);
      });
    } finally {
      registration?.unregister();
      e.starting = false;
    }
  }

  /** A safety net under specChanged(): the running process checks its camera's spec now and then. */
  function watchSpec(e: Entry, child: ChildHandle): void {
    e.specCheck = timers.setTimeout(() => {
      if (closed || e.child !== child) return;
      void recheck(e)
        .catch((err: unknown) => d.log.warn({ cameraId: e.cameraId, err }, 'sub stream: spec check failed'))
        .then(() => {
          if (e.child === child) watchSpec(e, child);
        });
    }, d.specCheckMs ?? 5_000);
  }

  async function recheck(e: Entry): Promise<void> {
    if (closed) return;
    const spec = d.specOf(e.cameraId);
    // Lease lost, camera deleted, suspended or disabled: nothing of it is pulled from here, and its
    // players are let go (the API's viewers reconnect, to the new lease holder or to a refusal).
    if (!spec) {
      await stop(e, 'camera no longer ingested here');
      return unserved(e, null);
    }
    if (!e.child || e.key === specKey(spec)) return;
    await stop(e, 'camera URL or credentials changed');
    if (closed || d.viewers(e.cameraId) === 0) return;
    e.wanted = true;
    e.failures = 0;
    await start(e);
  }

  /** The camera's sub stream is not served here: its players are ended, not left waiting. */
  function unserved(e: Entry, why: string | null): void {
    e.wanted = false;
    if (why) d.log.warn({ cameraId: e.cameraId }, `sub stream: ${why}; its players are ended`);
    // After the current turn: a player that just joined is announced before the media server lists it.
    queueMicrotask(() => d.endViewers(e.cameraId));
  }

  async function stop(e: Entry, why: string): Promise<void> {
    e.wanted = false;
    timers.clearTimeout(e.idle);
    timers.clearTimeout(e.restart);
    timers.clearTimeout(e.specCheck);
    const child = e.child;
    if (!child) return;
    d.log.info({ cameraId: e.cameraId, pid: child.pid }, `sub stream: stopped (${why})`);
    await closeChild(child, d.closeGraceMs ?? 3_000, timers);
  }

  return {
    has: (cameraId) => d.specOf(cameraId) !== null,
    joined(cameraId) {
      const e = entryOf(cameraId);
      timers.clearTimeout(e.idle);
      e.wanted = true;
      e.failures = 0;
      start(e).catch((err: unknown) => d.log.warn({ cameraId, err }, 'sub stream: could not start'));
    },
    left(cameraId) {
      const e = entries.get(cameraId);
      if (!e) return;
      timers.clearTimeout(e.idle);
      e.idle = timers.setTimeout(() => {
        if (d.viewers(cameraId) > 0) return;
        void stop(e, 'nobody watching');
      }, d.graceMs);
    },
    pid: (cameraId) => entries.get(cameraId)?.child?.pid,
    async specChanged(cameraId) {
      const e = entries.get(cameraId);
      if (e) await recheck(e);
    },
    async close() {
      closed = true;
      await Promise.all([...entries.values()].map((e) => stop(e, 'shutting down')));
      entries.clear();
    },
  };
}
