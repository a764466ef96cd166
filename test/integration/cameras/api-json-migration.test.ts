/**
 * Migration 0112 on a database that already holds cameras: every existing row gets its API JSON
 * (the backfill), equal to what toCamera makes of the row, and the column is then required.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { toCamera } from '@server/cameras/mapper';
import { findCamera } from '@server/cameras/repository';
import { openDatabase, type Database } from '@server/db/database';
import { loadMigrations, runMigrations } from '@server/db/migrate';
import { scratchDatabase, TEST_BACKEND, type ScratchDatabase } from '@test/helpers/database';

describe(`cameras.api_json on an existing database (migration 0112, ${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let dir: string;
  let scratch: ScratchDatabase;
  let database: Database;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-apijson-'));
    scratch = await scratchDatabase();
    database = await openDatabase({ url: scratch.url, dataDir: dir, migrate: false });
    await runMigrations(database, loadMigrations().filter((m) => m.name < '0112'));
    await database.query(
      `INSERT INTO cameras (name, kind, lat, lon, address, owner_name, rtsp_url, credentials_username, tags, status, status_cause, status_changed_at)
       SELECT 'old ' || g || ' "q"', 'road', 34.1 + g * 0.0001, 119.35, CASE WHEN g % 2 = 0 THEN '新安路 ' || g END,
         CASE WHEN g % 3 = 0 THEN 'owner' END, 'rtsp://127.0.0.1:554/' || g, CASE WHEN g % 2 = 1 THEN 'user' END,
         ARRAY['old', 't' || g], 'offline', 'camera_unreachable', timestamptz '2026-12-01 08:00:00.123456+00'
       FROM generate_series(1, 5) g`,
    );
    await runMigrations(database);
  });
  after(async () => {
    await database?.close();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every camera written before the migration has its JSON, equal to toCamera', async () => {
    const rows = await database.query<{ id: string; api_json: string }>('SELECT id, api_json FROM cameras ORDER BY name');
    expect(rows).to.have.length(5);
    for (const r of rows) expect(JSON.parse(r.api_json)).to.deep.equal(JSON.parse(JSON.stringify(toCamera((await findCamera(database.db, r.id))!))));
  });

  it('the column is required and the trigger fills it: an insert that leaves it out still has it', async () => {
    const [nullable] = await database.query<{ is_nullable: string }>("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'cameras' AND column_name = 'api_json'");
    expect(nullable!.is_nullable).to.equal('NO');
    const [row] = await database.query<{ api_json: string }>("INSERT INTO cameras (name, kind, lat, lon, rtsp_url) VALUES ('new', 'shopfront', 34.2, 119.4, 'rtsp://127.0.0.1/x') RETURNING api_json");
    expect(JSON.parse(row!.api_json)).to.include({ name: 'new', kind: 'shopfront' });
  });
});
