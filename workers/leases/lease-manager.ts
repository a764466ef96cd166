/**
 * Keeps this worker's fair share of camera leases: heartbeat, renew, take free or expired
 * leases up to ceil(cameras / live workers), hand extra ones back when a worker joins, and
 * fence itself (stop everything) when it could not renew in time.
 *
 * onAcquire/onLose are the ingest manager's start/stop; onLose is awaited before a lease is
 * released, so no camera is ever ingested by two workers at once.
 */
import type { Clock } from '@common/clock';
import type { Lease, LeaseRepository } from './lease-repository';

export interface LeaseManagerOptions {
  repo: LeaseRepository;
  workerId: string;
  baseUrl?: string | null;
  ttlMs: number;
  /** Most cameras this worker holds, whatever its fair share (its capacity). Default unlimited. */
  maxCameras?: number;
  /** Most leases taken in one round, so a burst of new cameras starts in steps. Default 16. */
  acquirePerRound?: number;
  clock: Clock;
  onAcquire(lease: Lease): Promise<void> | void;
  onLose(cameraId: string, reason: 'expired' | 'rebalance' | 'unapproved' | 'fenced' | 'shutdown'): Promise<void> | void;
  onError?(err: unknown): void;
}

export class LeaseManager {
  private readonly held = new Map<string, Lease>();
  private lastRenewOk: number;
  private timer: { cancel(): void } | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: LeaseManagerOptions) {
    this.lastRenewOk = opts.clock.now().getTime();
  }

  get leases(): Lease[] {
    return [...this.held.values()];
  }

  token(cameraId: string): number | undefined {
    return this.held.get(cameraId)?.token;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.running = this.tick()
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => this.schedule(Math.max(250, Math.floor(this.opts.ttlMs / 3))));
    }, ms);
  }

  /** One round; exported for tests, which drive it without timers. */
  async tick(): Promise<void> {
    const { repo, workerId, ttlMs, clock } = this.opts;
    try {
      await repo.heartbeat(workerId, this.opts.baseUrl ?? null);
      const renewed = await repo.renew(workerId, ttlMs);
      this.lastRenewOk = clock.now().getTime();
      const still = new Set(renewed.map((l) => l.cameraId));
      for (const id of [...this.held.keys()]) if (!still.has(id)) await this.lose(id, 'expired', false);

      for (const id of await repo.unapproved(workerId)) await this.lose(id, 'unapproved', true);

      const { workers, cameras } = await repo.census(ttlMs);
      const share = Math.min(this.opts.maxCameras ?? Infinity, Math.ceil(cameras / workers));
      if (this.held.size > share) {
        const extra = [...this.held.keys()].slice(share);
        for (const id of extra) await this.lose(id, 'rebalance', true);
      } else if (this.held.size < share) {
        for (const lease of await repo.acquire(workerId, Math.min(share - this.held.size, this.opts.acquirePerRound ?? 16), ttlMs)) {
          this.held.set(lease.cameraId, lease);
          await this.opts.onAcquire(lease);
        }
      }
    } catch (err) {
      // Could not reach the database: once the lease may have expired for others, stop writing.
      if (clock.now().getTime() - this.lastRenewOk > ttlMs * 0.8) {
        for (const id of [...this.held.keys()]) await this.lose(id, 'fenced', false);
      }
      throw err;
    }
  }

  private async lose(cameraId: string, reason: Parameters<LeaseManagerOptions['onLose']>[1], release: boolean): Promise<void> {
    this.held.delete(cameraId);
    await this.opts.onLose(cameraId, reason);
    if (release) await this.opts.repo.release(this.opts.workerId, [cameraId]);
  }

  /** Stops ingest of every held camera, then hands the leases back for others to take at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
    for (const id of [...this.held.keys()]) await this.lose(id, 'shutdown', false);
    await this.opts.repo.retire(this.opts.workerId).catch((err: unknown) => this.opts.onError?.(err));
  }
}
