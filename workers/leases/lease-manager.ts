/**
 * Keeps this worker's fair share of camera leases: heartbeat, renew, take free or expired
 * leases up to ceil(cameras / live workers), hand extra ones back when a worker joins, and
 * fence itself (stop everything) when it could not renew in time.
 *
 * The caller drives tick() (never two at once) and calls stop() after the last round.
 * onAcquire/onLose are the ingest manager's start/stop; onLose is awaited before a lease is
 * released, and the leases are renewed throughout a round's (or a stop's) slow work, so no camera
 * is ever ingested by two workers at once.
 */
import type { Clock } from '@common/clock';
import { HeldCameras } from './held-cameras';
import type { Lease, LeaseStore } from './lease-store';
import { leaseTiming, type LeaseTiming } from './timing';

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
  private lastRenewOk: number;
  private takeoverInMs: number | null = null;

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
      const renewed = await repo.renew(workerId, ttlMs);
      this.lastRenewOk = clock.now().getTime();
      await this.keepingAlive(() => this.shareOut(new Set(renewed.map((l) => l.cameraId))));
    } catch (err) {
      // Could not reach the database: once the lease may have expired for others, stop writing.
      if (clock.now().getTime() - this.lastRenewOk > ttlMs * 0.8) {
        for (const id of this.held.ids()) await this.lose(id, 'fenced', false);
      }
      throw err;
    }
  }

  /** The round after its renewal: lets go of what was lost or is not ours to keep, takes its share. */
  private async shareOut(still: Set<string>): Promise<void> {
    const { repo, workerId, ttlMs } = this.opts;
    for (const id of this.held.ids()) if (!still.has(id)) await this.lose(id, 'expired', false);

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

  /**
   * Runs `work` while renewing this worker's leases every round interval. A round's or a stop's
   * work can outlast a lease (each lose() awaits an ffmpeg's exit, each acquire its start, one
   * after the other): without this the leases not yet reached lapsed, and another worker took a
   * camera this one still pulled (the chaos test saw two PLAY sessions of one camera overlap by
   * 3 s). Only extends: a lease lost meanwhile is the next round's to find.
   */
  private async keepingAlive<T>(work: () => Promise<T>): Promise<T> {
    const { repo, workerId, ttlMs, clock } = this.opts;
    let done = false;
    let timer: { cancel(): void } | null = null;
    const beat = () => {
      timer = null;
      void repo.renew(workerId, ttlMs).then(
        () => void (this.lastRenewOk = clock.now().getTime()),
        (err: unknown) => this.opts.onError?.(err),
      ).finally(() => {
        if (!done) timer = clock.setTimeout(beat, this.timing.roundMs);
      });
    };
    timer = clock.setTimeout(beat, this.timing.roundMs);
    try {
      return await work();
    } finally {
      done = true;
      timer?.cancel();
    }
  }

  private async lose(cameraId: string, reason: Parameters<LeaseManagerOptions['onLose']>[1], release: boolean): Promise<void> {
    this.held.letGo(cameraId);
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
    await this.opts.repo.leave(this.opts.workerId).catch((err: unknown) => this.opts.onError?.(err));
    await this.keepingAlive(async () => {
      for (const id of this.held.ids()) {
        await this.lose(id, 'shutdown', true).catch((err: unknown) => this.opts.onError?.(err));
      }
    });
    await this.opts.repo.retire(this.opts.workerId).catch((err: unknown) => this.opts.onError?.(err));
  }
}
