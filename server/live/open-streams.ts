/**
 * Open live streams (HTTP-FLV through the API) end when their playback token stops being good:
 * at its expiry, at once on sign-out of its session ('auth:session-ended' on the bus), and
 * within about a second when its viewer may no longer watch (user disabled, role changed,
 * password reset, session ended in another api process: a sweep re-checks every `sweepMs`).
 * A stream opened with a stream id (chosen by the player, unique within its sign-in session) can
 * be renewed: a fresh token for the same camera and session moves its deadline to that token's
 * expiry (the console renews before expiry, so a playing FLV tile never restarts). Internal
 * api -> worker streams (user 'proxy', no session) have no deadline here: the api process that
 * holds the viewer's connection closes them.
 */
import type { EventBus } from '@server/realtime/bus';
import type { PlaybackClaims } from './playback-token';
import type { ViewerCheck } from './viewers';

export interface OpenStreams {
  /** Watches one open stream; `close` runs at most once. Returns the unwatch function (stream ended). */
  watch(claims: PlaybackClaims, close: (why: 'expired' | 'revoked') => void, streamId?: string): () => void;
  /** The open stream `streamId` of the session in `claims` (a verified, fresh token), or null. */
  find(streamId: string, claims: PlaybackClaims): RenewableStream | null;
  /** Streams being watched now. */
  readonly size: number;
}

export interface OpenStreamsDeps {
  viewers: ViewerCheck;
  bus: Pick<EventBus, 'subscribe'>;
  now: () => Date;
  sweepMs?: number;
  onError?: (err: unknown) => void;
}

export interface RenewableStream {
  readonly cameraId: string;
  /** Moves the deadline to the fresh token's expiry (its viewer was checked by the caller). */
  renew(claims: PlaybackClaims): void;
  /** Ends the stream now (its viewer may no longer watch). */
  revoke(): void;
}

interface Entry {
  key?: string;
  claims: PlaybackClaims;
  close(why: 'expired' | 'revoked'): void;
  timer: NodeJS.Timeout | undefined;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function openStreams(d: OpenStreamsDeps): OpenStreams {
  const sweepMs = d.sweepMs ?? 1000;
  const open = new Set<Entry>();
  const byKey = new Map<string, Entry>();
  const keyOf = (sessionId: string | undefined, streamId: string) => `${sessionId ?? ''}|${streamId}`;
  let sweeper: NodeJS.Timeout | undefined;

  const remove = (e: Entry): boolean => {
    if (!open.delete(e)) return false;
    clearTimeout(e.timer);
    if (e.key !== undefined && byKey.get(e.key) === e) byKey.delete(e.key);
    if (open.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
    return true;
  };
  const end = (e: Entry, why: 'expired' | 'revoked') => {
    if (remove(e)) e.close(why);
  };

  /** Internal tokens (no session) carry no deadline here: the api process ends their viewer's stream. */
  const hasDeadline = (c: PlaybackClaims) => c.sessionId !== undefined;
  const arm = (e: Entry) => {
    clearTimeout(e.timer);
    if (!hasDeadline(e.claims)) return;
    const ms = Math.min(MAX_TIMER_MS, Math.max(0, e.claims.expiresAt.getTime() - d.now().getTime()));
    e.timer = setTimeout(() => end(e, 'expired'), ms).unref();
  };

  const recheck = async (e: Entry) => {
    if (hasDeadline(e.claims) && e.claims.expiresAt.getTime() <= d.now().getTime()) return end(e, 'expired');
    if (!(await d.viewers.mayWatch(e.claims))) end(e, 'revoked');
  };
  const recheckAll = (only?: (e: Entry) => boolean) => {
    for (const e of [...open]) if (!only || only(e)) recheck(e).catch((err: unknown) => d.onError?.(err));
  };

  d.bus.subscribe('auth:session-ended', (who) => {
    d.viewers.forget(who);
    for (const e of [...open]) if (who.sessionId !== undefined && e.claims.sessionId === who.sessionId) end(e, 'revoked');
    // A user's sessions ended (perhaps all but the one they changed their password from): re-check theirs now.
    if (who.userId !== undefined) recheckAll((e) => e.claims.userId === who.userId);
  });

  return {
    watch(claims, close, streamId) {
      const e: Entry = { claims, close, timer: undefined };
      open.add(e);
      if (streamId !== undefined && hasDeadline(claims)) {
        // A reused id (a player reopening) names the newest stream; the older one keeps its own deadline.
        e.key = keyOf(claims.sessionId, streamId);
        byKey.set(e.key, e);
      }
      arm(e);
      sweeper ??= setInterval(() => recheckAll(), sweepMs).unref();
      return () => void remove(e);
    },
    find(streamId, claims) {
      if (!hasDeadline(claims)) return null;
      const e = byKey.get(keyOf(claims.sessionId, streamId));
      if (!e || e.claims.userId !== claims.userId) return null;
      return {
        cameraId: e.claims.cameraId,
        renew(fresh) {
          if (!open.has(e) || fresh.expiresAt.getTime() <= e.claims.expiresAt.getTime()) return;
          e.claims = fresh;
          arm(e);
        },
        revoke: () => end(e, 'revoked'),
      };
    },
    get size() {
      return open.size;
    },
  };
}
