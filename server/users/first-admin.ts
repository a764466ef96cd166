/**
 * The first administrator, created on first start when no user exists: user name from
 * admin.username, password from SKYEYE_ADMIN_PASSWORD, or else generated and written to
 * dataDir/secrets/admin-password (mode 0600). The log names the file, never the password.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@config/schema';
import type { Database } from '@server/db/database';
import type { Logger } from '@server/http/logger';
import { hashPassword } from '@server/auth/passwords';

export async function ensureFirstAdmin(database: Database, config: Config, logger: Logger): Promise<void> {
  const [{ n } = { n: 0 }] = await database.query<{ n: number | string }>('SELECT count(*) AS n FROM users');
  if (Number(n) > 0) return;
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
  // ON CONFLICT: another api process starting at the same moment may have created it first.
  const rows = await database.query(
    `INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, $2, 'admin', $3) ON CONFLICT (username) DO NOTHING RETURNING id`,
    [config.admin.username, 'Administrator', await hashPassword(password)],
  );
  if (rows.length === 0) return;
  await database.query(`INSERT INTO audit_log (action, target_type, target_id, details) VALUES ('user.create', 'user', $1, $2)`, [
    (rows[0] as { id: string }).id,
    JSON.stringify({ username: config.admin.username, role: 'admin', reason: 'first start' }),
  ]);
  if (file) logger.warn({ username: config.admin.username, passwordFile: file }, 'first administrator created; its generated password is in passwordFile (set SKYEYE_ADMIN_PASSWORD to choose one)');
  else logger.info({ username: config.admin.username }, 'first administrator created from SKYEYE_ADMIN_PASSWORD');
}
