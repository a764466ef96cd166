/**
 * Drives a LeaseManager's rounds one at a time: every intervalMs, and soon after kick() (a camera
 * was created, approved, suspended or deleted). Rounds never overlap; stop() waits for the
 * running one, so the manager's own stop() can then hand everything back.
 */
import type { LeaseManager } from '@workers/leases/lease-manager';

export class LeaseLoop {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly leases: Pick<LeaseManager, 'tick'>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly kickDelayMs = 50,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Run a round soon (coalesced with other kicks and with a running round). */
  kick(): void {
    if (this.stopped) return;
    if (this.inFlight) this.again = true;
    else this.schedule(this.kickDelayMs);
  }

  /** Resolves after the next complete round (for callers that must see its effect). */
  async settle(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    this.kick();
    await new Promise((r) => setTimeout(r, this.kickDelayMs + 10));
    if (this.inFlight) await this.inFlight;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), ms);
  }

  private run(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.leases
      .tick()
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.inFlight = null;
        const soon = this.again;
        this.again = false;
        this.schedule(soon ? this.kickDelayMs : this.intervalMs);
      });
  }
}
