/**
 * User administration (admins only; routes enforce that) and own-password change. Every change
 * and its audit entry commit together; a stale version is a 409; the last enabled administrator
 * can't be demoted, disabled or deleted; a role change, disable or password reset ends the
 * user's sessions so the change takes effect at once.
 */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Role } from '@common/domain';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import type { Database, Db } from '@server/db/database';
import type { EventBus } from '@server/realtime/bus';
import { users } from '@server/db/schema/index';
import { badRequest, conflict, notFound, unauthorized } from '@server/http/problem';
import { hashPassword, passwordProblem, verifyPassword } from '@server/auth/passwords';
import type { SessionRepository } from '@server/auth/session-repository';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

type Row = typeof users.$inferSelect;

const view = (r: Row): UserView => ({
  id: r.id,
  username: r.username,
  displayName: r.displayName,
  role: r.role as Role,
  disabled: r.disabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  version: r.version,
});

function checkPassword(password: string, username: string, field = 'password'): void {
  const p = passwordProblem(password, username);
  if (p) throw badRequest(`The password ${p}.`, [{ field, message: p }]);
}

export interface UserInput {
  username: string;
  password: string;
  role: Role;
  displayName: string;
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
  version?: number;
}

export class UsersService {
  constructor(
    private readonly database: Database,
    private readonly sessions: SessionRepository,
    private readonly bus: EventBus,
  ) {}

  private async endSessions(userId: string, keep?: string): Promise<void> {
    await this.sessions.deleteForUser(userId, keep);
    this.bus.publish('auth:session-ended', { userId });
  }

  private get db(): Db {
    return this.database.db;
  }

  async list(): Promise<{ items: UserView[] }> {
    const rows = await this.db.select().from(users).orderBy(asc(users.username));
    return { items: rows.map(view) };
  }

  async get(id: string): Promise<UserView> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    if (!row) throw notFound('The user');
    return view(row);
  }

  async create(input: UserInput, audit: AuditActor): Promise<UserView> {
    checkPassword(input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    const row = await this.db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
      if (dup) throw conflict(`A user named "${input.username}" already exists.`, { errors: [{ field: 'username', message: 'already taken' }] });
      const [created] = await tx.insert(users).values({ username: input.username, displayName: input.displayName, role: input.role, passwordHash }).returning();
      await recordAudit(tx, audit, { action: 'user.create', targetType: 'user', targetId: created!.id, details: { username: input.username, role: input.role } });
      return created!;
    });
    return view(row);
  }

  async update(id: string, patch: UserPatch, audit: AuditActor): Promise<UserView> {
    const passwordHash = patch.password !== undefined ? await this.hashFor(id, patch.password) : undefined;
    const { row, before } = await this.db.transaction(async (tx) => {
      const current = await this.lockedRow(tx, id);
      if (patch.version !== undefined && patch.version !== current.version) {
        throw conflict(`The user was changed by someone else (version ${current.version}, you sent ${patch.version}); reload and try again.`, { currentVersion: current.version });
      }
      const losesAdmin = current.role === 'admin' && !current.disabled && ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
      if (losesAdmin) await this.assertAnotherAdmin(tx, id);
      const [updated] = await tx
        .update(users)
        .set({
          ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(passwordHash ? { passwordHash } : {}),
          updatedAt: sql`now()`,
          version: sql`${users.version} + 1`,
        })
        .where(eq(users.id, id))
        .returning();
      const changed = Object.keys(patch).filter((k) => k !== 'version' && k !== 'password');
      await recordAudit(tx, audit, {
        action: 'user.update',
        targetType: 'user',
        targetId: id,
        details: { changed: patch.password !== undefined ? [...changed, 'password'] : changed, role: patch.role, disabled: patch.disabled },
      });
      return { row: updated!, before: current };
    });
    if (patch.password !== undefined || (patch.disabled === true && !before.disabled) || row.role !== before.role) {
      await this.endSessions(id);
    }
    return view(row);
  }

  async remove(id: string, audit: AuditActor): Promise<void> {
    await this.db.transaction(async (tx) => {
      const current = await this.lockedRow(tx, id);
      if (current.role === 'admin' && !current.disabled) await this.assertAnotherAdmin(tx, id);
      await tx.delete(users).where(eq(users.id, id));
      await recordAudit(tx, audit, { action: 'user.delete', targetType: 'user', targetId: id, details: { username: current.username, role: current.role } });
    });
    this.bus.publish('auth:session-ended', { userId: id });
  }

  async changeOwnPassword(user: AuthUser, sessionId: string, currentPassword: string, newPassword: string, audit: AuditActor): Promise<void> {
    const [row] = await this.db.select().from(users).where(eq(users.id, user.id));
    if (!row) throw unauthorized();
    if (!(await verifyPassword(currentPassword, row.passwordHash))) {
      throw badRequest('The current password is wrong.', [{ field: 'currentPassword', message: 'wrong password' }]);
    }
    checkPassword(newPassword, row.username, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, updatedAt: sql`now()`, version: sql`${users.version} + 1` }).where(eq(users.id, user.id));
      await recordAudit(tx, audit, { action: 'user.password', targetType: 'user', targetId: user.id });
    });
    await this.sessions.deleteForUser(user.id, sessionId);
  }

  private async hashFor(id: string, password: string): Promise<string> {
    const [row] = await this.db.select({ username: users.username }).from(users).where(eq(users.id, id));
    if (!row) throw notFound('The user');
    checkPassword(password, row.username);
    return hashPassword(password);
  }

  private async lockedRow(tx: Db, id: string): Promise<Row> {
    const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!row) throw notFound('The user');
    return row;
  }

  /** Serialised by locking every enabled admin row, so two concurrent demotions can't both pass. */
  private async assertAnotherAdmin(tx: Db, exceptId: string): Promise<void> {
    const others = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, exceptId)))
      .for('update');
    if (others.length === 0) throw conflict('This is the last enabled administrator; make another user an administrator first.');
  }
}
