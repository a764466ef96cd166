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
  const cache = new Map<string, { at: number; ok: boolean; userId: string; sessionId: string }>();
  return {
    async mayWatch(claims) {
      if (claims.sessionId === undefined) return claims.userId === PROXY_USER;
      const key = `${claims.sessionId}|${claims.userId}|${claims.role ?? ''}`;
      const t = now().getTime();
      const hit = cache.get(key);
      if (hit && t - hit.at < cacheMs) return hit.ok;
      const s = await sessions.find(claims.sessionId, now());
      const ok = !!s && s.userId === claims.userId && (claims.role === undefined || s.role === claims.role);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: t, ok, userId: claims.userId, sessionId: claims.sessionId });
      return ok;
    },
    forget(who) {
      for (const [k, v] of cache) if (v.userId === who.userId || v.sessionId === who.sessionId) cache.delete(k);
    },
  };
}
