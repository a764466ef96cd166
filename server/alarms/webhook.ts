/**
 * Webhook delivery from the durable outbox (alarm_outbox), the loop `alarms.webhook` of every
 * process that serves browsers. Only the oldest undelivered event is ever claimed (a lease on
 * its row, so one process sends at a time) and the next waits until it is delivered: a receiver
 * that was down gets every event, in order, once it answers 2xx again. Failed attempts back off
 * 1 s, 2 s, 4 s ... capped at alarms.webhookRetryMax; retries never stop.
 *
 * Each POST carries the event as JSON, `X-SkyEye-Event` (type), `X-SkyEye-Delivery` (the event
 * id: receivers dedupe on it, delivery is at least once) and `X-SkyEye-Signature:
 * sha256=<hex HMAC-SHA256 of the raw body with alarms.webhookSecret>`. Neither the secret nor the
 * URL is logged (the URL may carry a token); errors are logged by status or error code.
 */
import { createHmac } from 'node:crypto';
import type { Loop, Loops } from '@common/loops';
import type { AlarmsRepository } from './repository';

export const SIGNATURE_HEADER = 'x-skyeye-signature';

/** `sha256=<hex>` of the body. Pure. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Wait before attempt `attempts + 1` after `attempts` failed ones. Pure. */
export function backoffMs(attempts: number, maxMs: number): number {
  return Math.min(maxMs, 1000 * 2 ** Math.max(0, Math.min(30, attempts - 1)));
}

/** The HTTP client (fetch in production), behind a port so unit tests need no server. */
export interface WebhookPoster {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number>;
}

export const fetchPoster: WebhookPoster = {
  async post(url, body, headers, timeoutMs) {
    const res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  },
};

export interface WebhookDeps {
  repo: Pick<AlarmsRepository, 'claimHead' | 'delivered' | 'failed' | 'pruneDelivered'>;
  poster: WebhookPoster;
  url: string;
  secret: string;
  timeoutMs: number;
  retryMaxMs: number;
  /** This process (the claim holder). */
  holder: string;
  log: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

/** Why an attempt failed, without the URL or anything from the receiver's body. */
function reason(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return 'timeout';
  return e?.cause?.code ?? e?.code ?? (e?.name || 'error');
}

export class WebhookOutbox {
  private passes = 0;

  constructor(private readonly deps: WebhookDeps) {}

  /** Sends due events in order until one fails or none is left; returns how many were delivered. */
  async pass(): Promise<number> {
    const { repo, holder } = this.deps;
    if (this.passes++ % 600 === 0) await repo.pruneDelivered(7 * 86_400_000);
    let sent = 0;
    for (let i = 0; i < 200; i++) {
      const head = await repo.claimHead(holder, this.deps.timeoutMs + 5_000);
      if (!head) return sent;
      const body = JSON.stringify({ id: head.id, ...(head.payload as object) });
      const headers = { 'Content-Type': 'application/json', 'User-Agent': 'SkyEye-Alarms/1', 'X-SkyEye-Event': head.event, 'X-SkyEye-Delivery': head.id, 'X-SkyEye-Signature': signBody(this.deps.secret, body) };
      let error: string | null = null;
      try {
        const status = await this.deps.poster.post(this.deps.url, body, headers, this.deps.timeoutMs);
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (err) {
        error = reason(err);
      }
      if (error === null) {
        await repo.delivered(head.id, holder);
        this.deps.log.debug({ eventId: head.id, event: head.event }, 'alarm webhook delivered');
        sent++;
        continue;
      }
      const wait = backoffMs(head.attempts, this.deps.retryMaxMs);
      await repo.failed(head.id, holder, wait, error);
      this.deps.log.warn({ eventId: head.id, event: head.event, attempts: head.attempts, error, retryInMs: wait }, 'alarm webhook delivery failed; retrying');
      return sent;
    }
    return sent;
  }

  start(loops: Loops): Loop {
    return loops.add('alarms.webhook', 1_000, () => this.pass(), { firstRunMs: 0 });
  }
}
