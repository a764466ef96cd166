/**
 * Sky Eye's own ingest path: startIngestWorker (supervisors, RTSP auth proxy, recorder) with the
 * real argument builders (live HLS + fMP4 recording segments + FLV output to the built-in media
 * server: its on-demand gate, or with --flv-always RTMP into node-media-server all the time), all
 * inside this process like the worker role runs them; with --viewers, one FLV viewer per camera.
 */
import type { CameraStatusEvent } from '@common/events';
import { DEFAULTS } from '@sim/fleet';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import { startIngestWorker, type IngestWorker } from '@workers/ingest/worker';
import { computeGaps } from '@workers/recorder/gaps';
import { InMemorySegmentSink } from '@workers/recorder/sink';
import { startMediaServer, type MediaServer } from '@workers/rtmp/media-server';
import { httpFlvUrl } from '@workers/rtmp/urls';
import type { IngestPath } from './paths';
import { FlvViewers, type ViewerTransport } from './viewers';
import type { SimCam } from './sim-client';

export interface SkyEyeOptions {
  dataDir: string;
  recordSeconds: number;
  flv: boolean;
  /** RTMP republish all the time instead of the on-demand gate. */
  flvAlways?: boolean;
  /** One FLV viewer per camera during the ramp (viewers.ts): a curl each, or a WebSocket each. */
  viewers?: ViewerTransport | null;
  onWarn?: (msg: string) => void;
}

/** The on-demand republish's grace after the last viewer (production default 10 s; short here for the tile-start probe). */
export const FLV_GRACE_MS = 2_000;

export class SkyEyePath implements IngestPath {
  readonly name = 'skyeye' as const;
  readonly events: CameraStatusEvent[] = [];
  private readonly started = new Map<string, number>();
  private worker!: IngestWorker;
  private media: MediaServer | null = null;
  private viewers: FlvViewers | null = null;
  private readonly sink = new InMemorySegmentSink();

  private constructor(private readonly o: SkyEyeOptions) {}

  static async start(o: SkyEyeOptions): Promise<SkyEyePath> {
    const p = new SkyEyePath(o);
    const log = { info() {}, warn: (obj: object, msg: string) => o.onWarn?.(`${msg} ${JSON.stringify(obj).slice(0, 300)}`) };
    const onDemand = o.flvAlways ? {} : { flvOnDemand: { graceMs: FLV_GRACE_MS } };
    if (o.flv) p.media = await startMediaServer({ host: '127.0.0.1', rtmpPort: 0, flvPort: 0, authorizePush: async () => false, logger: log, ...onDemand });
    try {
      if (p.media) p.viewers = await FlvViewers.start(p.media, o.viewers ?? 'http');
      p.worker = await startIngestWorker({ dataDir: o.dataDir, sink: p.sink, onStatus: (e) => p.events.push(e), log, hls: { segmentSeconds: 2, listSize: 6 }, staleMs: 6_000 });
    } catch (e) {
      await p.viewers?.close();
      await p.media?.close();
      throw e;
    }
    return p;
  }

  private async spec(c: SimCam): Promise<IngestCameraSpec> {
    return {
      id: c.id,
      rtspUrl: c.rtspUrl,
      transport: 'tcp',
      // The bench cameras do not ask for auth, but giving credentials routes ingest through the
      // RTSP auth proxy exactly as for a real camera (its relay cost is part of the node share).
      credentials: { username: DEFAULTS.username, password: DEFAULTS.password },
      recording: { mode: 'continuous', segmentSeconds: this.o.recordSeconds },
      flvPublishUrl: this.media ? await this.media.liveOutput(c.id) : undefined,
    };
  }

  async setCameras(cams: readonly SimCam[]): Promise<void> {
    const now = Date.now();
    for (const c of cams) if (!this.started.has(c.id)) this.started.set(c.id, now);
    for (const id of [...this.started.keys()]) if (!cams.some((c) => c.id === id)) this.started.delete(id);
    await this.worker.manager.sync(await Promise.all(cams.map((c) => this.spec(c))));
    if (this.o.viewers) this.viewers?.set(cams.map((c) => c.id));
  }

  startedAt(id: string): number | undefined {
    return this.started.get(id);
  }

  playlist(id: string): string {
    return this.worker.store.livePlaylist(id);
  }

  /** The camera's FLV as the API's route serves it (straight from the gate; with --flv-always, node-media-server's). */
  flvUrl(id: string): string | null {
    if (!this.media) return null;
    return this.o.flvAlways ? httpFlvUrl(this.media.flv, id) : this.viewers!.url(id);
  }

  /** Whether the camera's FLV is being fed into node-media-server now (always true with --flv-always). */
  republishing(id: string): boolean {
    return this.media ? this.media.isPublishing('live', id) : false;
  }

  ffmpegPids(): number[] {
    const m = this.worker.manager;
    return [...m.statuses().keys()].map((id) => m.supervisor(id)?.pid).filter((p): p is number => p !== undefined);
  }

  /** First status event `status` for a camera after t (ms). */
  statusAfter(id: string, status: string, t: number): number | undefined {
    const e = this.events.find((x) => x.cameraId === id && x.status === status && Date.parse(x.at) > t);
    return e ? Date.parse(e.at) : undefined;
  }

  incidents(since: number): string[] {
    return this.events
      .filter((e) => Date.parse(e.at) >= since && e.status !== 'live' && e.status !== 'starting' && e.status !== 'disabled')
      .map((e) => `${e.cameraId} ${e.status}${e.cause ? ` (${e.cause})` : ''}`);
  }

  /** Uncovered recording intervals in [t0, t1] for the given cameras. */
  recordingGaps(ids: readonly string[], t0: number, t1: number): string[] {
    if (t1 <= t0) return [];
    const out: string[] = [];
    for (const id of ids) {
      const segs = this.sink.list(id);
      if (!segs.length) {
        out.push(`${id}: no recorded segment yet`);
        continue;
      }
      for (const g of computeGaps(segs, 1_500, new Date(t0), new Date(t1)))
        out.push(`${id}: recording gap ${((g.end.getTime() - g.start.getTime()) / 1000).toFixed(1)} s`);
    }
    return out;
  }

  /** Segments that started in [t0, t1] (ms), and how many carry each flag (the index's `flags`). */
  segmentFlags(t0: number, t1: number): { count: number; flagged: Record<string, number> } {
    const segs = this.sink.list().filter((s) => s.start.getTime() >= t0 && s.start.getTime() <= t1);
    const flagged: Record<string, number> = {};
    for (const f of segs.flatMap((s) => s.flags)) flagged[f] = (flagged[f] ?? 0) + 1;
    return { count: segs.length, flagged };
  }

  async close(): Promise<void> {
    await this.viewers?.close();
    await this.worker.close().catch(() => undefined);
    await this.media?.close();
  }
}
