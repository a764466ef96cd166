/**
 * Composition of the ingest core with the real things: spawnRunner, the RTSP auth proxy, the
 * store, health from the live playlist's mtime, and a recorder per camera feeding the sink.
 */
import { stat } from 'node:fs/promises';
import type { CameraStatusEvent } from '@common/events';
import { createProber, type Prober } from '@workers/ffmpeg/probe';
import { spawnRunner, type ProcessRunner } from '@workers/ffmpeg/process';
import { detectFfmpeg, resolveFfmpegPath } from '@workers/ffmpeg/version';
import { CameraRecorder } from '@workers/recorder/recorder';
import type { SegmentSink } from '@workers/recorder/sink';
import { startRtspAuthProxy, type RtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';
import { createIngestStore, type IngestStore } from '@workers/store/paths';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { systemClock, type Clock } from './clock';
import { createInstanceFactory } from './instance';
import { IngestManager } from './manager';
import { createCameraProbe, type CameraProbe } from './probe';
import { Supervisor, type Logger, type SupervisorOptions } from './supervisor';
import { defaultStartSlots, type StartSlots } from './start-slots';
import { createSegmentProber } from '@workers/recorder/mp4-probe';

export interface IngestWorkerOptions {
  dataDir: string;
  sink: SegmentSink;
  onStatus: (e: CameraStatusEvent) => void;
  ffmpegPath?: string;
  runner?: ProcessRunner;
  clock?: Clock;
  log?: Logger;
  probe?: Prober;
  /** Live HLS segment length and playlist size (config live.hlsSegmentSeconds, live.hlsListSize). */
  hls: { segmentSeconds: number; listSize: number };
  /** Stale window: no fresh live playlist for this long is `stalled` (config ingest.staleAfter). */
  staleMs: number;
  supervisor?: Partial<SupervisorOptions>;
  backoff?: BackoffOptions;
  /** Reachability check between attempts; default RTSP OPTIONS (probe.ts), null: backoff only. */
  cameraProbe?: CameraProbe | null;
  socketTimeoutMs?: number;
  closeGraceMs?: number;
  recorderPollMs?: number;
  /** How many cameras may be starting at once (start-slots.ts); default six per core, null: no cap. */
  startSlots?: StartSlots | null;
}

export interface IngestWorker {
  readonly manager: IngestManager;
  readonly store: IngestStore;
  readonly proxy: RtspAuthProxy;
  close(): Promise<void>;
}

export async function startIngestWorker(o: IngestWorkerOptions): Promise<IngestWorker> {
  const store = createIngestStore(o.dataDir);
  const proxy = await startRtspAuthProxy();
  const ffmpegPath = o.ffmpegPath ?? resolveFfmpegPath();
  const clock = o.clock ?? systemClock;
  const { hls } = o;
  const probe = o.probe ?? createSegmentProber(createProber());
  const recorders = new Map<string, CameraRecorder>();
  const createInstance = createInstanceFactory({
    runner: o.runner ?? spawnRunner,
    ffmpegPath,
    capabilities: () => detectFfmpeg(ffmpegPath),
    store,
    proxy,
    hls,
    socketTimeoutMs: o.socketTimeoutMs,
    closeGraceMs: o.closeGraceMs,
  });
  const startSlots = o.startSlots === undefined ? defaultStartSlots() : (o.startSlots ?? undefined);
  const cameraProbe = o.cameraProbe === undefined ? createCameraProbe() : (o.cameraProbe ?? undefined);
  const outputMtime = async (id: string) => (await stat(store.livePlaylist(id)).catch(() => null))?.mtimeMs ?? null;

  const manager = new IngestManager({
    onStatus: o.onStatus,
    now: () => clock.now(),
    createSupervisor: (spec) => {
      recorders.get(spec.id)?.stop();
      const rec = spec.recording.mode === 'continuous' ? new CameraRecorder(spec.id, spec.recording.segmentSeconds, { store, sink: o.sink, probe, log: o.log, pollMs: o.recorderPollMs }) : null;
      if (rec) recorders.set(spec.id, rec);
      else recorders.delete(spec.id);
      return new Supervisor(
        spec,
        {
          clock,
          createInstance,
          outputMtime,
          onStatus: o.onStatus,
          log: o.log,
          backoff: new Backoff(o.backoff ?? DEFAULT_BACKOFF),
          probe: cameraProbe,
          startSlots,
          beforeInstanceStart: async (_id, runId) => {
            if (!rec) return;
            await rec.sweep();
            rec.follow(runId);
          },
          onInstanceEnd: async (_id, runId) => rec?.finish(runId),
        },
        { staleMs: o.staleMs, ...o.supervisor },
      );
    },
  });

  return {
    manager,
    store,
    proxy,
    async close() {
      await manager.closeAll();
      for (const r of recorders.values()) r.stop();
      await proxy.close();
    },
  };
}
