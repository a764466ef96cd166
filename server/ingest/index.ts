/**
 * The ingest runtime of roles `worker` and `all`: this process registers as an ingest worker,
 * keeps its fair share of camera leases, and runs one ffmpeg per leased camera (workers/ingest)
 * with the camera's decrypted credentials going only to the in-process RTSP auth proxy.
 * Status changes and recording segments are written only under the lease's fencing token.
 * It reacts to camera:created/updated/deleted on the bus at once, and resyncs periodically.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '@server/context';
import type { CamerasService } from '@server/cameras/index';
import { DEFAULT_BACKOFF, type BackoffOptions } from '@workers/ingest/backoff';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import type { SupervisorOptions } from '@workers/ingest/supervisor';
import { startIngestWorker, type IngestWorker } from '@workers/ingest/worker';
import { cleanCache } from '@workers/recorder/cache-janitor';
import { every } from '@common/periodic';
import { LeaseManager } from '@workers/leases/lease-manager';
import { LeaseRepository, type Lease } from '@workers/leases/lease-repository';
import { currentMediaServer } from '@workers/rtmp/media-server';
import { PushKeyRepository } from '@workers/rtmp/push-key-repository';
import { liveOutputUrl, pushInputFor } from '@workers/rtmp/push-input';
import { FORWARDED_CAMERA_EVENTS, type RemoteCameraChange } from '@server/realtime/bus';
import { LeaseLoop } from './lease-loop';
import { fencedSegmentSink, SegmentRepository } from './segments';
import { toIngestCameraSpec } from './specs';
import { FencedStatusWriter } from './status-writer';

export interface IngestRuntimeOptions {
  /** Default: <hostname>-<pid>-<random>. */
  workerId?: string;
  /** Where api processes reach this worker's live media routes (stored with the worker's heartbeat). */
  baseUrl?: string;
  /** Where live HLS and the recording cache go. Default config.dataDir (the API serves HLS from there in role all). */
  dataDir?: string;
  /** How often held cameras are re-read from the registry (changes made by other processes). Default 10 s. */
  resyncMs?: number;
  supervisor?: Partial<SupervisorOptions>;
  closeGraceMs?: number;
  recorderPollMs?: number;
}

export interface IngestRuntime {
  readonly workerId: string;
  readonly worker: IngestWorker;
  /** Cameras this worker holds a lease for right now. */
  held(): string[];
  stop(): Promise<void>;
}

type Reason = 'expired' | 'rebalance' | 'unapproved' | 'fenced' | 'shutdown';

export function backoffFor(maxDelayMs: number): BackoffOptions {
  const steps = DEFAULT_BACKOFF.stepsMs.map((s) => Math.min(s, maxDelayMs));
  return { ...DEFAULT_BACKOFF, stepsMs: steps };
}

export async function startIngestRuntime(ctx: AppContext, services: { cameras: CamerasService }, opts: IngestRuntimeOptions = {}): Promise<IngestRuntime> {
  const { config, logger } = ctx;
  const log = logger.child({ module: 'ingest' });
  const workerId = opts.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const leaseRepo = new LeaseRepository(ctx.database);
  const segments = new SegmentRepository(ctx.database);
  const pushKeys = new PushKeyRepository(ctx.database.db);
  /** Lease tokens of cameras whose ingest this worker runs (kept until ingest has fully stopped). */
  const tokens = new Map<string, number>();
  /** Cameras held right now (set/cleared synchronously at acquire/lose, before any await). */
  const held = new Set<string>();
  const specs = new Map<string, IngestCameraSpec>();

  const writer = new FencedStatusWriter({
    workerId,
    updateStatus: (id, status, cause, lease) =>
      services.cameras.updateStatus(id, status, cause, lease.workerId, (tx) => LeaseRepository.holdsLocked(tx, lease.workerId, id, lease.token)),
    tokenOf: (id) => tokens.get(id),
    log,
  });
  const hlsSeconds = config.live.hlsSegmentSeconds;
  const worker = await startIngestWorker({
    dataDir: opts.dataDir ?? config.dataDir,
    sink: fencedSegmentSink(segments, workerId, (id) => tokens.get(id), log),
    onStatus: (e) => writer.report(e),
    hls: { segmentSeconds: hlsSeconds, listSize: 6 },
    // A sim/H.264 GOP is ~2 s, so segments are at least that long whatever hls_time says.
    supervisor: { staleMs: Math.max(hlsSeconds * 3_000, 6_000), ...opts.supervisor },
    backoff: backoffFor(config.ingest.maxRestartDelay),
    log,
    closeGraceMs: opts.closeGraceMs,
    recorderPollMs: opts.recorderPollMs,
  });

  const recordingSegmentSeconds = Math.max(1, Math.round(config.ingest.recordingSegment / 1000));
  async function loadSpec(cameraId: string): Promise<IngestCameraSpec | null | 'gone'> {
    const [s] = await services.cameras.getIngestSpecs([cameraId]);
    if (!s) return 'gone';
    const media = currentMediaServer();
    return toIngestCameraSpec(s, {
      recordingSegmentSeconds,
      pushInputUrl: await pushInputFor(pushKeys, cameraId),
      flvPublishUrl: media ? liveOutputUrl(media.rtmp, cameraId) : null,
    });
  }

  const sync = () => worker.manager.sync([...specs.values()]);

  /** Re-reads one held camera and (re)starts or stops its ingest to match. */
  async function refresh(cameraId: string): Promise<void> {
    if (!held.has(cameraId)) return;
    const spec = await loadSpec(cameraId);
    if (!held.has(cameraId)) return; // lost meanwhile
    if (spec === 'gone') {
      specs.delete(cameraId); // not approved any more / deleted: the next lease round lets it go
      loop.kick();
    } else if (spec === null) {
      if (specs.delete(cameraId)) await sync();
      await writer.writeNow(cameraId, 'unsupported', 'camera has no RTSP URL and no RTMP push key', tokens.get(cameraId));
      return;
    } else {
      specs.set(cameraId, spec);
    }
    await sync();
  }

  async function onAcquire(lease: Lease): Promise<void> {
    held.add(lease.cameraId);
    tokens.set(lease.cameraId, lease.token);
    log.info({ cameraId: lease.cameraId, token: lease.token, workerId }, 'camera lease acquired');
    await refresh(lease.cameraId).catch((err: unknown) => log.warn({ cameraId: lease.cameraId, err: (err as Error).message }, 'could not start ingest'));
  }

  async function onLose(cameraId: string, reason: Reason): Promise<void> {
    held.delete(cameraId);
    specs.delete(cameraId);
    log.info({ cameraId, reason, workerId }, 'camera lease lost, stopping ingest');
    await sync(); // awaits ffmpeg's exit (SIGTERM finalises the open segment) and the recorder
    await writer.idle(cameraId);
    const token = tokens.get(cameraId);
    // Still our lease (released only after this returns): say why ingest stopped here.
    if (reason === 'unapproved') await writer.writeNow(cameraId, 'disabled', 'camera is not approved (suspended, rejected or pending)', token);
    if (reason === 'shutdown') await writer.writeNow(cameraId, 'offline', 'ingest worker stopped', token);
    tokens.delete(cameraId);
  }

  const leases = new LeaseManager({
    repo: leaseRepo,
    workerId,
    baseUrl: opts.baseUrl ?? null,
    ttlMs: config.ingest.leaseTtl,
    maxCameras: config.ingest.maxCameras,
    clock: ctx.clock,
    onAcquire,
    onLose,
    onError: (err) => log.warn({ err: (err as Error).message, workerId }, 'lease round failed'),
  });
  const loop = new LeaseLoop(leases, Math.max(250, Math.floor(config.ingest.leaseTtl / 3)), (err) =>
    log.warn({ err: (err as Error).message, workerId }, 'lease round failed'),
  );

  // Camera changes, from this process's bus or (change feed) from other processes: react at once.
  // created/approved -> a lease round takes it; URL/credential/push-key change -> restart;
  // suspended/rejected -> the round releases it; deleted -> stop now (the lease row is gone with it).
  const onChange = (c: RemoteCameraChange) => {
    const refreshLogged = (id: string) =>
      void refresh(id).catch((err: unknown) => log.warn({ cameraId: id, err: (err as Error).message }, 'camera refresh failed'));
    switch (c.event) {
      case 'camera:created':
        return loop.kick();
      case 'camera:updated':
        loop.kick();
        return refreshLogged(c.id);
      case 'camera:ingest-changed':
        return refreshLogged(c.id);
      case 'camera:deleted':
        if (specs.delete(c.id)) void sync();
        return loop.kick();
      case 'resync':
        loop.kick();
        for (const id of held) refreshLogged(id);
    }
  };
  const unsubscribe = [
    ...FORWARDED_CAMERA_EVENTS.map((event) => ctx.bus.subscribe(event, ({ id }) => onChange({ event, id }))),
    ctx.bus.subscribe('camera:remote-change', onChange),
  ];
  // The local recording cache stays within each camera's retention and the disk's floor.
  const janitor = every(
    config.ingest.retentionCheck,
    () =>
      cleanCache({
        store: worker.store,
        retentionOf: (ids) => segments.retentionDays(ids),
        unindex: async (paths) => void (await segments.removeByPaths(paths)),
        minFreeBytes: config.ingest.cacheMinFree,
        busyMs: 2 * config.ingest.recordingSegment + 60_000,
        now: () => ctx.clock.now().getTime(),
        log,
      }).then((report) => {
        for (const [reason, n] of Object.entries(report.byReason)) ctx.metrics.cacheDeleted.inc({ reason }, n);
      }),
    (err) => log.warn({ err: (err as Error).message }, 'recording cache check failed'),
  );
  const resyncMs = opts.resyncMs ?? 10_000;
  const resync = setInterval(() => {
    for (const id of held) void refresh(id).catch((err: unknown) => log.warn({ cameraId: id, err: (err as Error).message }, 'camera resync failed'));
  }, resyncMs);
  resync.unref();

  loop.start();
  log.info({ workerId, leaseTtlMs: config.ingest.leaseTtl }, 'ingest runtime started');

  let stopping: Promise<void> | null = null;
  return {
    workerId,
    worker,
    held: () => [...held],
    stop() {
      stopping ??= (async () => {
        for (const u of unsubscribe) u();
        clearInterval(resync);
        await janitor.stop();
        await loop.stop();
        await leases.stop(); // stops every ingest (segments closed, statuses written), then retires the leases
        await worker.close();
        log.info({ workerId }, 'ingest runtime stopped');
      })();
      return stopping;
    },
  };
}
