/**
 * Per-camera recorder, stage one of two: learns from ffmpeg's CSV segment list when a
 * recording segment closes, probes and validates it, hashes it, and hands it to the SegmentSink.
 * Before each attempt and after it ends it sweeps the cache for files the list never announced
 * (crash, SIGKILL), skipping unprobed those the sink has indexed already.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Prober } from '@workers/ffmpeg/probe';
import type { IngestStore } from '@workers/store/paths';
import { recordingObjectKey } from '@workers/store/layout';
import { parseSegmentListLine, readNewLines } from './segment-list';
import type { SegmentRecord, SegmentSink } from './sink';
import { segmentTimes, type RunClock } from './times';
import { validateSegment } from './validate';

export interface RecorderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RecorderDeps {
  store: IngestStore;
  sink: SegmentSink;
  probe: Prober;
  log?: RecorderLogger;
  pollMs?: number;
  onRejected?: (e: { cameraId: string; path: string; reason: string }) => void;
}

/**
 * With a watch on the segment list, the list is read on its change events (one a segment) and the
 * poll reads it only every this many ticks, as a safety net for an event the platform did not deliver.
 */
const FALLBACK_TICKS = 10;

interface Follow {
  offset: number;
  timer: NodeJS.Timeout;
  clock: RunClock;
  /** inotify on the list file, once ffmpeg has created it (it does at the first segment's close). */
  watcher: FSWatcher | null;
  ticks: number;
  /** The read in progress (one at a time), and whether another was asked for meanwhile. */
  reading: Promise<void> | null;
  again: boolean;
}

/** The handled-files set is pruned when it has grown to twice its size after the last prune (and at least this). */
const PRUNE_FLOOR = 1_000;
/** Cache keys asked about in one SegmentSink.indexed call of a sweep. */
const INDEXED_BATCH = 1_000;

export class CameraRecorder {
  /**
   * Files handled (or queued) by this process: neither the list nor a sweep offers one twice. Pruned
   * to the files still in the cache directory (evicted or rejected ones never come back), at every
   * sweep and whenever it doubles: a camera that streams for a month in one run would otherwise
   * hold an entry per segment ever written (432,000 at 6 s).
   */
  private readonly processed = new Set<string>();
  private pruneAt = PRUNE_FLOOR;
  private queue: Promise<void> = Promise.resolve();
  private follows = new Map<string, Follow>();

  constructor(
    readonly cameraId: string,
    private readonly segmentSeconds: number,
    private readonly deps: RecorderDeps,
  ) {}

  /**
   * Starts tailing the segment list of one ffmpeg run: polled every `pollMs` until the file exists,
   * then read when it changes (fs.watch), the poll going on every FALLBACK_TICKS-th tick only. Polling
   * a list each second per camera (open, fstat, close) was a tenth of node's ingest time.
   */
  follow(runId: string): void {
    const file = this.deps.store.segmentListPath(this.cameraId, runId);
    const tick = () => {
      st.ticks += 1;
      if (!st.watcher) st.watcher = this.watchList(file, runId, st);
      if (!st.watcher || st.ticks % FALLBACK_TICKS === 0) void this.readList(runId);
    };
    const st: Follow = { offset: 0, timer: setInterval(tick, this.deps.pollMs ?? 1_000).unref(), clock: { offsetMs: null, lastEndMs: null }, watcher: null, ticks: 0, reading: null, again: false };
    this.follows.set(runId, st);
    st.watcher = this.watchList(file, runId, st);
  }

  /** A watch on the list that reads it on every change; null while the file does not exist yet. */
  private watchList(file: string, runId: string, st: Follow): FSWatcher | null {
    try {
      const w = watch(file, { persistent: false }, () => void this.readList(runId));
      w.on('error', () => {
        w.close();
        if (st.watcher === w) st.watcher = null; // back to polling
      });
      void this.readList(runId); // lines written before the watch began
      return w;
    } catch {
      return null;
    }
  }

  private unfollow(st: Follow | undefined): void {
    if (!st) return;
    clearInterval(st.timer);
    st.watcher?.close();
    st.watcher = null;
  }

  /** The run has ended: read the rest of its list, sweep orphans, drop the list file. */
  async finish(runId: string): Promise<void> {
    this.unfollow(this.follows.get(runId));
    await this.readList(runId);
    this.follows.delete(runId);
    await this.sweep();
    await rm(this.deps.store.segmentListPath(this.cameraId, runId), { force: true });
  }

  /**
   * Offers every cached segment not yet handled (call only while no ffmpeg writes here). Files the
   * sink says are indexed already are only marked handled: a new recorder (lease regained, spec
   * edited) used to probe and hash the camera's whole cache before its ffmpeg started, and while
   * recording was paused for space the drop path deleted those copies, held ones included.
   */
  async sweep(): Promise<void> {
    const dir = this.deps.store.cacheDir(this.cameraId);
    const names = await readdir(dir).catch(() => null);
    const fresh = (names ?? []).sort().filter((name) => this.deps.store.parseCacheSegmentName(name) && !this.processed.has(path.join(dir, name)));
    const indexed = await this.indexedOf(fresh.map((name) => path.join(dir, name)));
    for (const name of fresh) {
      const file = path.join(dir, name);
      if (indexed.has(file)) this.processed.add(file);
      else this.enqueue(file, null, null);
    }
    await this.queue;
    if (names) this.prune(names);
  }

  /** Those of `files` (this camera's cache) the sink says are indexed; none when it cannot say. */
  private async indexedOf(files: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const ask = this.deps.sink.indexed?.bind(this.deps.sink);
    if (!ask) return out;
    for (let i = 0; i < files.length; i += INDEXED_BATCH) {
      const byKey = new Map(files.slice(i, i + INDEXED_BATCH).map((f) => [this.deps.store.cacheKeyOfPath(this.cameraId, f), f]));
      try {
        for (const key of await ask([...byKey.keys()])) {
          const file = byKey.get(key);
          if (file) out.add(file);
        }
      } catch (err) {
        // Offered then: add() is idempotent, and a paused sink asks again before dropping one.
        this.deps.log?.warn({ cameraId: this.cameraId, files: byKey.size, err: (err as Error).message }, 'sweep: indexed look-up failed, offering the files');
      }
    }
    return out;
  }

  /** Files in the handled set (tests, metrics). */
  get trackedFiles(): number {
    return this.processed.size;
  }

  /** Drops handled files no longer in the cache directory (`names`: its listing). */
  private prune(names: string[]): void {
    const present = new Set(names);
    for (const file of this.processed) if (!present.has(path.basename(file))) this.processed.delete(file);
    this.pruneAt = Math.max(PRUNE_FLOOR, this.processed.size * 2);
  }

  /** Offers one cached file found outside any run (an orphan); resolves when it is handled. */
  offer(file: string): Promise<void> {
    this.enqueue(file, null, null);
    return this.queue;
  }

  /** Resolves when everything queued so far is handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    for (const st of this.follows.values()) this.unfollow(st);
    this.follows.clear();
  }

  /** Reads the list's new lines; a call while a read runs makes that read go round once more. */
  private readList(runId: string): Promise<void> {
    const st = this.follows.get(runId);
    if (!st) return Promise.resolve();
    if (st.reading) {
      st.again = true;
      return st.reading;
    }
    st.reading = (async () => {
      do {
        st.again = false;
        await this.readNew(runId, st).catch((err: Error) => this.deps.log?.warn({ cameraId: this.cameraId, runId, err: err.message }, 'segment list read failed (read again on the next change)'));
      } while (st.again);
    })().finally(() => (st.reading = null));
    return st.reading;
  }

  private async readNew(runId: string, st: Follow): Promise<void> {
    const fresh = await readNewLines(this.deps.store.segmentListPath(this.cameraId, runId), st.offset);
    st.offset = fresh.offset;
    if (!fresh.lines.length) return;
    for (const line of fresh.lines) {
      const e = parseSegmentListLine(line);
      if (!e) continue;
      this.enqueue(path.join(this.deps.store.cacheDir(this.cameraId), path.basename(e.name)), { startSec: e.startSec, endSec: e.endSec }, st.clock);
    }
    await this.queue;
    if (this.processed.size < this.pruneAt) return;
    const names = await readdir(this.deps.store.cacheDir(this.cameraId)).catch(() => null);
    if (names) this.prune(names);
  }

  private enqueue(file: string, listed: { startSec: number; endSec: number } | null, clock: RunClock | null): void {
    if (this.processed.has(file)) return;
    this.processed.add(file);
    this.queue = this.queue.then(() => this.handle(file, listed, clock)).catch((err: Error) => {
      this.deps.log?.warn({ cameraId: this.cameraId, file, err: err.message }, 'segment handling failed');
    });
  }

  private async handle(file: string, listed: { startSec: number; endSec: number } | null, clock: RunClock | null): Promise<void> {
    const nameTime = this.deps.store.parseCacheSegmentName(file);
    if (!nameTime) return;
    const cacheKey = this.deps.store.cacheKeyOfPath(this.cameraId, file);
    const verdict = await validateSegment(file, this.deps.probe, this.segmentSeconds * 2 + 5);
    if (!verdict.ok) {
      this.deps.log?.warn({ cameraId: this.cameraId, file, reason: verdict.reason }, 'segment rejected');
      this.deps.onRejected?.({ cameraId: this.cameraId, path: file, reason: verdict.reason });
      if (verdict.reason === 'file missing') return;
      const bytes = (await stat(file).catch(() => null))?.size ?? 0;
      const seconds = listed ? Math.max(0, listed.endSec - listed.startSec) : 0;
      await this.deps.sink.rejected?.({ cameraId: this.cameraId, cacheKey, start: nameTime, seconds, bytes, reason: verdict.reason });
      await rm(file, { force: true });
      return;
    }
    const p = verdict.value.probe;
    const t = segmentTimes({ nameTime, listed, probeDurationSec: p.durationSec ?? 0, timing: p.timing }, clock);
    const flags = [...t.flags, ...(listed ? [] : ['orphan'])];
    if (flags.some((f) => f.endsWith('_mismatch') || f === 'timestamps_jumped')) this.deps.log?.warn({ cameraId: this.cameraId, file, flags, frames: p.timing?.frames, durationMs: t.durationMs }, 'segment flagged');
    const record: SegmentRecord = {
      cameraId: this.cameraId,
      cacheKey,
      objectKey: recordingObjectKey(this.cameraId, t.start),
      start: t.start,
      end: t.end,
      bytes: verdict.value.bytes,
      sha256: verdict.value.sha256,
      durationMs: t.durationMs,
      frames: p.timing?.frames ?? null,
      codec: p.videoCodec,
      width: p.width,
      height: p.height,
      flags,
    };
    await this.deps.sink.add(record);
  }
}
