/**
 * Camera changes between processes over the database's LISTEN/NOTIFY: two feeds with their own
 * buses on one database stand for two processes. On PostgreSQL the listening connection is also
 * killed server-side, and the feed must come back by itself and ask for a resync.
 */
import { expect } from 'chai';
import { EventBus, type RemoteCameraChange } from '@server/realtime/bus';
import { CHANGE_CHANNEL, parseChange, startChangeFeed } from '@server/realtime/change-feed';
import { openTestDatabase, TEST_BACKEND } from '@test/helpers/database';

const ID = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ab';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined, ms = 5_000): Promise<T> {
  for (const end = Date.now() + ms; ; await sleep(50)) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

describe(`camera change feed between processes (${TEST_BACKEND})`, function () {
  this.timeout(30_000);
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  const stops: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
    await db.close();
  });

  async function process(origin: string) {
    const bus = new EventBus();
    const got: RemoteCameraChange[] = [];
    bus.subscribe('camera:remote-change', (c) => got.push(c));
    const warnings: string[] = [];
    const feed = await startChangeFeed({ database: db.database, bus, origin, log: { warn: (_o, m) => warnings.push(m) } });
    stops.push(() => feed.stop());
    return { bus, got, warnings };
  }

  it('tells the other processes, not the one that made the change, and drops foreign payloads', async () => {
    const a = await process('api-1');
    const b = await process('worker-1');
    a.bus.publish('camera:updated', { id: ID, ownerUserId: null, camera: { secret: 'never sent' } });
    const seen = await until('worker-1 to hear of the update', () => b.got.find((c) => c.event === 'camera:updated'));
    expect(seen).to.deep.equal({ event: 'camera:updated', id: ID });

    b.bus.publish('camera:deleted', { id: ID, ownerUserId: null });
    await until('api-1 to hear of the deletion', () => a.got.find((c) => c.event === 'camera:deleted'));
    await sleep(300);
    expect(a.got.map((c) => c.event), 'its own update never comes back as remote').to.deep.equal(['camera:deleted']);
    expect(b.got.map((c) => c.event)).to.deep.equal(['camera:updated']);

    // Anything else on the channel is dropped; the feed goes on.
    for (const junk of ['not json', '{"o":"x","e":"camera:updated","id":"../../etc"}', '{"o":"x","e":"user:deleted","id":"' + ID + '"}', 'x'.repeat(5000)]) {
      await db.database.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, junk]);
    }
    a.bus.publish('camera:ingest-changed', { id: ID });
    await until('the next real change', () => b.got.find((c) => c.event === 'camera:ingest-changed'));
    expect(b.got.map((c) => c.event)).to.deep.equal(['camera:updated', 'camera:ingest-changed']);
  });

  it('a burst of changes (bulk import) goes out as one resync notice', async () => {
    const a = await process('api-1');
    const b = await process('worker-1');
    for (let i = 0; i < 500; i++) a.bus.publish('camera:created', { id: ID, ownerUserId: null });
    await until('the resync notice', () => b.got.find((c) => c.event === 'resync'));
    await sleep(300);
    expect(b.got).to.deep.equal([{ event: 'resync', id: null }]);
  });

  it('a bulk import is one resync notice; released leases reach the others as leases:released', async () => {
    const a = await process('api-1');
    const b = await process('worker-1');
    a.bus.publish('cameras:imported', { ids: Array.from({ length: 50 }, () => ID) });
    await until('the resync notice', () => (b.got.length ? true : undefined));
    a.bus.publish('leases:released', {});
    await until('the release', () => (b.got.length > 1 ? true : undefined));
    await sleep(300);
    expect(b.got, 'once each, no echo between the processes').to.deep.equal([
      { event: 'resync', id: null },
      { event: 'released', id: null },
    ]);
    expect(a.got).to.deep.equal([]);
  });

  it('comes back by itself when its connection is killed, and asks for a resync', async function () {
    if (TEST_BACKEND !== 'postgres') this.skip(); // PGlite is in-process: no connection to lose
    const a = await process('api-1');
    const b = await process('worker-1');
    const killed = await db.database.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN %' AND pid <> pg_backend_pid()`,
    );
    expect(killed.length, 'both listening connections found and killed').to.equal(2);
    await until('a resync request after reconnecting', () => b.got.find((c) => c.event === 'resync'));
    expect(b.warnings.some((w) => w.includes('reconnecting'))).to.equal(true);
    a.bus.publish('camera:created', { id: ID, ownerUserId: null });
    await until('changes to flow again', () => b.got.find((c) => c.event === 'camera:created'));
  });

  it('parses only its own payloads', () => {
    expect(parseChange(JSON.stringify({ o: 'p', e: 'camera:created', id: ID }))).to.deep.equal({ o: 'p', e: 'camera:created', id: ID });
    expect(parseChange('{"o":1,"e":"camera:created","id":"' + ID + '"}')).to.equal(null);
    expect(parseChange('{"__proto__":{"o":"p"},"e":"camera:created","id":"' + ID + '"}')).to.equal(null);
    expect(parseChange('null')).to.equal(null);
    expect(parseChange('{"o":"p","e":"resync"}')).to.deep.equal({ o: 'p', e: 'resync' });
  });
});
