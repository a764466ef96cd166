/**
 * The embedded PGlite database runs in a thread of its own (server/db/pglite-client.ts): a long
 * query no longer stops the API's event loop, and everything the query layer relies on still holds
 * across the thread boundary: drizzle transactions commit and roll back (nested ones too), errors
 * keep PostgreSQL's code and constraint, values keep their JavaScript types, LISTEN/NOTIFY arrives,
 * a thread whose database was closed serves the next open with nothing left of the last, and a new
 * data dir is created by a process (initdb) and migrated in a thread that both end afterwards
 * (their memory goes with them).
 * PGlite only (the PostgreSQL server side has no thread).
 */
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '@server/db/database';
import { loadMigrations } from '@server/db/migrate';
import { initdbProcesses } from '@server/db/pglite';
import { pgliteThreads } from '@server/db/pglite-client';
import { TEST_BACKEND } from '@test/helpers/database';

(TEST_BACKEND === 'pglite' ? describe : describe.skip)('PGlite in its own thread (pglite)', function () {
  this.timeout(60_000);
  let db: Database;

  before(async () => {
    db = await openDatabase({ inMemory: true, dataDir: '/nonexistent' });
    await db.query('CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, at timestamptz, data bytea, doc jsonb, big bigint)');
  });
  after(async () => {
    await db?.close();
  });

  it('a query of seconds leaves the event loop free: timers keep firing while it runs', async () => {
    // A CPU-bound query inside PostgreSQL (no sleep: PGlite's sleep would not be CPU work), made
    // longer until it takes over 500 ms on this machine (a million rows took 470 ms on a fast one).
    let run = { took: 0, ticks: [] as number[], t0: 0 };
    for (let rows = 1_000_000; rows <= 16_000_000 && run.took <= 500; rows *= 2) {
      const ticks: number[] = [];
      const timer = setInterval(() => ticks.push(performance.now()), 20);
      const t0 = performance.now();
      await db.query('SELECT count(*) FROM generate_series(1, $2::int) g WHERE md5(g::text) LIKE $1', ['ab%', rows]);
      run = { took: performance.now() - t0, ticks, t0 };
      clearInterval(timer);
    }
    const { took, ticks, t0 } = run;
    const gaps = ticks.map((t, i) => t - (i ? ticks[i - 1]! : t0));
    expect(took, 'the query must be long enough to tell').to.be.above(500);
    expect(ticks.length, `ticks during a ${took.toFixed(0)} ms query`).to.be.above(took / 20 / 4);
    expect(Math.max(...gaps), 'longest stall of the event loop (ms)').to.be.below(took / 2);
  });

  it('drizzle transactions commit, roll back on a throw, and nest as savepoints', async () => {
    await db.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO t (id, name) VALUES (1, 'kept')`);
    });
    await db.db
      .transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO t (id, name) VALUES (2, 'gone')`);
        throw new Error('abort');
      })
      .catch((e: Error) => expect(e.message).to.equal('abort'));
    await db.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO t (id, name) VALUES (3, 'outer')`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO t (id, name) VALUES (4, 'inner')`);
          inner.rollback();
        })
        .catch(() => undefined);
    });
    const rows = await db.query<{ id: number }>('SELECT id FROM t ORDER BY id');
    expect(rows.map((r) => r.id)).to.deep.equal([1, 3]);
  });

  it('a transaction is isolated from queries sent while it is open, and a failed commit reports its error', async () => {
    let inside = 0;
    let outside: Promise<Array<{ n: string }>> | undefined;
    await db.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO t (id, name) VALUES (10, 'pending')`);
      // Sent meanwhile outside the transaction: it waits for the commit (PGlite runs one at a time).
      outside = db.query<{ n: string }>('SELECT count(*)::text AS n FROM t WHERE id = 10');
      const res = (await tx.execute(sql`SELECT count(*)::text AS n FROM t WHERE id = 10`)) as unknown as { rows: Array<{ n: string }> };
      inside = Number(res.rows[0]!.n);
    });
    expect((await outside!)[0]!.n, 'the outside query saw the committed row').to.equal('1');
    expect(inside).to.equal(1);
    const err = await db.db
      .transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO t (id, name) VALUES (1, 'duplicate')`);
      })
      .then(() => null, (e: unknown) => e);
    expect(err, 'the duplicate key must fail').to.be.instanceOf(Error);
    let code: unknown;
    for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) code ??= e.code;
    expect(code).to.equal('23505');
    // The thread is usable afterwards, and nothing of the failed transaction is left.
    expect((await db.query('SELECT 1 FROM t WHERE name = $1', ['duplicate'])).length).to.equal(0);
  });

  it('errors keep PostgreSQL\'s fields; values keep their types', async () => {
    const e = (await db.query("INSERT INTO t (id, name) VALUES (1, 'x')").catch((x: unknown) => x)) as Record<string, unknown>;
    expect(e).to.be.instanceOf(Error);
    expect(e.code).to.equal('23505');
    expect(e.constraint).to.equal('t_pkey');
    await db.query('INSERT INTO t (id, name, at, data, doc, big) VALUES (20, $1, $2, $3, $4, $5)', ['typed', new Date('2026-12-01T02:00:00Z'), new Uint8Array([0, 1, 255]), { a: [1, 'b'] }, 2n ** 60n]);
    const [row] = await db.query<{ at: Date; data: Uint8Array; doc: unknown; big: bigint }>('SELECT at, data, doc, big FROM t WHERE id = 20');
    expect(row!.at).to.be.instanceOf(Date);
    expect(row!.at.toISOString()).to.equal('2026-12-01T02:00:00.000Z');
    expect([...row!.data]).to.deep.equal([0, 1, 255]);
    expect(row!.doc).to.deep.equal({ a: [1, 'b'] });
    expect(BigInt(row!.big)).to.equal(2n ** 60n);
  });

  it('LISTEN/NOTIFY crosses the thread; a closed database is gone, and its thread opens the next one clean', async () => {
    const got: string[] = [];
    const off = await db.listen('skyeye_test', { onMessage: (p) => got.push(p) });
    await db.query(`SELECT pg_notify('skyeye_test', 'hello')`);
    for (let i = 0; i < 50 && !got.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got).to.deep.equal(['hello']);
    await off();

    const other = await openDatabase({ inMemory: true, dataDir: '/nonexistent' });
    await other.query('CREATE TABLE only_here (x int)');
    await other.close();
    expect(await other.query('SELECT 1').then(() => 'answered', (e: Error) => e.message)).to.match(/closed/);
    const next = await openDatabase({ inMemory: true, dataDir: '/nonexistent' });
    try {
      const [r] = await next.query<{ t: string | null }>("SELECT to_regclass('only_here')::text AS t");
      expect(r!.t, 'a table of the closed database').to.equal(null);
    } finally {
      await next.close();
    }
  });

  it('a new data dir is created by a process of its own and migrated in a thread, both of which then end (their memory with them); the database runs with a small buffer pool and gives its heap back on request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skyeye-pglite-'));
    try {
      const before = pgliteThreads();
      const initdb = initdbProcesses();
      const fresh = await openDatabase({ dataDir: dir });
      try {
        const after = pgliteThreads();
        expect(initdbProcesses() - initdb, 'initdb processes run for a new data dir').to.equal(1);
        expect(after.exited - before.exited, 'threads ended while opening a new data dir').to.equal(1);
        const [m] = await fresh.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        expect(m!.n).to.equal(loadMigrations().length);
        const [b] = await fresh.query<{ shared_buffers: string }>('SHOW shared_buffers');
        expect(b!.shared_buffers).to.equal('16MB');
        // What the migrations left in the thread's heap goes back to the system on request (main.ts, after start-up).
        const heap = await fresh.reduceMemory();
        expect(heap!.after, 'the database thread\'s heap after giving back').to.be.lessThan(heap!.before);
      } finally {
        await fresh.close();
      }
      // Opened again, the data dir is used as it is: no thread is started and ended for it.
      const mid = pgliteThreads();
      const again = await openDatabase({ dataDir: dir });
      await again.close();
      expect(pgliteThreads().exited - mid.exited).to.equal(0);
      expect(initdbProcesses() - initdb, 'no initdb for an existing data dir').to.equal(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
