/**
 * Keeps a playing tile's playback token fresh: before each expiry (timing.ts refreshDelayMs) it
 * fetches new URLs (GET /cameras/{id}/live) and hands them to the player — HLS swaps the token
 * its requests carry, FLV renews its open stream on the server. A player that cannot take them
 * in place is restarted; a failed fetch or renewal is retried a little later (the tile keeps
 * playing on the old token meanwhile; if it runs out, the player fails and the tile recovers).
 * Timers and the clock are injected, so the schedule is unit-tested with fakes.
 */
import type { LiveUrls } from '@web/api/live';
import { refreshDelayMs } from './timing';

export const RENEW_RETRY_MS = 5_000;

export interface RenewalDeps {
  fetchUrls(): Promise<LiveUrls>;
  /** The player takes the fresh URLs: true when done in place, false when it must be re-created. */
  refresh(urls: LiveUrls): Promise<boolean>;
  restart(): void;
  /** Runs `fn` after `ms` unless the tile has closed meanwhile. */
  later(fn: () => void, ms: number): void;
  now(): number;
  closed(): boolean;
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

/** Starts the renewal loop for URLs that expire at `expiresAt`. */
export function keepRenewing(d: RenewalDeps, expiresAt: string | undefined): void {
  const schedule = (at: string | undefined, delay = refreshDelayMs(at, d.now())) =>
    d.later(() => {
      d.fetchUrls()
        .then(async (fresh) => {
          if (d.closed()) return;
          if (await d.refresh(fresh)) {
            if (!d.closed()) schedule(fresh.expiresAt);
          } else if (!d.closed()) d.restart();
        })
        .catch((e: unknown) => {
          if (!d.closed() && !isAbort(e)) schedule(undefined, RENEW_RETRY_MS);
        });
    }, delay);
  schedule(expiresAt);
}

/** A random v4 UUID (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newStreamId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
