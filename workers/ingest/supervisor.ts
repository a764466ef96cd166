/**
 * One Supervisor per camera: owns restarts (stepped backoff with jitter, rate cap, reset after a
 * period live) and judges health by output, not by pid: after a grace period the camera is
 * `live` only while the live playlist is fresh; a running process with stale output is
 * `stalled` and gets killed. An attempt that went live has its exit classified on the stderr lines
 * written since (classify.ts), not on its start-up warnings. Every status change goes to onStatus.
 * While a camera is down (between attempts) a cheap probe runs every probeIntervalMs: ffmpeg is
 * started only when the camera answers, and at once when it answers again after having been
 * silent, whatever step the backoff has reached (the backoff still paces a camera that answers
 * but whose stream fails).
 */
import type { CameraStatus } from '@common/domain';
import type { CameraStatusEvent } from '@common/events';
import { Backoff } from './backoff';
import { STATUS_CAUSES } from '@common/causes';
import { classifyStderr, detailLine, linesAfter, unclassifiedExit } from './classify';
import type { Clock } from './clock';
import type { IngestInstance, InstanceExit, InstanceFactory } from './instance';
import { probeFailure, type CameraProbe } from './probe';
import type { IngestCameraSpec } from './spec';
import type { ReleaseSlot, StartSlots } from './start-slots';

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {} };

export interface SupervisorDeps {
  clock: Clock;
  createInstance: InstanceFactory;
  /** mtime (ms) of the camera's live playlist, null when missing. */
  outputMtime: (cameraId: string) => Promise<number | null>;
  onStatus: (e: CameraStatusEvent) => void;
  /** Awaited before each attempt starts (recorder: sweep, then follow the run's segment list). */
  beforeInstanceStart?: (cameraId: string, runId: string) => Promise<void>;
  /** Awaited after each attempt ends, before the next starts (recorder sweep). */
  onInstanceEnd?: (cameraId: string, runId: string) => Promise<void>;
  backoff?: Backoff;
  /** Cheap reachability check between attempts (see probe.ts). Without it: backoff only. */
  probe?: CameraProbe;
  /** Shared by a worker's supervisors: how many attempts may be starting at once (start-slots.ts). */
  startSlots?: StartSlots;
  log?: Logger;
}

export interface SupervisorOptions {
  /** Time a new attempt gets to produce output before it counts as stalled. */
  graceMs: number;
  /** Output older than this is stale (about 3x the HLS segment duration). */
  staleMs: number;
  checkIntervalMs: number;
  /** Output check interval while a new attempt has not produced output yet (live is reported this much sooner). */
  startCheckIntervalMs: number;
  /** Live this long resets the backoff. */
  liveResetMs: number;
  /** Probe interval while the camera is down. */
  probeIntervalMs: number;
  /** A start slot is given back this long after the spawn at the latest (before that: when live, or when the attempt ends). */
  slotHoldMs: number;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = { graceMs: 10_000, staleMs: 6_000, checkIntervalMs: 1_000, startCheckIntervalMs: 100, liveResetMs: 60_000, probeIntervalMs: 250, slotHoldMs: 5_000 };

const NOTE_INTERVAL_MS = 10_000;

/** One wait between attempts: the backoff timer and the probe loop share it. */
interface Wait {
  backoffDue: boolean;
  /** The probe saw the camera silent during this wait. */
  seenDown: boolean;
  probeTimer: unknown;
  inFlight: boolean;
}

export class Supervisor {
  private state: CameraStatus = 'unknown';
  private instance: IngestInstance | null = null;
  private running = false;
  private startedAt = 0;
  private liveSince: number | null = null;
  private wasLive = false;
  /** The attempt's stderr tail when it first went live: its exit is classified on the lines after it. */
  private liveTail: string[] = [];
  private runCounter = 0;
  private timer: unknown = null;
  private restartTimer: unknown = null;
  private wait: Wait | null = null;
  private lastNoteAt = -Infinity;
  private ending: Promise<void> | null = null;
  /** Bumped by every launch and stop: a launch that waited for a slot checks it is still the latest. */
  private launchSeq = 0;
  private slot: ReleaseSlot | null = null;
  private slotTimer: unknown = null;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private readonly opts: SupervisorOptions;

  constructor(
    readonly spec: IngestCameraSpec,
    private readonly deps: SupervisorDeps,
    opts: Partial<SupervisorOptions> = {},
  ) {
    this.backoff = deps.backoff ?? new Backoff();
    this.log = deps.log ?? silentLogger;
    this.opts = { ...DEFAULT_SUPERVISOR_OPTIONS, ...opts };
  }

  get cameraId(): string {
    return this.spec.id;
  }

  get status(): CameraStatus {
    return this.state;
  }

  /** The pid of the current attempt, if any (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.instance?.pid;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus('starting', null);
    void this.launch();
  }

  /** Stops restarts and closes the current attempt (SIGTERM: the open segment is finalised). */
  async stop(final: 'disabled' | null = null): Promise<void> {
    this.running = false;
    this.launchSeq += 1;
    this.freeSlot();
    this.clearTimers();
    const inst = this.instance;
    this.instance = null;
    if (inst) {
      await inst.close();
      await this.deps.onInstanceEnd?.(this.spec.id, inst.runId).catch(() => undefined);
    }
    if (this.ending) await this.ending;
    if (final) this.setStatus(final, STATUS_CAUSES.cameraDisabled);
  }

  private async launch(): Promise<void> {
    if (!this.running) return;
    const seq = ++this.launchSeq;
    if (this.deps.startSlots) {
      const release = await this.deps.startSlots.acquire();
      if (seq !== this.launchSeq || !this.running) return release();
      this.freeSlot();
      this.slot = release;
      this.slotTimer = this.deps.clock.setTimeout(() => this.freeSlot(), this.opts.slotHoldMs);
    }
    this.runCounter += 1;
    const runId = `${this.deps.clock.now().toString(36)}-${this.runCounter}`;
    const inst = this.deps.createInstance(this.spec, runId);
    this.instance = inst;
    this.startedAt = this.deps.clock.now();
    this.liveSince = null;
    this.wasLive = false;
    this.liveTail = [];
    try {
      await this.deps.beforeInstanceStart?.(this.spec.id, runId);
      if (this.instance !== inst || !this.running) return;
      await inst.start();
      // Replaced or stopped while it started: make sure no process of it is left running.
      if (this.instance !== inst) void inst.close();
    } catch (err) {
      if (this.instance !== inst) return;
      this.instance = null;
      this.log.warn({ cameraId: this.spec.id, err: (err as Error).message }, 'ingest attempt could not start');
      this.fail('offline', STATUS_CAUSES.ingestNotStarted, inst, detailLine((err as Error).message));
      return;
    }
    if (this.instance !== inst) return;
    inst.onNotice?.((n) => this.note(inst, n.cause, n.detail));
    void inst.exited.then((e) => this.onExit(inst, e));
    this.armCheck();
  }

  private armCheck(): void {
    const ms = this.liveSince === null ? Math.min(this.opts.startCheckIntervalMs, this.opts.checkIntervalMs) : this.opts.checkIntervalMs;
    this.timer = this.deps.clock.setTimeout(() => void this.check(), ms);
  }

  private async check(): Promise<void> {
    const inst = this.instance;
    if (!inst || !this.running) return;
    const mtime = await this.deps.outputMtime(this.spec.id).catch(() => null);
    if (this.instance !== inst || !this.running) return;
    const now = this.deps.clock.now();
    const fresh = mtime !== null && mtime >= this.startedAt && now - mtime <= this.opts.staleMs;
    if (fresh) {
      this.freeSlot();
      this.liveSince ??= now;
      if (!this.wasLive) this.liveTail = inst.stderrTail();
      this.wasLive = true;
      this.setStatus('live', null);
      if (now - this.liveSince >= this.opts.liveResetMs) this.backoff.reset();
      this.armCheck();
      return;
    }
    this.liveSince = null;
    if (now - this.startedAt < this.opts.graceMs) {
      this.armCheck();
      return;
    }
    const c = classifyStderr(inst.stderrTail());
    const age = mtime === null || mtime < this.startedAt ? 'no output since start' : `no output for ${Math.round((now - mtime) / 1000)} s`;
    this.log.warn({ cameraId: this.spec.id, runId: inst.runId, stderr: inst.stderrTail().slice(-20) }, 'ingest stalled, killing');
    this.instance = null;
    this.freeSlot();
    if (c && !this.wasLive) this.setStatus(c.status, c.cause, c.detail);
    else this.setStatus('stalled', STATUS_CAUSES.noVideo, `${age} while ffmpeg runs`);
    this.ending = (async () => {
      await inst.close();
      await this.deps.onInstanceEnd?.(this.spec.id, inst.runId).catch(() => undefined);
    })();
    await this.ending;
    this.ending = null;
    this.scheduleRestart();
  }

  private onExit(inst: IngestInstance, e: InstanceExit): void {
    if (this.instance !== inst || e.requested) return;
    this.instance = null;
    this.clearTimers();
    // A live attempt's exit is explained by what ffmpeg printed since, not by start-up warnings.
    const lines = this.wasLive ? linesAfter(this.liveTail, e.tail) : e.tail;
    const c = classifyStderr(lines, { afterLive: this.wasLive });
    const exitText = e.signal ? `ffmpeg killed by ${e.signal}` : `ffmpeg exited with code ${e.code}`;
    const why = c ? { cause: c.cause, detail: `${c.detail} (${exitText})` } : unclassifiedExit(e, lines);
    this.log.warn({ cameraId: this.spec.id, runId: inst.runId, code: e.code, signal: e.signal, stderr: e.tail }, 'ingest attempt ended');
    let status: CameraStatus = c?.status ?? 'offline';
    if (this.wasLive && status !== 'auth_failed' && status !== 'unsupported') status = 'reconnecting';
    this.fail(status, why.cause, inst, why.detail);
  }

  private fail(status: CameraStatus, cause: string, inst: IngestInstance, detail: string | null): void {
    this.freeSlot();
    this.setStatus(status, cause, detail);
    this.ending = (async () => {
      await this.deps.onInstanceEnd?.(this.spec.id, inst.runId).catch(() => undefined);
    })();
    void this.ending.then(() => {
      this.ending = null;
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    if (!this.running) return;
    const severe = this.state === 'auth_failed' || this.state === 'unsupported';
    const delay = this.backoff.next(this.deps.clock.now(), { atLeastLastStep: severe });
    this.log.info({ cameraId: this.spec.id, delayMs: delay, attempt: this.backoff.attempts }, 'ingest restart scheduled');
    const w: Wait | null = this.deps.probe ? { backoffDue: false, seenDown: false, probeTimer: null, inFlight: false } : null;
    this.wait = w;
    this.restartTimer = this.deps.clock.setTimeout(() => {
      this.restartTimer = null;
      if (!w) return void this.launch();
      w.backoffDue = true;
      if (w.inFlight) return; // the probe under way decides
      if (w.probeTimer !== null) this.deps.clock.clearTimeout(w.probeTimer);
      w.probeTimer = null;
      void this.probeOnce(w);
    }, delay);
    if (w) this.armProbe(w);
  }

  private armProbe(w: Wait): void {
    w.probeTimer = this.deps.clock.setTimeout(() => {
      w.probeTimer = null;
      void this.probeOnce(w);
    }, this.opts.probeIntervalMs);
  }

  /** One probe: launch when the camera answers and either the backoff is over or it was down. */
  private async probeOnce(w: Wait): Promise<void> {
    w.inFlight = true;
    const r = await this.deps.probe!(this.spec).catch((err: unknown) => probeFailure(undefined, String(err)));
    const ok = r === true;
    w.inFlight = false;
    if (this.wait !== w || !this.running) return;
    if (ok && (w.backoffDue || w.seenDown)) {
      if (w.seenDown) this.log.info({ cameraId: this.spec.id }, 'camera answers again, starting ingest');
      this.clearTimers();
      void this.launch();
      return;
    }
    if (r !== true) {
      w.seenDown = true;
      // No ffmpeg runs while the camera is silent, so the probe says what is wrong (a 'reconnecting'
      // camera that does not answer is unreachable/offline; auth_failed and unsupported stand).
      if (this.state !== 'auth_failed' && this.state !== 'unsupported') this.setStatus(r.status, r.cause, r.detail);
    }
    if (w.probeTimer === null) this.armProbe(w);
  }

  private freeSlot(): void {
    if (this.slotTimer !== null) this.deps.clock.clearTimeout(this.slotTimer);
    this.slotTimer = null;
    this.slot?.();
    this.slot = null;
  }

  private clearTimers(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    if (this.restartTimer !== null) this.deps.clock.clearTimeout(this.restartTimer);
    if (this.wait?.probeTimer != null) this.deps.clock.clearTimeout(this.wait.probeTimer);
    this.timer = null;
    this.restartTimer = null;
    this.wait = null;
  }

  /** A history line without a status change (at most one per noteIntervalMs). */
  private note(inst: IngestInstance, cause: string, detail: string): void {
    const now = this.deps.clock.now();
    if (this.instance !== inst || now - this.lastNoteAt < NOTE_INTERVAL_MS) return;
    this.lastNoteAt = now;
    this.log.warn({ cameraId: this.spec.id, runId: inst.runId, cause, detail }, 'ingest notice');
    this.deps.onStatus({ cameraId: this.spec.id, status: this.state, cause, detail, at: new Date(now).toISOString() });
  }

  private setStatus(status: CameraStatus, cause: string | null, detail: string | null = null): void {
    if (status === this.state) return;
    this.state = status;
    this.deps.onStatus({ cameraId: this.spec.id, status, cause, detail, at: new Date(this.deps.clock.now()).toISOString() });
  }
}
