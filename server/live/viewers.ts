/**
 * Whether a playback token's viewer may still watch: checked at every token use (playlist,
 * segment, FLV open) and every second for open FLV streams. The token names the sign-in session
 * it was issued to and the role then; the viewer may watch while that session lives (not signed
 * out, not expired, not ended by a disable, role change or password reset), its user is enabled,
 * and the role is the one the token was issued for. Answers are cached for at most `cacheMs`
 * (1 s), so a playlist poll and its segments cost one query. Internal tokens (an api process
 * proxying to the worker that holds the camera, user 'proxy', no session) were issued after that
 * api process checked its viewer, which it goes on checking.
 */
import type { PlaybackClaims } from './playback-token';

export const PROXY_USER = 'proxy';

export interface SessionLookup {
  /** The live session (unexpired, user enabled) with its user id and role, or null. */
  find(sessionId: string, now: Date): Promise<{ userId: string; role: string } | null>;
}

export interface ViewerCheck {
  mayWatch(claims: PlaybackClaims): Promise<boolean>;
  /** Drops cached answers for a user or session (they were just ended). */
  forget(who: { userId?: string; sessionId?: string }): void;
}

export function viewerCheck(sessions: SessionLookup, now: () => Date, cacheMs = 1000): ViewerCheck {
  const answers = sessionAnswers<boolean>(now, cacheMs);
  return {
    async mayWatch(claims) {
      const sessionId = claims.sessionId;
      if (sessionId === undefined) return claims.userId === PROXY_USER;
      return answers.get(`${sessionId}|${claims.userId}|${claims.role ?? ''}`, { userId: claims.userId, sessionId }, false, async () => {
        const s = await sessions.find(sessionId, now());
        return !!s && s.userId === claims.userId && (claims.role === undefined || s.role === claims.role);
      });
    },
    forget: (who) => answers.forget(who),
  };
}

/** Answers about sign-in sessions (may this token still watch?), kept while they can be trusted. */
export interface SessionAnswers<T> {
  /**
   * The answer under `key`, computed anew when older than `cacheMs` (or `fresh`). One computed
   * across a forget() is not kept: it may predate the end of its session.
   */
  get(key: string, who: { userId: string; sessionId: string }, fresh: boolean, compute: () => Promise<T>): Promise<T>;
  /** Drops the answers of a user or session (just ended). */
  forget(who: { userId?: string; sessionId?: string }): void;
}

/** The cache behind the live viewer check and the recorded-playback check (server/playback/access.ts). */
export function sessionAnswers<T>(now: () => Date, cacheMs: number): SessionAnswers<T> {
  const cache = new Map<string, { at: number; value: T; userId: string; sessionId: string }>();
  let epoch = 0;
  return {
    async get(key, who, fresh, compute) {
      const t = now().getTime();
      const hit = cache.get(key);
      if (!fresh && hit && t - hit.at < cacheMs) return hit.value;
      const asked = epoch;
      const value = await compute();
      if (asked !== epoch) return value;
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: t, value, ...who });
      return value;
    },
    forget(who) {
      epoch += 1;
      for (const [k, v] of cache) if (v.userId === who.userId || v.sessionId === who.sessionId) cache.delete(k);
    },
  };
}
