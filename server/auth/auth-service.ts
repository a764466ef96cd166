/**
 * Sign-in, sign-out and token resolution. A sign-in creates one session whose random token is
 * both the browser's httpOnly cookie and the API client's bearer token; only its SHA-256 is
 * stored. Password guesses are limited per user name and per address (attempt-limiter.ts).
 * Resolved sessions are kept in memory while the database reports every change to them
 * (session-cache.ts), so a request normally costs no session lookup.
 */
import type { Clock } from '@common/clock';
import type { Config } from '@config/schema';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import type { Database } from '@server/db/database';
import type { EventBus } from '@server/realtime/bus';
import type { UsersRepository } from '@server/users/users-repository';
import { unauthorized } from '@server/http/problem';
import { AttemptLimiter, type Attempt } from './attempt-limiter';
import type { AuthUser } from './types';
import { dummyHash, verifyPassword } from './passwords';
import { SessionCache, followSessionChanges } from './session-cache';
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
/** Expired attempt windows are pruned at most this often. */
const PRUNE_EVERY_MS = 60_000;

export class AuthService {
  readonly sessions: SessionRepository;
  /** Password guesses (sign-in here, password change in the auth routes) per user name and address. */
  readonly limiter: AttemptLimiter;
  /** Resolved sessions in memory; off until followChanges() listens (session-cache.ts). */
  private readonly cache = new SessionCache();
  private prunedAt = 0;

  constructor(
    private readonly database: Database,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly users: UsersRepository,
  ) {
    // Sessions deleted here, or ended by another part of this process, are forgotten at once.
    this.sessions = new SessionRepository(database, (who) => this.cache.forget(who));
    const { loginMaxAttempts: max, loginWindow } = config.security;
    this.limiter = new AttemptLimiter(database, clock, { maxPerUser: max, maxPerIp: max * IP_FACTOR, windowMs: loginWindow });
    bus.subscribe('auth:session-ended', (who) => this.cache.forget(who));
  }

  /**
   * Serves resolved sessions from memory while the database tells this process of every session
   * and user change (LISTEN; every process that authenticates requests runs this once).
   */
  followChanges(log: { warn(obj: object, msg: string): void }): Promise<{ stop(): Promise<void> }> {
    return followSessionChanges(this.database, this.cache, log);
  }

  /** Counts one password guess for `username` from `ip` before the password is checked (429 over the limit). */
  async reserveAttempt(username: string, ip: string | null): Promise<Attempt> {
    if (this.clock.now().getTime() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = this.clock.now().getTime();
      await this.limiter.prune();
    }
    return this.limiter.reserve(username, ip ?? 'unknown');
  }

  async login(username: string, password: string, audit: AuditActor, userAgent: string | null): Promise<LoginResult> {
    const now = new Date(this.clock.now());
    const ip = audit.ip ?? 'unknown';
    const attempt = await this.reserveAttempt(username, ip);
    const row = await this.users.byUsername(username);
    const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyHash()));
    if (!row || !ok || row.disabled) {
      await this.database.db.transaction((tx) => recordAudit(tx, audit, { action: 'auth.login.failed', targetType: 'user', targetId: row?.id, details: { username } }));
      throw unauthorized('User name or password is wrong, or the account is disabled.');
    }
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(now.getTime() + this.config.security.sessionTtl);
    await this.sessions.create({ id: tokenHash(token), userId: row.id, csrfToken, expiresAt, ip, userAgent });
    await attempt.succeeded();
    const user = { id: row.id, username: row.username, role: row.role as AuthUser['role'], displayName: row.displayName };
    await this.database.db.transaction((tx) =>
      recordAudit(tx, { ...audit, actorId: user.id, actorName: user.username, actorRole: user.role }, { action: 'auth.login', targetType: 'user', targetId: user.id }),
    );
    return { token, csrfToken, expiresAt, user };
  }

  /** The session behind a token, or null when unknown, expired or the user is disabled. */
  async resolve(token: string): Promise<ResolvedSession | null> {
    if (!token || token.length > 200) return null;
    const now = new Date(this.clock.now());
    const id = tokenHash(token);
    let s: SessionUser | null = this.cache.get(id, now.getTime());
    if (!s) {
      const ticket = this.cache.ticket();
      s = await this.sessions.find(id, now);
      if (!s) return null;
      this.cache.put(s, ticket, now.getTime());
    }
    if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.sessions.touch(s.sessionId, now);
      this.cache.update({ ...s, lastSeenAt: now });
    }
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
