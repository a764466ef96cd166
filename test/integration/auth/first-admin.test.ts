/** The first administrator: from SKYEYE_ADMIN_PASSWORD, or generated into a 0600 file; never logged. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { loadConfig } from '@config/load';
import { verifyPassword } from '@server/auth/passwords';
import { createLogger } from '@server/http/logger';
import { ensureFirstAdmin } from '@server/users/first-admin';
import { UsersRepository } from '@server/users/users-repository';
import { openTestDatabase, TEST_BACKEND } from '@test/helpers/database';

describe(`first administrator (${TEST_BACKEND})`, function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const mode of ['generated', 'from environment'] as const) {
    it(`creates user admin once, password ${mode}`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'skyeye-admin-'));
      dirs.push(dataDir);
      const env = { SKYEYE_DATA_DIR: dataDir, ...(mode === 'from environment' ? { SKYEYE_ADMIN_PASSWORD: 'Env-admin-pass-9' } : {}) };
      const config = loadConfig({ env });
      let logs = '';
      const logger = createLogger('debug', new Writable({ write: (c: Buffer, _e, cb) => ((logs += c.toString()), cb()) }));
      const h = await openTestDatabase();
      try {
        await ensureFirstAdmin(new UsersRepository(h.database.db), config, logger);
        await ensureFirstAdmin(new UsersRepository(h.database.db), config, logger);
        const rows = await h.database.query<{ username: string; role: string; password_hash: string }>('SELECT * FROM users');
        expect(rows).to.have.length(1);
        expect(rows[0]).to.include({ username: 'admin', role: 'admin' });
        const password = mode === 'generated' ? readFileSync(join(dataDir, 'secrets', 'admin-password'), 'utf8').trim() : 'Env-admin-pass-9';
        if (mode === 'generated') expect(statSync(join(dataDir, 'secrets', 'admin-password')).mode & 0o777).to.equal(0o600);
        expect(await verifyPassword(password, rows[0]!.password_hash)).to.equal(true);
        expect(logs).to.not.include(password);
        expect(logs).to.include('first administrator created');
      } finally {
        await h.close();
      }
    });
  }
});
