/**
 * Camera changes between processes that share one database (api and worker roles): each process
 * NOTIFYs the others of the camera events on its bus (ids only, after commit), and turns their
 * notifications into `camera:remote-change` on its own bus, which the ingest runtime follows at
 * once instead of waiting for its periodic resync. Bursts (a bulk import) go out as one `resync`
 * notice. Browsers are not involved: the process that
 * made a change already told them (through the Redis adapter where there is one).
 * Payloads are untrusted input: malformed ones are dropped.
 */
import type { Database } from '@server/db/database';
import { FORWARDED_CAMERA_EVENTS, type EventBus, type ForwardedCameraEvent } from './bus';
import { UUID } from '@common/uuid';

export const CHANGE_CHANNEL = 'skyeye_camera_changes';

type Wire = { o: string; e: ForwardedCameraEvent; id: string } | { o: string; e: 'resync' | 'released' };

/** More changes than this within one flush (a bulk import) go out as a single `resync`. */
const MAX_PER_FLUSH = 20;
const FLUSH_MS = 20;

/** A notification payload, or null when it is not one of ours. */
export function parseChange(payload: string): Wire | null {
  if (payload.length > 1000) return null;
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const { o, e, id } = v as Record<string, unknown>;
  if (typeof o !== 'string') return null;
  if (e === 'resync' || e === 'released') return { o, e };
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  if (!(FORWARDED_CAMERA_EVENTS as readonly unknown[]).includes(e)) return null;
  return { o, e: e as ForwardedCameraEvent, id };
}

export interface ChangeFeedDeps {
  database: Pick<Database, 'listen' | 'query'>;
  bus: EventBus;
  /** This process (its own notifications come back to it and are ignored). */
  origin: string;
  log: { warn(obj: object, msg: string): void };
}

export async function startChangeFeed(deps: ChangeFeedDeps): Promise<{ stop(): Promise<void> }> {
  const { bus, origin, log } = deps;
  const unlisten = await deps.database.listen(CHANGE_CHANNEL, {
    onMessage(payload) {
      const c = parseChange(payload);
      if (!c || c.o === origin) return;
      bus.publish('camera:remote-change', 'id' in c ? { event: c.e, id: c.id } : { event: c.e, id: null });
    },
    onReconnect: () => bus.publish('camera:remote-change', { event: 'resync', id: null }),
    onError: (err) => log.warn({ err }, 'camera change feed: connection lost, reconnecting'),
  });
  const send = (w: Wire) => {
    deps.database.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(w)]).catch((err: unknown) => {
      log.warn({ err, event: w.e }, 'camera change not announced to other processes (they resync within seconds)');
    });
  };
  // Changes are sent in short batches; a burst (bulk import) becomes one resync notice instead of
  // thousands of notifications.
  let pending: Array<{ e: ForwardedCameraEvent; id: string }> = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length > MAX_PER_FLUSH) send({ o: origin, e: 'resync' });
    else for (const c of batch) send({ o: origin, ...c });
  };
  const notify = (e: ForwardedCameraEvent, id: string) => {
    pending.push({ e, id });
    timer ??= setTimeout(flush, FLUSH_MS);
  };
  const offs = [
    ...FORWARDED_CAMERA_EVENTS.map((e) => bus.subscribe(e, (p) => notify(e, p.id))),
    // A bulk import is one resync notice for the others, whatever its size.
    bus.subscribe('cameras:imported', () => send({ o: origin, e: 'resync' })),
    // Leases handed back: the others take them over now (one notice per release, not batched).
    bus.subscribe('leases:released', () => send({ o: origin, e: 'released' })),
  ];
  return {
    async stop() {
      for (const off of offs) off();
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      await unlisten();
    },
  };
}
