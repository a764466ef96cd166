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
import { sessionAnswers } from '@server/live/viewers';

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
  const answers = sessionAnswers<VodVerdict>(now, cacheMs);
  return {
    async check(claims, grant, rule, fresh) {
      // Recorded playback has no internal (session-less) tokens: one without a sign-in opens nothing.
      const { sessionId, role } = claims;
      if (sessionId === undefined || role === undefined) return 'revoked';
      return answers.get(`${sessionId}|${claims.userId}|${role}|${claims.cameraId}`, { userId: claims.userId, sessionId }, fresh, async () => {
        const s = await sessions.find(sessionId, now());
        if (!s || s.userId !== claims.userId || s.role !== role) return 'revoked';
        // The token stands in for its session; `via` only matters to CSRF checks, which media GETs have none of.
        const user: AuthUser = { id: s.userId, username: s.username, displayName: s.displayName, role: s.role, via: 'bearer' };
        return (await rule(user, grant)) ? 'ok' : 'refused';
      });
    },
    forget: (who) => answers.forget(who),
  };
}
