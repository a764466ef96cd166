/**
 * User administration (admins only; routes enforce that) and own-password change. Every change
 * and its audit entry commit together; a stale version is a 409; the last enabled administrator
 * can't be demoted, disabled or deleted; a role change, disable or password reset ends the
 * user's sessions so the change takes effect at once. Views carry the user's station (read through
 * a port: user_stations belongs to incidents).
 */
import type { Role } from '@common/domain';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import type { EventBus } from '@server/realtime/bus';
import { badRequest, conflict, notFound, unauthorized } from '@server/http/problem';
import { hashPassword, passwordProblem, verifyPassword } from '@server/auth/passwords';
import type { SessionRepository } from '@server/auth/session-repository';
import type { UserRow, UsersRepository } from './users-repository';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** The user's station (PUT /api/v1/users/{id}/station); null: county level. */
  stationId: string | null;
}

type Row = UserRow;

const view = (r: Row, stationId: string | null = null): UserView => ({
  id: r.id,
  username: r.username,
  displayName: r.displayName,
  role: r.role as Role,
  disabled: r.disabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  version: r.version,
  stationId,
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
    private readonly users: UsersRepository,
    private readonly sessions: SessionRepository,
    private readonly bus: EventBus,
    /** Every user's station (kept by incidents, user_stations); none known when absent. */
    private readonly stations: () => Promise<Map<string, string>> = () => Promise.resolve(new Map()),
  ) {}

  private async endSessions(userId: string, keep?: string): Promise<void> {
    await this.sessions.deleteForUser(userId, keep);
    this.bus.publish('auth:session-ended', { userId, keepSessionId: keep });
  }

  async list(): Promise<{ items: UserView[] }> {
    const [rows, stations] = await Promise.all([this.users.list(), this.stations()]);
    return { items: rows.map((r) => view(r, stations.get(r.id) ?? null)) };
  }

  async get(id: string): Promise<UserView> {
    const row = await this.users.byId(id);
    if (!row) throw notFound('The user');
    return view(row, (await this.stations()).get(id) ?? null);
  }

  async create(input: UserInput, audit: AuditActor): Promise<UserView> {
    checkPassword(input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    const row = await this.users.transaction(async (users, tx) => {
      if (await users.byUsername(input.username)) throw conflict(`A user named "${input.username}" already exists.`, { errors: [{ field: 'username', message: 'already taken' }] });
      const created = await users.insert({ username: input.username, displayName: input.displayName, role: input.role, passwordHash });
      await recordAudit(tx, audit, { action: 'user.create', targetType: 'user', targetId: created.id, details: { username: input.username, role: input.role } });
      return created;
    });
    return view(row);
  }

  async update(id: string, patch: UserPatch, audit: AuditActor): Promise<UserView> {
    const passwordHash = patch.password !== undefined ? await this.hashFor(id, patch.password) : undefined;
    const { row, before } = await this.users.transaction(async (users, tx) => {
      const current = await this.lockedRow(users, id);
      if (patch.version !== undefined && patch.version !== current.version) {
        throw conflict(`The user was changed by someone else (version ${current.version}, you sent ${patch.version}); reload and try again.`, { currentVersion: current.version });
      }
      const losesAdmin = current.role === 'admin' && !current.disabled && ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
      if (losesAdmin) await this.assertAnotherAdmin(users, id);
      const updated = await users.update(id, {
        ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      });
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
    return view(row, (await this.stations()).get(id) ?? null);
  }

  async remove(id: string, audit: AuditActor): Promise<void> {
    await this.users.transaction(async (users, tx) => {
      const current = await this.lockedRow(users, id);
      if (current.role === 'admin' && !current.disabled) await this.assertAnotherAdmin(users, id);
      await users.delete(id);
      await recordAudit(tx, audit, { action: 'user.delete', targetType: 'user', targetId: id, details: { username: current.username, role: current.role } });
    });
    this.bus.publish('auth:session-ended', { userId: id });
  }

  async changeOwnPassword(user: AuthUser, sessionId: string, currentPassword: string, newPassword: string, audit: AuditActor): Promise<void> {
    const row = await this.users.byId(user.id);
    if (!row) throw unauthorized();
    if (!(await verifyPassword(currentPassword, row.passwordHash))) {
      throw badRequest('The current password is wrong.', [{ field: 'currentPassword', message: 'wrong password' }]);
    }
    checkPassword(newPassword, row.username, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    await this.users.transaction(async (users, tx) => {
      await users.update(user.id, { passwordHash });
      await recordAudit(tx, audit, { action: 'user.password', targetType: 'user', targetId: user.id });
    });
    // The other sessions end, their sockets and live streams with them (a password changed
    // because a token was stolen must lock the thief out of the open socket too).
    await this.endSessions(user.id, sessionId);
  }

  private async hashFor(id: string, password: string): Promise<string> {
    const row = await this.users.byId(id);
    if (!row) throw notFound('The user');
    checkPassword(password, row.username);
    return hashPassword(password);
  }

  private async lockedRow(users: UsersRepository, id: string): Promise<Row> {
    const row = await users.lockById(id);
    if (!row) throw notFound('The user');
    return row;
  }

  /** Serialised by locking every enabled admin row, so two concurrent demotions can't both pass. */
  private async assertAnotherAdmin(users: UsersRepository, exceptId: string): Promise<void> {
    const others = await users.otherEnabledAdminsLocked(exceptId);
    if (others.length === 0) throw conflict('This is the last enabled administrator; make another user an administrator first.');
  }
}
