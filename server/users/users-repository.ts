/**
 * The only owner of the `users` table's SQL. Built on the database handle or on a transaction
 * (`in(tx)`), so a change and its audit entry commit together.
 */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Role } from '@common/domain';
import type { Db } from '@server/db/database';
import { users } from '@server/db/schema/index';

export type UserRow = typeof users.$inferSelect;

export interface UserChanges {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

export class UsersRepository {
  constructor(private readonly db: Db) {}

  /** The same repository inside a caller's transaction. */
  in(tx: Db): UsersRepository {
    return new UsersRepository(tx);
  }

  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (repo: UsersRepository, tx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(this.in(tx), tx));
  }

  list(): Promise<UserRow[]> {
    return this.db.select().from(users).orderBy(asc(users.username));
  }

  async byId(id: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row ?? null;
  }

  async byUsername(username: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row ?? null;
  }

  /** The row locked FOR UPDATE until the transaction ends (call on a transaction-bound repository). */
  async lockById(id: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id)).for('update');
    return row ?? null;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number | string>`count(*)` }).from(users);
    return Number(row?.n ?? 0);
  }

  async insert(u: { username: string; displayName: string; role: Role; passwordHash: string }): Promise<UserRow> {
    const [row] = await this.db.insert(users).values(u).returning();
    return row!;
  }

  /** Inserts unless the user name exists (another process may create it at the same moment); null then. */
  async insertIfAbsent(u: { username: string; displayName: string; role: Role; passwordHash: string }): Promise<UserRow | null> {
    const [row] = await this.db.insert(users).values(u).onConflictDoNothing({ target: users.username }).returning();
    return row ?? null;
  }

  /** Applies the changes, bumps version and updated_at; returns the new row. */
  async update(id: string, changes: UserChanges): Promise<UserRow | null> {
    const [row] = await this.db
      .update(users)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${users.version} + 1` })
      .where(eq(users.id, id))
      .returning();
    return row ?? null;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(users).where(eq(users.id, id));
  }

  /** Enabled administrators other than `exceptId`, locked FOR UPDATE (serialises concurrent demotions). */
  async otherEnabledAdminsLocked(exceptId: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, exceptId)))
      .for('update');
    return rows.map((r) => r.id);
  }
}
