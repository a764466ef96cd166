/**
 * socket.io on the API's HTTP port, authenticated with the same session as the REST API (the
 * httpOnly cookie, or `auth: {token}` for API clients). Each socket joins `user:<id>` and
 * `session:<id>`; staff (everyone but merchants) also join `staff`. Bus events are forwarded to
 * exactly the users allowed to see them: camera events to staff and the owning merchant,
 * discovery events to staff. With redis.url set, a Redis adapter carries them between api and
 * worker processes.
 */
import type { Server as HttpServer } from 'node:http';
import { readCookie } from '@common/cookies';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { AuthService } from '@server/auth/auth-service';
import { SESSION_COOKIE } from '@server/auth/middleware';
import type { AuthUser } from '@server/auth/types';
import type { Logger } from '@server/http/logger';
import type { BusEvents, EventBus } from './bus';
import { forViewer, merchantCause } from '@server/cameras/mapper';
import type { Camera } from '@server/cameras/schemas';
import type { AlarmsChangedEvent } from '@common/alarms';
import type { RecordingGapsEvent } from '@common/timeline';
import { CAMERAS_IMPORTED_MAX_IDS, type CamerasImportedEvent } from '@common/events';

export interface Realtime {
  io: Server;
  close(): Promise<void>;
}

export interface RealtimeOptions {
  bus: EventBus;
  logger: Logger;
  redisUrl?: string;
  redisPrefix?: string;
  /** The camera as the API shows it, for events published without one. */
  loadCamera(id: string): Promise<unknown | null>;
  /** Absent in a worker process: it only emits, through the adapter. */
  auth?: AuthService;
  /** Origin check for cookie-authenticated handshakes (Origin header, Host header); default: any. */
  originAllowed?(origin: string | undefined, host: string | undefined): boolean;
}

const STAFF = 'staff';
const rooms = (owner: string | null): string[] => (owner ? [STAFF, `user:${owner}`] : [STAFF]);

export async function startRealtime(server: HttpServer | null, o: RealtimeOptions): Promise<Realtime> {
  const io = new Server({ path: '/socket.io', serveClient: false, maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 10_000 });
  const closers: Array<() => Promise<unknown>> = [];
  if (o.redisUrl) {
    const pub = createClient({ url: o.redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (err) => o.logger.warn({ err }, 'realtime: redis publisher error'));
    sub.on('error', (err) => o.logger.warn({ err }, 'realtime: redis subscriber error'));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub, { key: o.redisPrefix ?? 'skyeye' }));
    closers.push(() => pub.quit(), () => sub.quit());
  }
  if (server && o.auth) {
    const auth = o.auth;
    io.attach(server);
    io.use(async (socket, next) => {
      try {
        const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
        const token = typeof fromAuth === 'string' ? fromAuth : readCookie(socket.handshake.headers.cookie ?? '', SESSION_COOKIE);
        const { origin, host } = socket.handshake.headers;
        if (typeof fromAuth !== 'string' && o.originAllowed && !o.originAllowed(origin, host)) return next(new Error('forbidden: origin not allowed'));
        const s = token ? await auth.resolve(token) : null;
        if (!s) return next(new Error('unauthorized: sign in first'));
        socket.data.user = { ...s.user, via: typeof fromAuth === 'string' ? 'bearer' : 'cookie' } satisfies AuthUser;
        socket.data.sessionId = s.sessionId;
        next();
      } catch (err) {
        next(err as Error);
      }
    });
    io.on('connection', (socket) => {
      const user = socket.data.user as AuthUser;
      void socket.join([`user:${user.id}`, `session:${socket.data.sessionId as string}`, ...(user.role === 'merchant' ? [] : [STAFF])]);
    });
  }

  const unsubscribe = forwardBus(io, o);
  return {
    io,
    async close() {
      unsubscribe();
      // Only this process's sockets, and so that clients come back (to another api process or to
      // this one restarted): closing the engine ends each connection with 'transport close', which
      // socket.io clients retry by themselves. Never io.disconnectSockets(): through the Redis
      // adapter it reaches every api process, and 'io server disconnect' is a reason clients do not
      // retry — a rolling restart would cut off every console for good (issue 13).
      // io.close() also closes the HTTP server; the composition root owns that, so close only engine and adapter.
      io.engine?.close();
      for (const c of closers) await c().catch(() => undefined);
    },
  };
}

/** A summary (server/realtime/burst.ts) to staff whole, and to each owning merchant with only their own count. */
function emitCounts<E extends { count: number }>(to: (room: string) => ReturnType<Server['to']>, name: string, event: E, byOwner: Record<string, number>): void {
  to(STAFF).emit(name, event);
  for (const [owner, count] of Object.entries(byOwner)) to(`user:${owner}`).except(STAFF).emit(name, { ...event, count });
}

function forwardBus(io: Server, o: RealtimeOptions): () => void {
  const withCamera = async (p: BusEvents['camera:created']): Promise<unknown | null> => p.camera ?? (await o.loadCamera(p.id).catch(() => null));
  const offs = [
    ...(['camera:created', 'camera:updated'] as const).map((name) =>
      o.bus.subscribe(name, (p) => {
        void withCamera(p).then((camera) => {
          if (!camera) return;
          io.to(STAFF).emit(name, camera);
          if (p.ownerUserId) io.to(`user:${p.ownerUserId}`).except(STAFF).emit(name, forViewer({ role: 'merchant' }, camera as Camera));
        });
      }),
    ),
    // One summary per bulk import: a 10k import to 1,000 consoles is 1,000 frames, not 10 million.
    o.bus.subscribe('cameras:imported', ({ ids }) => {
      const event: CamerasImportedEvent = ids.length <= CAMERAS_IMPORTED_MAX_IDS ? { count: ids.length, ids } : { count: ids.length };
      io.to(STAFF).emit('cameras:imported', event);
    }),
    o.bus.subscribe('camera:deleted', (p) => io.to(rooms(p.ownerUserId)).emit('camera:deleted', { id: p.id })),
    o.bus.subscribe('camera:status', (p) => {
      const event = { cameraId: p.cameraId, status: p.status, cause: p.cause, at: p.at };
      io.to(STAFF).emit('camera:status', event);
      // Owners are merchants: a generic cause, never the network detail staff debug with.
      if (p.ownerUserId) io.to(`user:${p.ownerUserId}`).except(STAFF).emit('camera:status', { ...event, cause: merchantCause(p.status, p.cause) });
    }),
    // Every api process judges gaps from the database itself: emit to this process's sockets only.
    o.bus.subscribe('recording:gap', ({ ownerUserId, ...e }) => io.local.to(rooms(ownerUserId)).emit('recording:gap', e)),
    o.bus.subscribe('recording:gaps', ({ state, count, byOwner }) => emitCounts((room) => io.local.to(room), 'recording:gaps', { state, count } satisfies RecordingGapsEvent, byOwner)),
    // Alarms: staff get them whole; the owning merchant without the operator's note and name.
    ...(['alarm:raised', 'alarm:updated'] as const).map((name) =>
      o.bus.subscribe(name, ({ alarm, ownerUserId }) => {
        io.to(STAFF).emit(name, alarm);
        if (ownerUserId) io.to(`user:${ownerUserId}`).except(STAFF).emit(name, { ...alarm, acknowledgedBy: null, note: null });
      }),
    ),
    o.bus.subscribe('alarms:changed', ({ change, count, byOwner }) => emitCounts((room) => io.to(room), 'alarms:changed', { change, count } satisfies AlarmsChangedEvent, byOwner)),
    o.bus.subscribe('discovery:progress', (p) => io.to(STAFF).emit('discovery:progress', p)),
    o.bus.subscribe('discovery:device', (p) => io.to(STAFF).emit('discovery:device', p)),
    o.bus.subscribe('discovery:done', (p) => io.to(STAFF).emit('discovery:done', p)),
    o.bus.subscribe('recording:disk-alarm', (p) => io.to(STAFF).emit('recording:disk-alarm', p)),
    o.bus.subscribe('recording:paused', (p) => io.to(STAFF).emit('recording:paused', p)),
    o.bus.subscribe('footage:request', (p) => io.to(`user:${p.ownerUserId}`).emit('footage:request', p.request)),
    o.bus.subscribe('footage:decided', (p) => io.to(`user:${p.requestedBy}`).emit('footage:decided', p.request)),
    o.bus.subscribe('clip:progress', ({ userId, ...e }) => {
      if (userId) io.to(`user:${userId}`).emit('clip:progress', e);
    }),
    o.bus.subscribe('auth:session-ended', (p) => {
      if (p.sessionId) io.in(`session:${p.sessionId}`).disconnectSockets(true);
      else if (p.keepSessionId) io.in(`user:${p.userId}`).except(`session:${p.keepSessionId}`).disconnectSockets(true);
      else io.in(`user:${p.userId}`).disconnectSockets(true);
    }),
  ];
  return () => offs.forEach((off) => off());
}
