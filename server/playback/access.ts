/**
 * Whether a recorded-playback token still opens its footage: checked at every use of the token
 * (playlist, init section, media), like the live tokens' viewer check (server/live/viewers.ts).
 * The token names the sign-in session it was issued to, the role then and the incident it was
 * opened through; it opens the footage while that session lives (not signed out or expired, its
 * user enabled: no disable, role change or password reset ended it), the role is the same, and
 * the footage rule GET /cameras/{id}/playback applied when it issued the URL still lets that user
 * replay the whole range (camera visible to them, sharing mode, incident access and release).
 * Playlists ask the database every time (`fresh`); init sections and media may use an answer up
 * to `cacheMs` (1 s) old, so a player's segment fetches cost a few queries a second at most.
 * `forget` drops the answers of a session or user at once (auth:session-ended on the bus).
 */
import type { Role } from '@common/domain';
import type { AuthUser } from '@server/auth/types';
import type { PlaybackClaims } from '@server/live/playback-token';

/** What a recorded-playback token opens: one camera's range, inside an incident or not. */
export interface VodGrant {
  cameraId: string;
  from: number;
  to: number;
  incidentId: string | null;
}

export interface VodSessions {
  /** The live session (unexpired, user enabled) with its user, or null. */
  find(sessionId: string, now: Date): Promise<{ userId: string; username: string; displayName: string; role: Role } | null>;
}

/** Whether `user` may still replay all of the grant's range (false: refused; throws only on failures). */
export type FootageRule = (user: AuthUser, grant: VodGrant) => Promise<boolean>;

/** 'revoked': the sign-in ended or the role changed; 'refused': the footage rule says no. */
export type VodVerdict = 'ok' | 'revoked' | 'refused';

export interface VodAccess {
  check(claims: PlaybackClaims, grant: VodGrant, rule: FootageRule, fresh: boolean): Promise<VodVerdict>;
  /** Drops cached answers for a user or session (they were just ended). */
  forget(who: { userId?: string; sessionId?: string }): void;
}

export function vodAccess(sessions: VodSessions, now: () => Date, cacheMs = 1000): VodAccess {
  const cache = new Map<string, { at: number; verdict: VodVerdict; userId: string; sessionId: string }>();
  /** Bumped by forget: an answer looked up across a forget is not cached (it may predate the end). */
  let epoch = 0;
  const decide = async (claims: PlaybackClaims & { sessionId: string }, grant: VodGrant, rule: FootageRule): Promise<VodVerdict> => {
    const s = await sessions.find(claims.sessionId, now());
    if (!s || s.userId !== claims.userId || s.role !== claims.role) return 'revoked';
    // The token stands in for its session; `via` only matters to CSRF checks, which media GETs have none of.
    const user: AuthUser = { id: s.userId, username: s.username, displayName: s.displayName, role: s.role, via: 'bearer' };
    return (await rule(user, grant)) ? 'ok' : 'refused';
  };
  return {
    async check(claims, grant, rule, fresh) {
      // Recorded playback has no internal (session-less) tokens: one without a sign-in opens nothing.
      if (claims.sessionId === undefined || claims.role === undefined) return 'revoked';
      const sessionId = claims.sessionId;
      const key = `${sessionId}|${claims.userId}|${claims.role}|${claims.cameraId}`;
      const t = now().getTime();
      const hit = cache.get(key);
      if (!fresh && hit && t - hit.at < cacheMs) return hit.verdict;
      const asked = epoch;
      const verdict = await decide({ ...claims, sessionId }, grant, rule);
      if (asked !== epoch) return verdict;
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: t, verdict, userId: claims.userId, sessionId });
      return verdict;
    },
    forget(who) {
      epoch += 1;
      for (const [k, v] of cache) if (v.userId === who.userId || v.sessionId === who.sessionId) cache.delete(k);
    },
  };
}
