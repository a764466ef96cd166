/**
 * Keeps this worker's fair share of camera leases: heartbeat, renew, take free or expired
 * leases up to ceil(cameras / live workers), hand extra ones back when a worker joins, and
 * fence itself (stop everything, every camera at once) when it could not renew in time.
 *
 * The caller drives tick() (never two at once), calls start() once to keep the leases renewed
 * between and during rounds, and stop() after the last round. onAcquire/onLose are the ingest
 * manager's start/stop; onLose is awaited before a lease is released, and the leases are renewed
 * on their own beat whatever a round (or a stop) is doing, so no camera is ever ingested by two
 * workers at once.
 */
import type { Clock } from '@common/clock';
import { HeldCameras } from './held-cameras';
import type { Lease, LeaseStore } from './lease-store';
import { leaseTiming, type LeaseTiming } from './timing';

/** Without a successful renewal for this share of the ttl, a worker stops ingesting (fences itself). */
const FENCE_AT = 0.8;

export interface LeaseManagerOptions {
  repo: LeaseStore;
  workerId: string;
  baseUrl?: string | null;
  ttlMs: number;
  /** Most cameras this worker holds, whatever its fair share (its capacity). Default unlimited. */
  maxCameras?: number;
  /** Most leases taken in one round, so a burst of new cameras starts in steps. Default 16. */
  acquirePerRound?: number;
  clock: Clock;
  /** Where held cameras are kept (shared with the ingest runtime, which sets their specs). */
  held?: HeldCameras;
  onAcquire(lease: Lease): Promise<void> | void;
  onLose(cameraId: string, reason: 'expired' | 'rebalance' | 'unapproved' | 'fenced' | 'shutdown'): Promise<void> | void;
  /** Leases were handed back (expired at once): tell the other workers, so they take them now. */
  onReleased?(cameraIds: string[]): void;
  onError?(err: unknown): void;
}

export class LeaseManager {
  private readonly held: HeldCameras;
  private readonly timing: LeaseTiming;
  /** When the last renewal that succeeded was sent (the database extended every lease after that). */
  private lastRenewOk: number;
  private takeoverInMs: number | null = null;
  private beat: { timer: { cancel(): void } | null; watchdog: { cancel(): void } | null } | null = null;

  constructor(private readonly opts: LeaseManagerOptions) {
    this.held = opts.held ?? new HeldCameras();
    this.timing = leaseTiming(opts.ttlMs);
    this.lastRenewOk = opts.clock.now().getTime();
  }

  /**
   * After a round that left this worker under its share: ms until a silent worker's lease
   * expires (run the next round then, not a whole round later); null otherwise.
   */
  get nextTakeoverMs(): number | null {
    return this.takeoverInMs;
  }

  get leases(): Lease[] {
    return this.held.leases();
  }

  /** One round. The caller runs rounds one at a time (server/ingest runs them as a named loop). */
  async tick(): Promise<void> {
    const { repo, workerId, ttlMs, clock } = this.opts;
    try {
      await repo.heartbeat(workerId, this.opts.baseUrl ?? null);
      const renewed = await this.renew();
      await this.shareOut(new Set(renewed.map((l) => l.cameraId)));
    } catch (err) {
      // Could not reach the database: once the lease may have expired for others, stop writing.
      // Not awaited: the stops' database work may hang as long as the database does, and the
      // next rounds must still run (and hand the fenced cameras back) once it answers.
      if (clock.now().getTime() - this.lastRenewOk > ttlMs * FENCE_AT) void this.fence();
      throw err;
    }
  }

  /**
   * Renews this worker's leases every half round from now until stop() ends, whatever the rounds
   * are doing: a round's slow work (each lose() awaits an ffmpeg's exit, each acquire its start),
   * the status repairs after it, the wait between rounds, a graceful stop's archive flush. Before,
   * renewals came only with rounds (and during their slow part): a lease could lapse in the other
   * gaps, and another worker take a camera this one still pulled (the chaos test saw two PLAY
   * sessions of one camera overlap by 3 s, later, in CI, by 0.3 s). Only extends: a lease lost
   * meanwhile is the next round's to find. A renewal does not wait for the one before (up to
   * three at once): one that waits on row locks (a status write holds its camera's lease row)
   * then does not hold back the next, and the one sent last tells how fresh the leases are. A
   * watchdog fences this worker (stops every ingest) when no renewal sent in the last 0.8 ttl has
   * succeeded, however the rounds and renewals are stuck. (In a chaos run's start-up, renewals took
   * up to 1.6 s, 3 s leases: one at a time a round apart, the watchdog fenced a healthy worker.)
   */
  start(): void {
    if (this.beat) return;
    const { clock } = this.opts;
    const beat: NonNullable<LeaseManager['beat']> = { timer: null, watchdog: null };
    this.beat = beat;
    const everyMs = Math.max(50, Math.floor(this.timing.roundMs / 2));
    let inFlight = 0;
    const send = () => {
      if (this.beat !== beat) return;
      beat.timer = clock.setTimeout(send, everyMs);
      if (inFlight >= 3) return;
      inFlight += 1;
      void this.renew()
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => (inFlight -= 1));
    };
    beat.timer = clock.setTimeout(send, everyMs);
    this.armWatchdog();
  }

  /**
   * Renews and notes when the successful request was sent (the database extended every lease
   * after that moment). A round sends its own: one sent before the round's acquisitions would
   * miss them.
   */
  private async renew(sentAt = this.opts.clock.now().getTime()): Promise<Lease[]> {
    const leases = await this.opts.repo.renew(this.opts.workerId, this.opts.ttlMs);
    this.lastRenewOk = Math.max(this.lastRenewOk, sentAt);
    this.armWatchdog();
    return leases;
  }

  private armWatchdog(): void {
    const beat = this.beat;
    if (!beat) return;
    beat.watchdog?.cancel();
    const { clock, ttlMs } = this.opts;
    beat.watchdog = clock.setTimeout(
      () => {
        beat.watchdog = null;
        if (this.beat !== beat) return;
        if (clock.now().getTime() - this.lastRenewOk < ttlMs * FENCE_AT) return this.armWatchdog();
        void this.fence();
      },
      Math.max(0, this.lastRenewOk + ttlMs * FENCE_AT - clock.now().getTime()),
    );
  }

  /**
   * Stops every ingest of this worker without handing leases back (they may be others' already),
   * all cameras at once: a stop that waits on the database (a camera's last segment row, its
   * status) must not keep the others pulling past their lease. Each call takes the cameras held
   * at that moment, so a fence still stopping (the database silent) never keeps a later one from
   * stopping cameras taken since.
   */
  private async fence(): Promise<void> {
    const stops = await this.loseAll(this.held.ids(), 'fenced');
    for (const s of stops) if (s.status === 'rejected') this.opts.onError?.(s.reason);
  }

  /**
   * Stops these cameras at once, without handing their leases back. Every one is let go (spec
   * dropped) before the first onLose is called, so whatever each onLose reads of the held specs
   * already lacks them all.
   */
  private loseAll(ids: string[], reason: 'fenced' | 'expired'): Promise<Array<PromiseSettledResult<void>>> {
    for (const id of ids) this.held.letGo(id);
    return Promise.allSettled(ids.map((id) => this.stopLost(id, reason, false)));
  }

  /** The round after its renewal: lets go of what was lost or is not ours to keep, takes its share. */
  private async shareOut(still: Set<string>): Promise<void> {
    const { repo, workerId, ttlMs } = this.opts;
    // Lost (maybe others' already): stopped all at once, like a fence.
    const expired = await this.loseAll(this.held.ids().filter((id) => !still.has(id)), 'expired');
    for (const s of expired) if (s.status === 'rejected') throw s.reason;
    // Still ours but not ingested here (fenced while the database was slow, then renewed after
    // all): hand them back, or every renewal would keep them from the others, unwatched.
    const orphans = [...still].filter((id) => this.held.tokenOf(id) === undefined);
    if (orphans.length) {
      await repo.release(workerId, orphans);
      this.opts.onReleased?.(orphans);
    }

    for (const id of await repo.unapproved(workerId)) await this.lose(id, 'unapproved', true);

    // Silent workers (dead, cut off) are counted out at once: their cameras are shared by the rest.
    const { workers, cameras } = await repo.census(Math.min(this.timing.silentMs, ttlMs));
    const share = Math.min(this.opts.maxCameras ?? Infinity, Math.ceil(cameras / workers));
    this.takeoverInMs = null;
    const held = this.held.ids();
    if (held.length > share) {
      const extra = held.slice(share);
      for (const id of extra) await this.lose(id, 'rebalance', true);
    } else if (held.length < share) {
      for (const lease of await repo.acquire(workerId, Math.min(share - held.length, this.opts.acquirePerRound ?? 16), ttlMs)) {
        this.held.take(lease);
        await this.opts.onAcquire(lease);
      }
      if (this.held.ids().length < share) this.takeoverInMs = await repo.nextTakeoverMs(workerId, this.timing.silentMs);
    }
  }

  private async lose(cameraId: string, reason: Parameters<LeaseManagerOptions['onLose']>[1], release: boolean): Promise<void> {
    // Already being stopped (fenced while a round or a stop went through its list): once is enough.
    if (!this.held.isHeld(cameraId) && this.held.tokenOf(cameraId) !== undefined) return;
    this.held.letGo(cameraId);
    await this.stopLost(cameraId, reason, release);
  }

  /** After letGo: stops the camera's ingest (onLose), forgets it, hands the lease back if asked. */
  private async stopLost(cameraId: string, reason: Parameters<LeaseManagerOptions['onLose']>[1], release: boolean): Promise<void> {
    try {
      await this.opts.onLose(cameraId, reason);
    } finally {
      this.held.forget(cameraId);
    }
    if (release) {
      await this.opts.repo.release(this.opts.workerId, [cameraId]);
      this.opts.onReleased?.([cameraId]);
    }
  }

  /**
   * A graceful stop hands every camera over at once: the heartbeat goes first (the others count
   * this worker out of the fair share), then each camera's ingest stops and its lease is released
   * right after (the others are told and take it now), then whatever is left is retired.
   */
  async stop(): Promise<void> {
    this.start(); // renewed until the last camera is handed over
    await this.opts.repo.leave(this.opts.workerId).catch((err: unknown) => this.opts.onError?.(err));
    for (const id of this.held.ids()) {
      await this.lose(id, 'shutdown', true).catch((err: unknown) => this.opts.onError?.(err));
    }
    await this.opts.repo.retire(this.opts.workerId).catch((err: unknown) => this.opts.onError?.(err));
    this.beat?.timer?.cancel();
    this.beat?.watchdog?.cancel();
    this.beat = null;
  }
}
