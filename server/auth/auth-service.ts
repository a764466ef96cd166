/**
 * Sign-in, sign-out and token resolution. A sign-in creates one session whose random token is
 * both the browser's httpOnly cookie and the API client's bearer token; only its SHA-256 is
 * stored. Failed sign-ins are rate-limited per user name and per address through the database.
 */
import type { Clock } from '@common/clock';
import type { Config } from '@config/schema';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import type { Database } from '@server/db/database';
import type { EventBus } from '@server/realtime/bus';
import { HttpError, unauthorized } from '@server/http/problem';
import type { AuthUser } from './types';
import { dummyHash, verifyPassword } from './passwords';
import { SessionRepository, type SessionUser } from './session-repository';
import { newToken, tokenHash } from './tokens';

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: Omit<AuthUser, 'via'>;
}

export interface ResolvedSession {
  user: Omit<AuthUser, 'via'>;
  sessionId: string;
  csrfToken: string;
}

/** Sessions are touched at most this often, so every request doesn't write. */
const TOUCH_EVERY_MS = 60_000;
/** Addresses get more tries than one user name (several people behind one NAT). */
const IP_FACTOR = 5;

export class AuthService {
  readonly sessions: SessionRepository;

  constructor(
    private readonly database: Database,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {
    this.sessions = new SessionRepository(database);
  }

  async login(username: string, password: string, audit: AuditActor, userAgent: string | null): Promise<LoginResult> {
    const now = new Date(this.clock.now());
    const ip = audit.ip ?? 'unknown';
    const { loginMaxAttempts: max, loginWindow } = this.config.security;
    const since = new Date(now.getTime() - loginWindow);
    const f = await this.sessions.failures(username, ip, since);
    if (f.byUser >= max || f.byIp >= max * IP_FACTOR) {
      const retryAfter = Math.max(1, Math.ceil(((f.oldest?.getTime() ?? now.getTime()) + loginWindow - now.getTime()) / 1000));
      throw new HttpError(429, 'Too many sign-in attempts', `Too many failed sign-ins; try again in ${retryAfter} s or ask an administrator.`, undefined, { retryAfter });
    }
    const [row] = await this.database.query<{ id: string; username: string; display_name: string; role: AuthUser['role']; password_hash: string; disabled: boolean }>(
      'SELECT id, username, display_name, role, password_hash, disabled FROM users WHERE username = $1',
      [username],
    );
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    if (!row || !ok || row.disabled) {
      await this.sessions.recordFailure(username, ip, now);
      await this.database.db.transaction((tx) => recordAudit(tx, audit, { action: 'auth.login.failed', targetType: 'user', targetId: row?.id, details: { username } }));
      throw unauthorized('User name or password is wrong, or the account is disabled.');
    }
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(now.getTime() + this.config.security.sessionTtl);
    await this.sessions.create({ id: tokenHash(token), userId: row.id, csrfToken, expiresAt, ip, userAgent });
    await this.sessions.clearFailures(username, since);
    const user = { id: row.id, username: row.username, role: row.role, displayName: row.display_name };
    await this.database.db.transaction((tx) =>
      recordAudit(tx, { ...audit, actorId: user.id, actorName: user.username, actorRole: user.role }, { action: 'auth.login', targetType: 'user', targetId: user.id }),
    );
    return { token, csrfToken, expiresAt, user };
  }

  /** The session behind a token, or null when unknown, expired or the user is disabled. */
  async resolve(token: string): Promise<ResolvedSession | null> {
    if (!token || token.length > 200) return null;
    const now = new Date(this.clock.now());
    const s: SessionUser | null = await this.sessions.find(tokenHash(token), now);
    if (!s) return null;
    if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.sessions.touch(s.sessionId, now);
    return {
      sessionId: s.sessionId,
      csrfToken: s.csrfToken,
      user: { id: s.userId, username: s.username, role: s.role, displayName: s.displayName },
    };
  }

  async logout(sessionId: string, audit: AuditActor): Promise<void> {
    await this.sessions.delete(sessionId);
    this.bus.publish('auth:session-ended', { sessionId });
    await this.database.db.transaction((tx) => recordAudit(tx, audit, { action: 'auth.logout', targetType: 'user', targetId: audit.actorId ?? undefined }));
  }
}
