/**
 * One ingest attempt: one ffmpeg process for one camera, with start() and an awaitable close().
 * Credentials go to the RTSP auth proxy, never onto the command line; stderr is kept in a
 * scrubbed ring for classification and crash dumps.
 */
import { buildIngestArgs } from '@workers/ffmpeg/args';
import { closeChild, type ChildHandle, type ExitInfo, type ProcessRunner, type Timers } from '@workers/ffmpeg/process';
import { StderrRing } from '@workers/ffmpeg/ring';
import { ffmpeg5, type FfmpegCapabilities } from '@workers/ffmpeg/version';
import type { RtspAuthProxy, ProxyRegistration } from '@workers/rtsp-auth-proxy/proxy';
import type { IngestStore } from '@workers/store/paths';
import { STATUS_CAUSES, type StatusCause } from '@common/causes';
import type { IngestCameraSpec } from './spec';

/** Something worth a line in the status history that does not change the status. */
export interface InstanceNotice {
  cause: StatusCause;
  detail: string;
}

export interface InstanceExit extends ExitInfo {
  /** Scrubbed last stderr lines. */
  tail: string[];
  /** True when close() asked for it. */
  requested: boolean;
}

export interface IngestInstance {
  readonly runId: string;
  readonly pid: number | undefined;
  start(): Promise<void>;
  /** Resolves when the process ends, for whatever reason. */
  readonly exited: Promise<InstanceExit>;
  close(): Promise<InstanceExit>;
  stderrTail(): string[];
  /** Optional: notices during the attempt (e.g. the camera's clock jumped backwards). */
  onNotice?(cb: (n: InstanceNotice) => void): void;
}

export interface InstanceDeps {
  runner: ProcessRunner;
  ffmpegPath: string;
  capabilities: () => Promise<FfmpegCapabilities>;
  store: IngestStore;
  proxy?: RtspAuthProxy;
  timers?: Timers;
  hls: { segmentSeconds: number; listSize: number };
  socketTimeoutMs?: number;
  closeGraceMs?: number;
}

export type InstanceFactory = (spec: IngestCameraSpec, runId: string) => IngestInstance;

/** Minimal environment for ffmpeg: no inherited secrets, UTC for strftime segment names. */
export function ffmpegEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { PATH: base.PATH ?? '/usr/bin:/bin', TZ: 'UTC', LC_ALL: 'C' };
}

/** Whether pulling `url` needs credentials (stored ones, or userinfo in the URL): then it goes through the RTSP auth proxy. */
export function hasCredentials(url: string, credentials: unknown): boolean {
  return credentials !== undefined || /^rtsp:\/\/[^/]*@/i.test(url);
}

export function createInstanceFactory(deps: InstanceDeps): InstanceFactory {
  return (spec, runId) => new FfmpegInstance(spec, runId, deps);
}

class FfmpegInstance implements IngestInstance {
  readonly exited: Promise<InstanceExit>;
  private resolveExit!: (e: InstanceExit) => void;
  private child: ChildHandle | null = null;
  private registration: ProxyRegistration | null = null;
  private readonly ring: StderrRing;
  private closing = false;
  private readonly noticeListeners: Array<(n: InstanceNotice) => void> = [];

  constructor(
    private readonly spec: IngestCameraSpec,
    readonly runId: string,
    private readonly deps: InstanceDeps,
  ) {
    const secrets = spec.credentials ? [spec.credentials.password] : [];
    this.ring = new StderrRing(200, 64 * 1024, secrets);
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const { spec, deps } = this;
    const caps = await deps.capabilities();
    await deps.store.ensureCameraDirs(spec.id);
    await deps.store.pruneLiveSegments(spec.id, this.runId).catch(() => 0);
    // close() during the awaits above has already resolved this attempt's exit: spawning now would
    // leave an ffmpeg nobody supervises, pulling the camera beside the next attempt's.
    if (this.closing) return;
    let url = spec.rtspUrl;
    if (!spec.pushInputUrl && hasCredentials(spec.rtspUrl, spec.credentials)) {
      if (!deps.proxy) throw new Error('camera has credentials but no RTSP auth proxy is configured');
      this.registration = deps.proxy.register({
        cameraUrl: spec.rtspUrl,
        credentials: spec.credentials,
        allowBasic: spec.allowBasicAuth === true,
        onTimestampJump: (detail) => this.notice({ cause: STATUS_CAUSES.timestampJump, detail }),
      });
      url = this.registration.localUrl;
    }
    const { hls } = deps;
    const args = buildIngestArgs(
      {
        input: spec.pushInputUrl
          ? { kind: 'rtmp-push', url: spec.pushInputUrl }
          : { url, transport: spec.transport, socketTimeoutMs: deps.socketTimeoutMs ?? 5_000 },
        hls: { playlist: deps.store.livePlaylist(spec.id), segmentPattern: deps.store.liveSegmentPattern(spec.id, this.runId), ...hls },
        recording:
          spec.recording.mode === 'continuous'
            ? { pattern: deps.store.cacheSegmentPattern(spec.id), segmentSeconds: spec.recording.segmentSeconds, listPath: deps.store.segmentListPath(spec.id, this.runId), wallClockRefs: ffmpeg5(caps) }
            : undefined,
        flvPublishUrl: spec.flvPublishUrl,
        audio: spec.audio ?? 'drop',
        liveVideo: spec.liveVideo ?? 'copy',
      },
      caps,
    );
    const child = deps.runner.start(deps.ffmpegPath, args, ffmpegEnv());
    this.child = child;
    child.onStderr((c) => this.ring.push(c));
    void child.exited.then((e) => {
      this.ring.end();
      this.registration?.unregister();
      this.resolveExit({ ...e, tail: this.ring.tail(), requested: this.closing });
    });
  }

  async close(): Promise<InstanceExit> {
    this.closing = true;
    if (!this.child) {
      this.registration?.unregister();
      this.resolveExit({ code: null, signal: null, tail: this.ring.tail(), requested: true });
      return this.exited;
    }
    await closeChild(this.child, this.deps.closeGraceMs ?? 5_000, this.deps.timers);
    return this.exited;
  }

  stderrTail(): string[] {
    return this.ring.tail();
  }

  onNotice(cb: (n: InstanceNotice) => void): void {
    this.noticeListeners.push(cb);
  }

  private notice(n: InstanceNotice): void {
    for (const l of this.noticeListeners) l(n);
  }
}
