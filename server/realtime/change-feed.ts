/**
 * Camera changes between processes that share one database (api and worker roles): each process
 * NOTIFYs the others of the camera events on its bus (ids only, after commit), and turns their
 * notifications into `camera:remote-change` on its own bus, which the ingest runtime follows at
 * once instead of waiting for its periodic resync. Browsers are not involved: the process that
 * made a change already told them (through the Redis adapter where there is one).
 * Payloads are untrusted input: malformed ones are dropped.
 */
import type { Database } from '@server/db/database';
import { FORWARDED_CAMERA_EVENTS, type EventBus, type ForwardedCameraEvent } from './bus';

export const CHANGE_CHANNEL = 'skyeye_camera_changes';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Wire {
  o: string;
  e: ForwardedCameraEvent;
  id: string;
}

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
  if (typeof o !== 'string' || typeof id !== 'string' || !UUID.test(id)) return null;
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
      if (c && c.o !== origin) bus.publish('camera:remote-change', { event: c.e, id: c.id });
    },
    onReconnect: () => bus.publish('camera:remote-change', { event: 'resync', id: null }),
    onError: (err) => log.warn({ err: err.message }, 'camera change feed: connection lost, reconnecting'),
  });
  const notify = (e: ForwardedCameraEvent, id: string) => {
    const payload = JSON.stringify({ o: origin, e, id } satisfies Wire);
    deps.database.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]).catch((err: unknown) => {
      log.warn({ err: (err as Error).message, event: e, cameraId: id }, 'camera change not announced to other processes (they resync within seconds)');
    });
  };
  const offs = FORWARDED_CAMERA_EVENTS.map((e) => bus.subscribe(e, (p) => notify(e, p.id)));
  return {
    async stop() {
      for (const off of offs) off();
      await unlisten();
    },
  };
}
