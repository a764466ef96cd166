/**
 * The audit log's hash chain on a real database: rows already there are chained by the migration,
 * parallel inserts keep one linear chain, and an edited, deleted or truncated row is named by the
 * verifier, the CLI (`npm run verify -- --audit`) and the admin API. The admin API also exports the
 * filtered log (CSV with formula cells neutralised, NDJSON), admins only, and audits the export.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { AuditChainVerifier } from '@server/audit/chain';
import { openDatabase, type Database } from '@server/db/database';
import { loadMigrations, runMigrations } from '@server/db/migrate';
import { scratchDatabase, TEST_BACKEND, type ScratchDatabase } from '@test/helpers/database';
import { startWorld, type World } from '@test/helpers/api';

const actor: AuditActor = { actorId: null, actorName: 'tester', actorRole: 'admin', ip: '127.0.0.1', requestId: 'req-00000001' };

/** Runs a statement with the append-only trigger off, as an attacker with table rights would. */
async function tamper(database: Database, statement: string, params: unknown[] = []): Promise<void> {
  await database.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
  try {
    await database.query(statement, params);
  } finally {
    await database.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
  }
}

describe(`audit log hash chain (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let dir: string;
  let scratch: ScratchDatabase;
  let database: Database;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-audit-'));
    scratch = await scratchDatabase();
    // Rows written before the chain existed: the migration must chain them.
    database = await openDatabase({ url: scratch.url, dataDir: dir, migrate: false });
    await runMigrations(database, loadMigrations().filter((m) => m.name < '0080'));
    for (let i = 0; i < 3; i++) await database.db.transaction((tx) => recordAudit(tx, actor, { action: 'old.entry', details: { i, text: '中文 "quoted" \\ |' } }));
    await runMigrations(database);
  });
  after(async () => {
    await database?.close();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chains old rows and parallel inserts into one linear chain', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => database.db.transaction((tx) => recordAudit(tx, { ...actor, requestId: `req-${i}` }, { action: 'test.parallel', targetType: 'x', targetId: String(i), details: { i } }))),
    );
    // A rolled-back insert leaves no hole.
    await database.db.transaction(async (tx) => {
      await recordAudit(tx, actor, { action: 'test.rolledback' });
      tx.rollback();
    }).catch(() => undefined);
    const rows = await database.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_log a ORDER BY a.seq');
    expect(rows.map((r) => Number(r.seq))).to.deep.equal(Array.from({ length: rows.length }, (_, i) => i + 1));
    expect(rows.length).to.be.at.least(27);
    const report = await new AuditChainVerifier(database).verify();
    expect(report).to.deep.equal({ ok: true, checked: rows.length, firstBroken: null });
  });

  const cli = async (): Promise<{ code: number; out: string; err: string }> => {
    if (TEST_BACKEND === 'pglite') await database.close(); // the embedded database takes one process
    const env = { ...process.env, SKYEYE_DATA_DIR: dir, SKYEYE_LOG_LEVEL: 'silent', ...(scratch.url ? { DATABASE_URL: scratch.url } : {}) };
    const child = spawn('npm', ['run', '-s', 'verify', '--', '--audit'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
    if (TEST_BACKEND === 'pglite') database = await openDatabase({ dataDir: dir, fromSnapshot: true });
    return { code, out, err };
  };

  it('the CLI passes an intact chain', async () => {
    const r = await cli();
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(r.out)).to.include({ ok: true });
  });

  it('an edited row is found and named (verifier and CLI)', async () => {
    const [victim] = await database.query<{ id: string; seq: string }>(`SELECT id::text AS id, seq::text AS seq FROM audit_log WHERE action = 'test.parallel' ORDER BY audit_log.seq LIMIT 1 OFFSET 5`);
    await tamper(database, `UPDATE audit_log SET details = '{"i": 999}' WHERE id = $1`, [victim!.id]);
    const report = await new AuditChainVerifier(database).verify();
    expect(report.ok).to.equal(false);
    expect(report.firstBroken).to.include({ seq: victim!.seq, id: victim!.id, problem: 'hash_mismatch' });
    const r = await cli();
    expect(r.code).to.equal(1);
    expect(JSON.parse(r.out).firstBroken).to.include({ id: victim!.id, problem: 'hash_mismatch' });
    expect(r.err).to.contain(`id ${victim!.id}`);
  });

  it('a deleted row and deleted last rows are found', async () => {
    const fresh = await scratchDatabase();
    const db = await openDatabase({ url: fresh.url, dataDir: '', inMemory: true });
    try {
      for (let i = 0; i < 6; i++) await db.db.transaction((tx) => recordAudit(tx, actor, { action: 'test.seq', details: { i } }));
      const chain = new AuditChainVerifier(db);
      expect((await chain.verify()).ok).to.equal(true);
      await tamper(db, `DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`);
      expect((await chain.verify()).firstBroken).to.include({ problem: 'head_mismatch' });
      await tamper(db, `DELETE FROM audit_log WHERE seq = 3`);
      expect((await chain.verify()).firstBroken).to.include({ seq: '4', problem: 'missing_entries' });
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});

describe(`audit chain, export and public key API (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.srv.close());

  it('GET /api/v1/audit/verify: admin only, names the first broken entry', async () => {
    expect((await world.as.investigator.json('GET', '/api/v1/audit/verify')).status).to.equal(403);
    const ok = await world.as.admin.json('GET', '/api/v1/audit/verify');
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ ok: true, firstBroken: null });
    expect(ok.body.checked).to.be.greaterThan(3);
    const [victim] = await world.srv.ctx.database.query<{ id: string }>(`SELECT id::text AS id FROM audit_log ORDER BY audit_log.seq LIMIT 1 OFFSET 1`);
    await tamper(world.srv.ctx.database, `UPDATE audit_log SET actor_name = 'someone else' WHERE id = $1`, [victim!.id]);
    const bad = await world.as.admin.json('GET', '/api/v1/audit/verify');
    expect(bad.body.ok).to.equal(false);
    expect(bad.body.firstBroken).to.include({ id: victim!.id, seq: '2', problem: 'hash_mismatch' });
  });

  it('GET /api/v1/audit/export.csv|.ndjson: the filtered log, formulas neutralised, admins only, itself audited', async () => {
    const rows = [
      { actorName: '=HYPERLINK("http://evil/")', targetId: '+1+2', details: { note: 'a,b "c"\n中文' } },
      { actorName: '@SUM(A1)', targetId: '-3', details: {} },
      { actorName: 'plain', targetId: '-x', details: {} },
    ];
    for (const x of rows) await world.srv.ctx.database.db.transaction((tx) => recordAudit(tx, { ...actor, actorName: x.actorName }, { action: 'test.export.row', targetType: 'x', targetId: x.targetId, details: x.details }));
    await world.srv.ctx.database.db.transaction((tx) => recordAudit(tx, actor, { action: 'test.exported.not', targetId: '=1' }));
    for (const role of ['operator', 'merchant'] as const) expect((await world.as[role].call('GET', '/api/v1/audit/export.csv')).status, role).to.equal(403);
    const bad = await world.as.admin.json('GET', '/api/v1/audit/export.csv?from=yesterday');
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('from');

    const res = await world.as.admin.call('GET', '/api/v1/audit/export.csv?action=test.export.');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="audit-\d{8}T\d{6}Z\.csv"$/);
    const csv = await res.text();
    expect(csv.split('\n')[0]).to.equal('id,at,actorName,actorRole,actorId,action,targetType,targetId,ip,requestId,details');
    const got = parse(csv, { columns: true }) as Array<Record<string, string>>;
    // Newest first; a formula cell opens as text, a plain number stays a number.
    expect(got.map((g) => [g.action, g.actorName, g.targetId])).to.deep.equal([
      ['test.export.row', 'plain', "'-x"],
      ['test.export.row', "'@SUM(A1)", '-3'],
      ['test.export.row', `'=HYPERLINK("http://evil/")`, "'+1+2"],
    ]);
    expect(JSON.parse(got[2]!.details!)).to.deep.equal({ note: 'a,b "c"\n中文' });

    const nd = await world.as.admin.call('GET', '/api/v1/audit/export.ndjson?action=test.export.row&actor=plain');
    expect(nd.headers.get('content-type')).to.match(/^application\/x-ndjson/);
    const lines = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l) as { actorName: string; targetId: string });
    expect(lines.map((l) => [l.actorName, l.targetId])).to.deep.equal([['plain', '-x']]);

    const audited = await world.as.admin.json('GET', '/api/v1/audit?action=audit.export&limit=2');
    expect(audited.body.items.map((e: { actorName: string; details: unknown }) => [e.actorName, e.details])).to.deep.equal([
      ['admin', { format: 'ndjson', filter: { action: 'test.export.row', actor: 'plain' } }],
      ['admin', { format: 'csv', filter: { action: 'test.export.' } }],
    ]);
  });

  it('GET /api/v1/evidence/public-key: an Ed25519 PEM key kept in the data dir (0600)', async () => {
    const { createPublicKey } = await import('node:crypto');
    const { statSync } = await import('node:fs');
    const r = await fetch(`${world.srv.url}/api/v1/evidence/public-key`);
    const body = (await r.json()) as { algorithm: string; format: string; publicKey: string };
    expect(body).to.include({ algorithm: 'Ed25519', format: 'pem' });
    expect(createPublicKey(body.publicKey).asymmetricKeyType).to.equal('ed25519');
    expect(statSync(join(world.srv.dataDir, 'secrets', 'evidence-signing-key.pem')).mode & 0o777).to.equal(0o600);
  });
});
