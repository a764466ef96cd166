/**
 * The baseline: one bare `ffmpeg -rtsp_transport tcp -i rtsp://... -c copy -f hls` per camera,
 * nothing else (no recording, no FLV, no supervisor). Optionally restarted like a shell loop
 * (`while :; do ffmpeg ...; sleep 1; done`) for the recovery measurement.
 * `sameOutputs`: the bare ffmpeg writes what Sky Eye's ingest writes, built by the same argument
 * builders (live HLS + fMP4 recording segments), still without node, proxy, recorder or FLV.
 */
import path from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { closeChild, spawnRunner, type ChildHandle } from '@workers/ffmpeg/process';
import { resolveFfmpegPath } from '@workers/ffmpeg/version';
import { hlsOutputArgs, recordingOutputArgs } from '@workers/ffmpeg/args';
import type { IngestPath } from './paths';
import type { SimCam } from './sim-client';

export function baselineArgs(url: string, dir: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'warning',
    '-rtsp_transport', 'tcp', '-i', url,
    '-c', 'copy', '-f', 'hls', '-hls_time', '2', '-hls_list_size', '6', '-hls_flags', 'delete_segments',
    '-hls_segment_filename', path.join(dir, 'seg-%d.ts'), path.join(dir, 'index.m3u8'),
  ];
}

/** Bare ffmpeg with Sky Eye's two file outputs (live HLS 2 s x 6, fMP4 recording segments). */
export function sameOutputsArgs(url: string, dir: string, recordSeconds: number): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'warning',
    '-rtsp_transport', 'tcp', '-i', url,
    ...hlsOutputArgs({ playlist: path.join(dir, 'index.m3u8'), segmentPattern: path.join(dir, 'seg-%d.ts'), segmentSeconds: 2, listSize: 6 }, 'copy', 'copy'),
    ...recordingOutputArgs({ pattern: path.join(dir, 'rec-%Y%m%dT%H%M%S.mp4'), segmentSeconds: recordSeconds, listPath: path.join(dir, 'rec.csv'), wallClockRefs: true }, 'copy'),
  ];
}

interface Running {
  cam: SimCam;
  child: ChildHandle | null;
  startedAt: number;
  stopped: boolean;
  timer?: NodeJS.Timeout;
}

export class BaselinePath implements IngestPath {
  readonly name: 'baseline' | 'baselineSame';
  /** ms before a dead ffmpeg is started again; null: leave it dead (an incident). */
  restartDelayMs: number | null = null;
  private readonly running = new Map<string, Running>();
  private readonly exits: Array<{ at: number; text: string }> = [];
  private readonly ffmpeg = resolveFfmpegPath();

  /** `sameOutputs`: record seconds of the fMP4 segments written next to HLS (else HLS only). */
  constructor(
    private readonly dataDir: string,
    private readonly sameOutputs: { recordSeconds: number } | null = null,
  ) {
    this.name = sameOutputs ? 'baselineSame' : 'baseline';
  }

  private dir(id: string): string {
    return path.join(this.dataDir, id);
  }

  private spawn(r: Running): void {
    const dir = this.dir(r.cam.id);
    const args = this.sameOutputs ? sameOutputsArgs(r.cam.rtspUrl, dir, this.sameOutputs.recordSeconds) : baselineArgs(r.cam.rtspUrl, dir);
    const child = spawnRunner.start(this.ffmpeg, args, { PATH: process.env.PATH ?? '/usr/bin:/bin' });
    r.child = child;
    let tail = '';
    child.onStderr((c) => (tail = (tail + c).slice(-300)));
    void child.exited.then((e) => {
      if (r.stopped || r.child !== child) return;
      r.child = null;
      this.exits.push({ at: Date.now(), text: `${r.cam.id} ffmpeg exited (${e.code ?? e.signal}) ${tail.trim().split('\n').at(-1) ?? ''}` });
      if (this.restartDelayMs !== null) r.timer = setTimeout(() => !r.stopped && this.spawn(r), this.restartDelayMs);
    });
  }

  async setCameras(cams: readonly SimCam[]): Promise<void> {
    const stops: Array<Promise<void>> = [];
    for (const [id, r] of this.running) {
      if (cams.some((c) => c.id === id)) continue;
      this.running.delete(id);
      stops.push(this.stopOne(r));
    }
    await Promise.all(stops);
    for (const cam of cams) {
      if (this.running.has(cam.id)) continue;
      await rm(this.dir(cam.id), { recursive: true, force: true });
      await mkdir(this.dir(cam.id), { recursive: true });
      const r: Running = { cam, child: null, startedAt: Date.now(), stopped: false };
      this.running.set(cam.id, r);
      this.spawn(r);
    }
  }

  private async stopOne(r: Running): Promise<void> {
    r.stopped = true;
    clearTimeout(r.timer);
    if (r.child) await closeChild(r.child, 3_000);
  }

  startedAt(id: string): number | undefined {
    return this.running.get(id)?.startedAt;
  }

  playlist(id: string): string {
    return path.join(this.dir(id), 'index.m3u8');
  }

  ffmpegPids(): number[] {
    return [...this.running.values()].map((r) => r.child?.pid).filter((p): p is number => p !== undefined);
  }

  incidents(since: number): string[] {
    return this.exits.filter((e) => e.at >= since).map((e) => e.text);
  }

  async close(): Promise<void> {
    await this.setCameras([]);
  }
}
