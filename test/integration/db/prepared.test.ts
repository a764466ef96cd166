/**
 * The hot lookups run as named prepared statements on PostgreSQL (issue 13: parse and plan once
 * per connection instead of per request): a camera by id (any, and scoped to an owner) and the
 * session behind a token. One pooled connection, so the statements it holds are the ones used.
 * On PGlite the same calls answer the same; its thread prepares the session lookup under a name
 * made from its text (drizzle's PGlite driver drops the camera lookups' names).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { openDatabase, type Database } from '@server/db/database';
import { findCamera } from '@server/cameras/repository';
import { SessionRepository } from '@server/auth/session-repository';
import { scratchDatabase, TEST_BACKEND, type ScratchDatabase } from '@test/helpers/database';

describe(`hot lookups as prepared statements (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase;
  let database: Database;
  let owner: string;
  let cameraId: string;

  before(async () => {
    scratch = await scratchDatabase();
    database = await openDatabase({ url: scratch.url, dataDir: '', inMemory: true, poolSize: 1 });
    const [u] = await database.query<{ id: string }>(`INSERT INTO users (username, password_hash, role, display_name) VALUES ('owner1', 'x', 'merchant', 'Owner') RETURNING id`);
    owner = u!.id;
    const [c] = await database.query<{ id: string }>(`INSERT INTO cameras (name, kind, lat, lon, owner_user_id) VALUES ('Shop door', 'shopfront', 34.09, 119.35, $1) RETURNING id`, [owner]);
    cameraId = c!.id;
  });
  after(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it('a camera by id, any or scoped to its owner; another owner finds nothing', async () => {
    expect((await findCamera(database.db, cameraId))?.name).to.equal('Shop door');
    expect((await findCamera(database.db, cameraId, { ownerUserId: owner }))?.name).to.equal('Shop door');
    expect(await findCamera(database.db, cameraId, { ownerUserId: randomUUID() })).to.equal(undefined);
    expect(await findCamera(database.db, randomUUID())).to.equal(undefined);
    // Inside a transaction too (its own handle).
    await database.db.transaction(async (tx) => expect((await findCamera(tx, cameraId))?.id).to.equal(cameraId));
  });

  it('the session lookup answers; on PostgreSQL all three are prepared on the connection, on PGlite the session lookup', async () => {
    expect(await new SessionRepository(database).find('no-such-session', new Date())).to.equal(null);
    if (TEST_BACKEND === 'pglite') {
      const statements = await database.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements');
      expect(statements.filter((r) => r.statement.includes('FROM sessions s')).map((r) => r.name), JSON.stringify(statements)).to.have.length(1);
      return;
    }
    const names = (await database.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).map((r) => r.name);
    expect(names).to.include.members(['skyeye_camera_by_id', 'skyeye_camera_by_id_owned', 'skyeye_session_find']);
  });
});
