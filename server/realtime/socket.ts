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
}

const STAFF = 'staff';
const rooms = (owner: string | null): string[] => (owner ? [STAFF, `user:${owner}`] : [STAFF]);

export async function startRealtime(server: HttpServer | null, o: RealtimeOptions): Promise<Realtime> {
  const io = new Server({ path: '/socket.io', serveClient: false, maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 10_000 });
  const closers: Array<() => Promise<unknown>> = [];
  if (o.redisUrl) {
    const pub = createClient({ url: o.redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (err) => o.logger.warn({ err: String(err) }, 'realtime: redis publisher error'));
    sub.on('error', (err) => o.logger.warn({ err: String(err) }, 'realtime: redis subscriber error'));
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
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        // io.close() also closes the HTTP server; the composition root owns that, so close only engine and adapter.
        io.engine?.close();
        resolve();
      });
      for (const c of closers) await c().catch(() => undefined);
    },
  };
}

function forwardBus(io: Server, o: RealtimeOptions): () => void {
  const withCamera = async (p: BusEvents['camera:created']): Promise<unknown | null> => p.camera ?? (await o.loadCamera(p.id).catch(() => null));
  const offs = [
    ...(['camera:created', 'camera:updated'] as const).map((name) =>
      o.bus.subscribe(name, (p) => {
        void withCamera(p).then((camera) => {
          if (camera) io.to(rooms(p.ownerUserId)).emit(name, camera);
        });
      }),
    ),
    o.bus.subscribe('camera:deleted', (p) => io.to(rooms(p.ownerUserId)).emit('camera:deleted', { id: p.id })),
    o.bus.subscribe('camera:status', (p) =>
      io.to(rooms(p.ownerUserId)).emit('camera:status', { cameraId: p.cameraId, status: p.status, cause: p.cause, at: p.at }),
    ),
    o.bus.subscribe('discovery:progress', (p) => io.to(STAFF).emit('discovery:progress', p)),
    o.bus.subscribe('discovery:device', (p) => io.to(STAFF).emit('discovery:device', p)),
    o.bus.subscribe('discovery:done', (p) => io.to(STAFF).emit('discovery:done', p)),
    o.bus.subscribe('auth:session-ended', (p) => {
      io.in(p.sessionId ? `session:${p.sessionId}` : `user:${p.userId}`).disconnectSockets(true);
    }),
  ];
  return () => offs.forEach((off) => off());
}
