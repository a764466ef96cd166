/**
 * The ingest runtime of roles `worker` and `all`: this process registers as an ingest worker,
 * keeps its fair share of camera leases, and runs one ffmpeg per leased camera (workers/ingest)
 * with the camera's decrypted credentials going only to the in-process RTSP auth proxy.
 * Status changes and recording segments are written only under the lease's fencing token.
 * It reacts to camera:created/updated/deleted on the bus at once, and resyncs periodically.
 * Per-camera state has one owner (HeldCameras: held, token, spec); its loops (lease rounds,
 * resync, cache janitor) are named loops in the process's registry (common/loops.ts, in /metrics).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Loops } from '@common/loops';
import { keyedRuns } from '@common/keyed-runs';
import type { AppContext } from '@server/context';
import type { CamerasService } from '@server/cameras/index';
import type { Repositories } from '@server/services/index';
import { DEFAULT_BACKOFF, type BackoffOptions } from '@workers/ingest/backoff';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import { ingestClock } from '@workers/ingest/clock';
import { FencedStatusWriter } from '@workers/ingest/status-writer';
import type { SupervisorOptions } from '@workers/ingest/supervisor';
import { startIngestWorker, type IngestWorker } from '@workers/ingest/worker';
import { HeldCameras } from '@workers/leases/held-cameras';
import { LeaseManager } from '@workers/leases/lease-manager';
import type { Lease } from '@workers/leases/lease-store';
import { leaseTiming } from '@workers/leases/timing';
import type { MediaServer } from '@workers/rtmp/media-server';
import { FORWARDED_CAMERA_EVENTS, type RemoteCameraChange } from '@server/realtime/bus';
import { recordingsFor } from '@server/recordings/index';
import { fencedStatusWrite, registrySpecSource } from './adapters';
import { attachSubStreams } from './sub-streams';
import { markUnattended } from './unattended';

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
  /** The media server this process runs (FLV republish, push inputs); null or unset: none. */
  media?: MediaServer | null;
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
  return { ...DEFAULT_BACKOFF, stepsMs: steps, maxDelayMs };
}

export async function startIngestRuntime(
  ctx: AppContext,
  /** `loops`: the process's loop registry (a second runtime in one process needs its own: names are unique). */
  deps: { cameras: CamerasService; repos: Pick<Repositories, 'leases' | 'pushKeys'>; loops: Loops },
  opts: IngestRuntimeOptions = {},
): Promise<IngestRuntime> {
  const { config, logger } = ctx;
  const { loops } = deps;
  const timing = leaseTiming(config.ingest.leaseTtl);
  const services = deps;
  const workerId = opts.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = logger.child({ module: 'ingest', workerId });
  const recordings = recordingsFor(ctx);
  const cameras = new HeldCameras<IngestCameraSpec>();
  const specs = registrySpecSource({
    cameras: services.cameras,
    pushKeys: services.repos.pushKeys,
    media: opts.media ?? null,
    recordingSegmentSeconds: Math.max(1, Math.round(config.ingest.recordingSegment / 1000)),
  });
  const writer = new FencedStatusWriter({ workerId, updateStatus: fencedStatusWrite(services.cameras), tokenOf: (id) => cameras.tokenOf(id), log });
  const sink = recordings.sink({ workerId, tokenOf: (id) => cameras.tokenOf(id), log, store: { nodeId: () => worker.store.nodeId(), removeCached: (key) => worker.store.removeCached(key) } });
  const worker = await startIngestWorker({
    dataDir: opts.dataDir ?? config.dataDir,
    sink,
    onStatus: (e) => writer.report(e),
    hls: { segmentSeconds: config.live.hlsSegmentSeconds, listSize: config.live.hlsListSize },
    staleMs: config.ingest.staleAfter,
    supervisor: opts.supervisor,
    backoff: backoffFor(config.ingest.maxRestartDelay),
    clock: ingestClock(ctx.clock),
    log,
    closeGraceMs: opts.closeGraceMs,
    recorderPollMs: opts.recorderPollMs,
  });

  const sync = () => worker.manager.sync(cameras.specs());
  // Sub streams run only while watched, for cameras held here (server/ingest/sub-streams.ts).
  const subs = attachSubStreams(opts.media ?? null, { specOf: (id) => cameras.specOf(id), proxy: worker.proxy, graceMs: config.live.flvIdleGrace, log });

  /**
   * Re-reads one held camera and (re)starts or stops its ingest to match. One at a time per camera,
   * a call meanwhile running it once more after (keyedRuns): an older read never outlives a newer one.
   */
  const refresh = keyedRuns(async (cameraId: string): Promise<void> => {
    if (!cameras.isHeld(cameraId)) return;
    const spec = await specs.specOf(cameraId);
    if (!cameras.isHeld(cameraId)) return; // lost meanwhile
    if (spec === 'gone') {
      cameras.dropSpec(cameraId); // not approved any more / deleted: the next lease round lets it go
      leaseLoop.kick();
    } else if (spec === null) {
      if (cameras.dropSpec(cameraId)) await Promise.all([sync(), subs?.specChanged(cameraId)]);
      await writer.writeNow(cameraId, 'unsupported', 'camera has no RTSP URL and no RTMP push key', cameras.tokenOf(cameraId));
      return;
    } else {
      cameras.setSpec(cameraId, spec);
    }
    // The sub stream follows the spec too: stopped without one, restarted on a new URL or credentials.
    await Promise.all([sync(), subs?.specChanged(cameraId)]);
  });
  const refreshLogged = (cameraId: string) => refresh(cameraId).catch((err: unknown) => log.warn({ cameraId, err }, 'camera refresh failed'));

  async function onAcquire(lease: Lease): Promise<void> {
    log.info({ cameraId: lease.cameraId, token: lease.token }, 'camera lease acquired');
    await refreshLogged(lease.cameraId);
  }

  async function onLose(cameraId: string, reason: Reason): Promise<void> {
    // Expired or fenced: another worker may be pulling the camera by now (worth an operator's look).
    log[reason === 'expired' || reason === 'fenced' ? 'warn' : 'info']({ cameraId, reason }, 'camera lease lost, stopping ingest');
    // The spec is already dropped (HeldCameras.letGo). The camera's ffmpeg is stopped here, at once,
    // not by sync(): the manager's syncs run one at a time, and one whose stop waits on the database
    // (the recorder's last segment row) would keep this camera pulled past its lease (a fence stops
    // every camera at once). Its sub stream stops too. What follows ffmpeg's exit (the last
    // segment's row, statuses) is still awaited here, so before any release.
    // SIGTERM finalises the open segment; then the recorder indexes it.
    await Promise.all([worker.manager.supervisor(cameraId)?.stop(), subs?.specChanged(cameraId)]);
    await sync(); // the manager lets go of the stopped supervisor
    await writer.idle(cameraId);
    writer.forget(cameraId);
    const token = cameras.tokenOf(cameraId);
    // Still our lease (released only after this returns): say why ingest stopped here.
    if (reason === 'unapproved') await writer.writeNow(cameraId, 'disabled', 'camera is not approved (suspended, rejected or pending)', token);
    // A graceful stop with other workers alive is a planned move, not an outage: they take the
    // camera at once (and the unattended check says offline if none does within its grace).
    if (reason === 'shutdown' && (await services.repos.leases.liveWorkers(timing.silentMs)) === 0) {
      await writer.writeNow(cameraId, 'offline', 'ingest worker stopped', token);
    }
  }

  /**
   * Puts back what this worker last said about its cameras where someone else overwrote it (the
   * unattended check calls a slow holder silent a moment too early): one query per round.
   */
  async function repairStatuses(): Promise<void> {
    const ids = cameras.ids().filter((id) => writer.lastSaid(id));
    for (const row of await services.cameras.statusesOf(ids)) {
      const said = writer.lastSaid(row.id);
      if (!said || (row.status === said.status && row.cause === said.cause)) continue;
      log.info({ cameraId: row.id, status: said.status, was: row.status }, 'camera status restored (overwritten while this worker held it)');
      await writer.writeNow(row.id, said.status, said.cause, cameras.tokenOf(row.id));
    }
  }

  const leases = new LeaseManager({
    repo: services.repos.leases,
    workerId,
    baseUrl: opts.baseUrl ?? null,
    ttlMs: config.ingest.leaseTtl,
    maxCameras: config.ingest.maxCameras,
    clock: ctx.clock,
    held: cameras,
    onAcquire,
    onLose,
    onReleased: () => ctx.bus.publish('leases:released', {}),
    onError: (err) => log.warn({ err }, 'lease renewal or hand-back failed'),
  });
  leases.start(); // renewed on their own beat from here until leases.stop() has handed them back
  const lostWorkerCheck = { leases: services.repos.leases, cameras: services.cameras, graceMs: timing.graceMs, silentMs: timing.silentMs, log };
  const leaseLoop = loops.add(
    'ingest.leases',
    timing.roundMs,
    async () => {
      // A round that takes over a silent worker's expired leases first says those cameras were
      // lost (offline, worker_lost), so the history names the outage before this worker's
      // `starting`, whoever's unattended check would have come first.
      if (leases.nextTakeoverMs !== null) await markUnattended(lostWorkerCheck);
      await leases.tick();
      // A silent worker's lease expires before the next round: take it over right then.
      const takeover = leases.nextTakeoverMs;
      if (takeover !== null) leaseLoop.kick(takeover + 20);
      await repairStatuses();
    },
    { firstRunMs: 0 },
  );
  const resync = loops.add('ingest.resync', opts.resyncMs ?? 10_000, () => Promise.all(cameras.ids().map(refreshLogged)));

  // Camera changes, from this process's bus or (change feed) from other processes: react at once.
  // created/approved -> a lease round takes it; URL/credential/push-key change -> restart;
  // suspended/rejected -> the round releases it; deleted -> stop now (the lease row is gone with it).
  const onChange = (c: RemoteCameraChange) => {
    switch (c.event) {
      case 'camera:created':
        return leaseLoop.kick();
      case 'camera:updated':
        leaseLoop.kick();
        return void refreshLogged(c.id);
      case 'camera:ingest-changed':
        return void refreshLogged(c.id);
      case 'camera:deleted':
        if (cameras.dropSpec(c.id)) void Promise.all([sync(), subs?.specChanged(c.id)]).catch((err: unknown) => log.warn({ cameraId: c.id, err }, 'stopping a deleted camera failed'));
        return leaseLoop.kick();
      case 'resync':
        leaseLoop.kick();
        return resync.kick();
      case 'released':
        return leaseLoop.kick();
    }
  };
  const unsubscribe = [
    ...FORWARDED_CAMERA_EVENTS.map((event) => ctx.bus.subscribe(event, ({ id }) => onChange({ event, id }))),
    ctx.bus.subscribe('camera:remote-change', onChange),
    ctx.bus.subscribe('cameras:imported', () => leaseLoop.kick()),
    ctx.bus.subscribe('leases:released', () => leaseLoop.kick()),
  ];
  // Stage two of recording: upload to S3, the cache as a hot tier, archive retention (server/recordings).
  const archive = recordings.startLoops(loops, worker.store, workerId, sink, log);
  log.info({ leaseTtlMs: config.ingest.leaseTtl }, 'ingest runtime started');

  let stopping: Promise<void> | null = null;
  return {
    workerId,
    worker,
    held: () => cameras.ids(),
    stop() {
      stopping ??= (async () => {
        for (const u of unsubscribe) u();
        for (const loop of [resync, leaseLoop]) await loop.stop();
        await archive.stop();
        await subs?.close();
        await leases.stop(); // stops every ingest (segments closed, statuses written), then retires the leases
        await worker.close();
        log.info('ingest runtime stopped');
      })();
      return stopping;
    },
  };
}
