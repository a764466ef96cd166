/** A worker on a simulated camera with short timings, shared by the workers integration tests. */
import type { CameraStatusEvent } from '@common/events';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import type { IngestWorkerOptions } from '@workers/ingest/worker';
import type { SegmentSink } from '@workers/recorder/sink';

/** Fast supervision for tests: 2 s HLS, short grace, short backoff, 4 s recordings polled often. */
export function fastWorkerOptions(dataDir: string, sink: SegmentSink, events: CameraStatusEvent[], extra: Partial<IngestWorkerOptions> = {}): IngestWorkerOptions {
  return {
    dataDir,
    sink,
    onStatus: (e) => events.push(e),
    hls: { segmentSeconds: 2, listSize: 4 },
    staleMs: 6_000,
    supervisor: { graceMs: 10_000, checkIntervalMs: 500 },
    backoff: { stepsMs: [500, 1000, 2000], jitter: 0.1, maxRestarts: 50, windowMs: 60_000 },
    closeGraceMs: 3_000,
    recorderPollMs: 500,
    ...extra,
  };
}

export function simCameraSpec(id: string, cam: { rtspMainUrl: string; username: string; password: string }): IngestCameraSpec {
  return {
    id,
    rtspUrl: cam.rtspMainUrl,
    transport: 'tcp',
    credentials: { username: cam.username, password: cam.password },
    recording: { mode: 'continuous', segmentSeconds: 4 },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a synchronous condition every 100 ms until it gives a value, or fails naming what it waited for. */
export async function until<T>(what: string, timeoutMs: number, fn: () => T | undefined | false): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
