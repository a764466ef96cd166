/** Sessions in the database (shared by every api process). */
import type { Role } from '@common/domain';
import type { Database } from '@server/db/database';

export interface SessionUser {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  userId: string;
  username: string;
  displayName: string;
  role: Role;
}

interface SessionRow {
  session_id: string;
  csrf_token: string;
  expires_at: Date | string;
  last_seen_at: Date | string;
  user_id: string;
  username: string;
  display_name: string;
  role: Role;
}

export class SessionRepository {
  /** `ended`: told after sessions were deleted here (the session cache forgets them at once). */
  constructor(
    private readonly database: Database,
    private readonly ended: (who: { sessionId: string } | { userId: string }) => void = () => undefined,
  ) {}

  async create(s: { id: string; userId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
    await this.database.query(
      'INSERT INTO sessions (id, user_id, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)',
      [s.id, s.userId, s.csrfToken, s.expiresAt.toISOString(), s.ip, s.userAgent?.slice(0, 300) ?? null],
    );
  }

  /** The live session with this id and its (enabled) user, or null. */
  async find(id: string, now: Date): Promise<SessionUser | null> {
    const [r] = await this.database.query<SessionRow>(
      `SELECT s.id AS session_id, s.csrf_token, s.expires_at, s.last_seen_at, u.id AS user_id, u.username, u.display_name, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.expires_at > $2 AND NOT u.disabled`,
      [id, now.toISOString()],
      'skyeye_session_find',
    );
    if (!r) return null;
    return {
      sessionId: r.session_id,
      csrfToken: r.csrf_token,
      expiresAt: new Date(r.expires_at),
      lastSeenAt: new Date(r.last_seen_at),
      userId: r.user_id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
    };
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.database.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [id, now.toISOString()]);
  }

  async delete(id: string): Promise<void> {
    await this.database.query('DELETE FROM sessions WHERE id = $1', [id]);
    this.ended({ sessionId: id });
  }

  /** Ends every session of a user except `keep` (password change, disable, role change). */
  async deleteForUser(userId: string, keep?: string): Promise<void> {
    await this.database.query('DELETE FROM sessions WHERE user_id = $1 AND id <> $2', [userId, keep ?? '']);
    this.ended({ userId });
  }

  async pruneExpired(now: Date): Promise<void> {
    await this.database.query('DELETE FROM sessions WHERE expires_at <= $1', [now.toISOString()]);
  }
}
