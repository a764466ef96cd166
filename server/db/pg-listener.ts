/**
 * LISTEN on PostgreSQL for Database.listen: one long-lived connection of its own (not from the
 * pool), reconnecting with a stepped delay when it drops, and saying so (onReconnect) so the
 * caller can catch up on what it may have missed.
 */
import pg from 'pg';
import type { ListenHandlers } from './database';

export interface PgListener {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function pgListener(url: string, channel: string, h: ListenHandlers): PgListener {
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let first = true;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === channel) h.onMessage(n.payload ?? '');
    });
    c.on('error', (err) => {
      h.onError?.(err);
      retry(c);
    });
    c.on('end', () => retry(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (err) {
      h.onError?.(err as Error);
      retry(c);
      return;
    }
    attempt = 0;
    if (first) {
      first = false;
      resolveReady();
    } else h.onReconnect?.();
  };
  const retry = (c: pg.Client) => {
    if (stopped || client !== c) return;
    client = null;
    void c.end().catch(() => undefined);
    const delay = [250, 1000, 2000, 5000][Math.min(attempt++, 3)]!;
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
    if (first) {
      first = false;
      resolveReady(); // start-up goes on; the connection keeps trying and reports onReconnect
    }
  };
  void connect();
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
