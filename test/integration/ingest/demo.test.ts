/**
 * The demo town through server/start.ts (role all): sim.cameras=2 starts two simulated cameras,
 * enrolls them as approved cameras placed in the demo organisation, and ingests both to `live`.
 * Restarting on the same data dir and database enrolls nothing twice and goes live again.
 */
import { expect } from 'chai';
import { DEMO_ORG } from '@sim/demo-town';
import { TEST_BACKEND } from '@test/helpers/database';
import { baseOctet, createSite, expectNoIngestFfmpeg, ourFfmpegs, waitStatus, type Running, type Site } from './helpers';

describe(`demo fleet through start.ts (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let site: Site;
  let app: Running | undefined;
  const overrides = { sim: { cameras: 2, baseOctet: baseOctet(0) } };

  before(async () => {
    site = await createSite();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await expectNoIngestFfmpeg();
    expect(ourFfmpegs(), 'no sim publisher either').to.have.length(0);
  });
  after(async () => {
    await site?.drop();
  });

  async function demoCameras(a: Running): Promise<any[]> {
    const all = await a.api('GET', '/api/v1/cameras?limit=500');
    expect(all.status).to.equal(200);
    return all.body.items.filter((c: any) => c.tags.some((t: string) => t.startsWith('sim:urn:uuid:')));
  }

  it('enrolls 2 sim cameras in the demo organisation and both reach live', async () => {
    const t0 = Date.now();
    app = await site.start(overrides);
    const cams = await demoCameras(app);
    expect(cams).to.have.length(2);
    const org = (await app.api('GET', '/api/v1/org')).body;
    const code = (list: Array<{ id: string; code: string }>, id: string) => list.find((u) => u.id === id)?.code;
    for (const c of cams) {
      expect(c.enrollmentState).to.equal('approved');
      expect(c.credentials).to.deep.equal({ username: 'admin' });
      expect(DEMO_ORG.stations.map((s) => s.code)).to.include(code(org.stations, c.stationId));
      expect(DEMO_ORG.policeRooms.map((s) => s.code)).to.include(code(org.policeRooms, c.policeRoomId));
      expect(DEMO_ORG.patrolZones.map((s) => s.code)).to.include(code(org.patrolZones, c.patrolZoneId));
      expect(DEMO_ORG.grids.map((s) => s.code)).to.include(code(org.grids, c.gridId));
    }
    for (const c of cams) await waitStatus(app, c.id, 'live', 30_000);
    console.log(`      both live ${Date.now() - t0} ms after start`);
    const hist = await app.api('GET', `/api/v1/cameras/${cams[0].id}/status-history?limit=20`);
    const statuses = hist.body.items.map((h: any) => h.status);
    expect(statuses).to.include('live').and.include('starting');
    expect(hist.body.items[0].workerId).to.be.a('string');
    expect(app.logs()).not.to.include('skyeye-sim-123');
  });

  it('restarting on the same data enrolls nothing twice and goes live again', async () => {
    app = await site.start(overrides);
    const cams = await demoCameras(app);
    expect(cams).to.have.length(2);
    const all = (await app.api('GET', '/api/v1/cameras?limit=500')).body.items;
    expect(all).to.have.length(2);
    for (const c of cams) await waitStatus(app, c.id, 'live', 30_000);
  });
});
