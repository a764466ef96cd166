import { expect } from 'chai';
import { systemClock } from '@common/clock';
import { openDatabase, type Database } from '@server/db/database';
import type { AppContext } from '@server/context';
import { CamerasService } from '@server/cameras/status';
import { LeaseManager } from '@workers/leases/lease-manager';
import { LeaseRepository } from '@server/leases/lease-repository';
import { scratchDatabase, TEST_BACKEND, type ScratchDatabase } from '@test/helpers/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`camera leases (${TEST_BACKEND})`, () => {
  let scratch: ScratchDatabase;
  let database: Database;
  let repo: LeaseRepository;

  async function addCameras(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const [row] = await database.query<{ id: string }>(
        `INSERT INTO cameras (name, kind, lat, lon, enrollment_state) VALUES ($1, 'road', 34.09, 119.35, 'approved') RETURNING id`,
        [`cam ${i}`],
      );
      ids.push(row!.id);
    }
    return ids;
  }

  function manager(workerId: string, active: Map<string, string>, ttlMs = 2000, limits: { maxCameras?: number; acquirePerRound?: number } = {}) {
    return new LeaseManager({
      repo,
      workerId,
      ttlMs,
      ...limits,
      clock: systemClock,
      onAcquire: (lease) => {
        const other = active.get(lease.cameraId);
        if (other) throw new Error(`camera ${lease.cameraId} already ingested by ${other}`);
        active.set(lease.cameraId, workerId);
      },
      onLose: (cameraId) => {
        if (active.get(cameraId) === workerId) active.delete(cameraId);
      },
    });
  }

  beforeEach(async () => {
    scratch = await scratchDatabase();
    database = await openDatabase({ url: scratch.url, dataDir: '', inMemory: true });
    repo = new LeaseRepository(database.db);
  });
  afterEach(async () => {
    await database.close();
    await scratch.drop();
  });

  it('one worker takes every approved camera, each with a distinct fencing token', async () => {
    await addCameras(5);
    const active = new Map<string, string>();
    const a = manager('a', active);
    await a.tick();
    expect(a.leases).to.have.length(5);
    expect(new Set(a.leases.map((l) => l.token)).size).to.equal(5);
    for (const l of a.leases) expect(await repo.holds('a', l.cameraId, l.token)).to.equal(true);
  });

  it('takes new cameras in steps per round and never more than its capacity', async () => {
    await addCameras(7);
    const active = new Map<string, string>();
    const a = manager('a', active, 2000, { maxCameras: 5, acquirePerRound: 3 });
    await a.tick();
    expect(a.leases).to.have.length(3);
    await a.tick();
    expect(a.leases).to.have.length(5);
    await a.tick();
    expect(a.leases, 'capacity reached; two cameras wait for another worker').to.have.length(5);
    const b = manager('b', active);
    await b.tick();
    expect(b.leases).to.have.length(2);
  });

  it('a second worker gets its share and no camera is held twice', async () => {
    await addCameras(6);
    const active = new Map<string, string>();
    const a = manager('a', active);
    const b = manager('b', active);
    await a.tick();
    await b.tick(); // b announces itself; a still holds all six
    await a.tick(); // a sees two workers and hands three back
    await b.tick(); // b takes them
    expect(a.leases).to.have.length(3);
    expect(b.leases).to.have.length(3);
    expect(active.size).to.equal(6);
  });

  it('a slow round (every stop awaits an ffmpeg) keeps its other leases alive: no camera is taken while it is still ingested', async () => {
    await addCameras(6);
    const active = new Map<string, string>();
    const a = new LeaseManager({
      repo,
      workerId: 'a',
      ttlMs: 600,
      clock: systemClock,
      onAcquire: (lease) => void active.set(lease.cameraId, 'a'),
      onLose: async (cameraId) => {
        await sleep(400); // ffmpeg finalising its segment: three of these outlast the 600 ms lease
        if (active.get(cameraId) === 'a') active.delete(cameraId);
      },
    });
    const b = manager('b', active, 600); // its onAcquire throws on a camera a still ingests
    a.start();
    await a.tick();
    await b.tick(); // b announces itself; a holds all six
    let done = false;
    const rounds = (async () => {
      while (!done) {
        await b.tick();
        await sleep(100);
      }
    })();
    try {
      await a.tick(); // hands three back, one after the other (1.2 s)
    } finally {
      done = true;
      await rounds;
    }
    await b.tick();
    expect(a.leases).to.have.length(3);
    expect(b.leases).to.have.length(3);
    expect(active.size).to.equal(6);
    await a.stop();
  });

  it('between rounds (status repairs, a stop\'s archive flush, any wait) the beat keeps the leases: no camera is taken while it is still ingested', async () => {
    await addCameras(2);
    const active = new Map<string, string>();
    const a = manager('a', active, 600);
    a.start();
    await a.tick();
    await sleep(1500); // no round of a's for 2.5 ttls: a is silent, its share is b's
    const b = manager('b', active, 600); // its onAcquire throws on a camera a still ingests
    await b.tick();
    expect(b.leases, 'taken from a worker that still ingests them').to.have.length(0);
    await a.stop();
    await b.tick();
    expect(b.leases).to.have.length(2);
  });

  it('renewals stuck: the watchdog stops every ingest before the leases expire; once they answer, the fenced cameras are handed back', async () => {
    await addCameras(2);
    const TTL = 3000; // fenced 2.4 s after the last renewal was sent
    let stuck: Promise<void> | null = null;
    let unstick = () => {};
    const real = repo;
    const slow = Object.assign(Object.create(real) as LeaseRepository, {
      renew: async (workerId: string, ttlMs: number) => {
        if (stuck) await stuck;
        return real.renew(workerId, ttlMs);
      },
    });
    const active = new Map<string, string>();
    const lost: string[] = [];
    let fencedAt = 0;
    const a = new LeaseManager({
      repo: slow,
      workerId: 'a',
      ttlMs: TTL,
      clock: systemClock,
      onAcquire: (lease) => void active.set(lease.cameraId, 'a'),
      onLose: (cameraId, reason) => (lost.push(reason), (fencedAt = Date.now()), void active.delete(cameraId)),
    });
    a.start();
    try {
      await a.tick();
      const tokens = a.leases.map((l) => l.token);
      stuck = new Promise((resolve) => (unstick = resolve));
      // Fenced 2.4 s after the last renewal that went through was sent (before `stuck`); waited
      // for with room to spare on a busy machine, and compared with the leases' expiry itself.
      for (let waited = 0; lost.length < 2 && waited < 6000; waited += 50) await sleep(50);
      expect(lost, 'fenced').to.deep.equal(['fenced', 'fenced']);
      expect(active.size).to.equal(0);
      const leases = await database.query<{ expires_at: Date | string }>(`SELECT expires_at FROM camera_leases WHERE worker_id = 'a'`);
      expect(leases).to.have.length(2);
      for (const l of leases) expect(new Date(l.expires_at).getTime(), 'stopped before the leases expired').to.be.greaterThan(fencedAt);
      stuck = null;
      unstick(); // the stuck renewals go through: the leases are a's again, but nothing ingests them
      // The round hands them back and (the only worker) takes them anew: ingested again.
      await a.tick();
      expect(a.leases.map((l) => l.token).sort(), 'new leases').to.not.have.members(tokens);
      expect(a.leases).to.have.length(2);
      expect(active.size).to.equal(2);
    } finally {
      unstick();
      await a.stop();
    }
  });

  it("a dead worker's cameras are taken over after its lease expires, and its token no longer holds", async () => {
    const [cam] = await addCameras(1);
    const active = new Map<string, string>();
    const a = manager('a', active, 600);
    await a.tick();
    const old = a.leases[0]!;
    active.clear(); // worker a dies without a word
    const b = manager('b', active, 600);
    await b.tick();
    expect(b.leases).to.have.length(0); // a's lease has not expired yet
    await new Promise((r) => setTimeout(r, 800));
    await b.tick();
    expect(b.leases.map((l) => l.cameraId)).to.deep.equal([cam]);
    expect(b.leases[0]!.token).to.be.greaterThan(old.token);
    expect(await repo.holds('a', cam!, old.token)).to.equal(false);
  });

  it('a write under the lease (checked in its own transaction) holds off a takeover until it commits', async function () {
    // Needs two connections at once: a PostgreSQL server (PGlite has one).
    if (TEST_BACKEND !== 'postgres') this.skip();
    const [cam] = await addCameras(1);
    const active = new Map<string, string>();
    const a = manager('a', active, 600);
    await a.tick();
    const { token } = a.leases[0]!;
    active.clear(); // worker a stops renewing; its lease expires while its last write is in flight
    const b = manager('b', active, 600);
    let takeover: Promise<void> | undefined;
    let tookDuringWrite: boolean | undefined;
    // The real status write, with a lease guard that takes its time: a's lease expires meanwhile
    // and b tries to take the camera while the write is in flight.
    const events: string[] = [];
    const cameras = new CamerasService({ ctx: { database, bus: { publish: (_t: string, e: { status: string }) => events.push(e.status) } } as unknown as AppContext, keyring: null as never, org: null as never });
    const written = await cameras.updateStatus(cam!, 'offline', 'worker a stopping', 'a', async (tx) => {
      const held = await LeaseRepository.holdsLocked(tx, 'a', cam!, token);
      await new Promise((r) => setTimeout(r, 800)); // past a's expiry
      takeover = b.tick();
      await new Promise((r) => setTimeout(r, 500));
      tookDuringWrite = b.leases.some((l) => l.cameraId === cam);
      return held;
    });
    expect(written).to.equal(true);
    expect(events).to.deep.equal(['offline']);
    await takeover;
    expect(tookDuringWrite, 'taken over while the old holder was writing').to.equal(false);
    if (!b.leases.length) await b.tick(); // it may have skipped the locked camera this round
    expect(b.leases.map((l) => l.cameraId)).to.deep.equal([cam]);
    // The old token is fenced from now on.
    const fenced = await database.db.transaction((tx) => LeaseRepository.holdsLocked(tx, 'a', cam!, token));
    expect(fenced).to.equal(false);
    await b.stop();
  });

  it('a clean stop hands leases back at once', async () => {
    await addCameras(2);
    const active = new Map<string, string>();
    const a = manager('a', active);
    await a.tick();
    await a.stop();
    const b = manager('b', active);
    await b.tick();
    expect(b.leases).to.have.length(2);
  });

  it("a silent worker's cameras: the others count it out at once and run their round when its leases expire (within leaseTtl)", async () => {
    await addCameras(4);
    const active = new Map<string, string>();
    const TTL = 3000; // round 1 s, silent after 2 s
    const a = manager('a', active, TTL);
    const b = manager('b', active, TTL);
    await a.tick();
    await b.tick();
    await a.tick(); // a hands two back (released: b takes them on its next round, no expiry wait)
    expect(await database.query(`SELECT 1 FROM camera_leases WHERE worker_id = 'a' AND released_at IS NOT NULL`)).to.have.length(2);
    await b.tick();
    expect(b.leases).to.have.length(2);
    expect(b.nextTakeoverMs, 'a is alive: nothing to take over').to.equal(null);
    await a.tick(); // a's last renewal; then it goes silent (SIGKILL)
    active.forEach((w, id) => w === 'a' && active.delete(id));
    await new Promise((r) => setTimeout(r, 2100));
    await b.tick(); // a is silent now: b's share is all four, a's leases are not expired yet
    expect(b.leases).to.have.length(2);
    const wait = b.nextTakeoverMs;
    expect(wait, 'when a\'s leases expire').to.be.a('number');
    expect(wait!, 'no later than a\'s last renewal + ttl').to.be.at.most(TTL);
    await new Promise((r) => setTimeout(r, wait! + 20));
    await b.tick();
    expect(b.leases, 'taken over at expiry, not a round later').to.have.length(4);
  });

  it('a suspended camera is released', async () => {
    const [cam] = await addCameras(1);
    const active = new Map<string, string>();
    const a = manager('a', active);
    await a.tick();
    await database.query(`UPDATE cameras SET enrollment_state = 'suspended' WHERE id = $1`, [cam]);
    await a.tick();
    expect(a.leases).to.have.length(0);
    expect(active.size).to.equal(0);
  });
});
