/**
 * The first administrator, created on first start when no user exists: user name from
 * admin.username, password from SKYEYE_ADMIN_PASSWORD, or else generated and written to
 * dataDir/secrets/admin-password (mode 0600). The log names the file, never the password.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@config/schema';
import type { Logger } from '@server/http/logger';
import { recordAudit } from '@server/audit/audit-repository';
import { hashPassword } from '@server/auth/passwords';
import type { UsersRepository } from './users-repository';

const FIRST_START = { actorId: null, actorName: null, actorRole: null, ip: null, requestId: null };

export async function ensureFirstAdmin(users: UsersRepository, config: Config, logger: Logger): Promise<void> {
  if ((await users.count()) > 0) return;
  let password = config.admin.password;
  let file: string | undefined;
  if (!password) {
    password = randomBytes(12).toString('base64url');
    const dir = join(config.dataDir, 'secrets');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = join(dir, 'admin-password');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const passwordHash = await hashPassword(password);
  // Another api process starting at the same moment may have created it first: then nothing here.
  const created = await users.transaction(async (repo, tx) => {
    const row = await repo.insertIfAbsent({ username: config.admin.username, displayName: 'Administrator', role: 'admin', passwordHash });
    if (row) await recordAudit(tx, FIRST_START, { action: 'user.create', targetType: 'user', targetId: row.id, details: { username: config.admin.username, role: 'admin', reason: 'first start' } });
    return row;
  });
  if (!created) return;
  if (file) logger.warn({ username: config.admin.username, passwordFile: file }, 'first administrator created; its generated password is in passwordFile (set SKYEYE_ADMIN_PASSWORD to choose one)');
  else logger.info({ username: config.admin.username }, 'first administrator created from SKYEYE_ADMIN_PASSWORD');
}
