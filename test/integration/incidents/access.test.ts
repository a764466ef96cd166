/**
 * Who sees and changes which incident, on every path: merchants never (404), investigators their
 * station's and those assigned to them (404 for another station's), operators their station's and
 * those they created (and change only the latter, 403), admins all; every change in the incident's
 * history and the audit log.
 */
import { expect } from 'chai';
import type { Incident } from '@common/incidents';
import { startWorld, type Client, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { createIncident, placeCamera, setStation } from './helpers';

describe(`incident access by role and station (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  let s1: string;
  let s2: string;
  let mine: string;
  let other: string;
  let camera: string;

  before(async () => {
    w = await startWorld();
    [s1, s2] = w.org.stations.map((s) => s.id) as [string, string];
    await setStation(w, w.as.investigator.userId, s1);
    mine = await createIncident(w.as.admin, { title: 'station 1', stationId: s1 });
    other = await createIncident(w.as.admin, { title: 'station 2', stationId: s2 });
    camera = await placeCamera(w, 'cam', 50);
  });
  after(async () => {
    await w?.srv.close();
  });

  const paths = (id: string): Array<[string, string, unknown?]> => [
    ['GET', `/api/v1/incidents/${id}`],
    ['GET', `/api/v1/incidents/${id}/cameras`],
    ['GET', `/api/v1/incidents/${id}/history`],
    ['PATCH', `/api/v1/incidents/${id}`, { status: 'closed' }],
    ['PUT', `/api/v1/incidents/${id}/assignees`, { userIds: [] }],
    ['POST', `/api/v1/incidents/${id}/cameras`, { cameraId: camera }],
    ['DELETE', `/api/v1/incidents/${id}/cameras/${camera}`],
  ];
  const expectStatus = async (as: Client, id: string, status: number) => {
    for (const [m, p, body] of paths(id)) expect((await as.json(m, p, body)).status, `${m} ${p}`).to.equal(status);
  };
  const listed = async (as: Client) => ((await as.json('GET', '/api/v1/incidents')).body.items as Incident[]).map((i) => i.id);

  it('merchants never see incidents: 404 on every path, list and create included', async () => {
    await expectStatus(w.as.merchant, mine, 404);
    expect((await w.as.merchant.json('GET', '/api/v1/incidents')).status).to.equal(404);
    expect((await w.as.merchant.json('GET', '/api/v1/incidents/meta')).status).to.equal(404);
    const create = await w.as.merchant.json('POST', '/api/v1/incidents', { title: 'x' });
    expect(create.status).to.equal(404);
  });

  it('an investigator sees their station, not another (404 on every path), until assigned to it', async () => {
    expect((await w.as.investigator.json('GET', `/api/v1/incidents/${mine}`)).status).to.equal(200);
    await expectStatus(w.as.investigator, other, 404);
    expect(await listed(w.as.investigator)).to.deep.equal([mine]);
    const assign = await w.as.admin.json('PUT', `/api/v1/incidents/${other}/assignees`, { userIds: [w.as.investigator.userId] });
    expect(assign.status, JSON.stringify(assign.body)).to.equal(200);
    expect((assign.body as Incident).assignees.map((a) => a.username)).to.deep.equal(['investigator']);
    const seen = await w.as.investigator.json('GET', `/api/v1/incidents/${other}`);
    expect(seen.status).to.equal(200);
    expect(await listed(w.as.investigator)).to.have.members([mine, other]);
    const patch = await w.as.investigator.json('PATCH', `/api/v1/incidents/${other}`, { status: 'under_investigation', version: (seen.body as Incident).version });
    expect(patch.status, JSON.stringify(patch.body)).to.equal(200);
    expect((patch.body as Incident).status).to.equal('under_investigation');
    // A stale version is refused.
    const stale = await w.as.investigator.json('PATCH', `/api/v1/incidents/${other}`, { status: 'closed', version: (seen.body as Incident).version });
    expect(stale.status).to.equal(409);
    // Investigators do not move incidents between stations.
    expect((await w.as.investigator.json('PATCH', `/api/v1/incidents/${other}`, { stationId: s1 })).status).to.equal(403);
    // Unassigned again: gone.
    expect((await w.as.admin.json('PUT', `/api/v1/incidents/${other}/assignees`, { userIds: [] })).status).to.equal(200);
    expect((await w.as.investigator.json('GET', `/api/v1/incidents/${other}`)).status).to.equal(404);
  });

  it('every change is in the history (who, what) and the audit log', async () => {
    const h = await w.as.admin.json('GET', `/api/v1/incidents/${other}/history`);
    const items = h.body.items as Array<{ action: string; actor: { name: string }; changes: Record<string, unknown> }>;
    expect(items.map((i) => [i.action, i.actor.name])).to.deep.equal([
      ['create', 'admin'],
      ['assign', 'admin'],
      ['update', 'investigator'],
      ['assign', 'admin'],
    ]);
    expect(items[2]!.changes).to.deep.equal({ status: { from: 'open', to: 'under_investigation' } });
    expect(items[3]!.changes).to.deep.equal({ added: [], removed: ['investigator'] });
    const audit = await w.as.admin.json('GET', `/api/v1/audit?targetId=${other}`);
    expect(audit.status).to.equal(200);
    expect((audit.body.items as Array<{ action: string }>).map((a) => a.action).reverse()).to.deep.equal(['incident.create', 'incident.assign', 'incident.update', 'incident.assign']);
  });

  it('operators create incidents and change those; their station\'s others they only see (403 on change)', async () => {
    const created = await createIncident(w.as.operator, { title: 'from the wall' });
    const own = await w.as.operator.json('GET', `/api/v1/incidents/${created}`);
    expect(own.status).to.equal(200);
    expect((await w.as.operator.json('PATCH', `/api/v1/incidents/${created}`, { description: '现场有人打架' })).status).to.equal(200);
    await expectStatus(w.as.operator, mine, 404);
    await setStation(w, w.as.operator.userId, s1);
    expect((await w.as.operator.json('GET', `/api/v1/incidents/${mine}`)).status).to.equal(200);
    expect((await w.as.operator.json('PATCH', `/api/v1/incidents/${mine}`, { status: 'closed' })).status).to.equal(403);
    expect((await w.as.operator.json('POST', `/api/v1/incidents/${mine}/cameras`, { cameraId: camera })).status).to.equal(403);
    expect(await listed(w.as.operator)).to.have.members([mine, created]);
    expect(await listed(w.as.admin)).to.include.members([mine, other, created]);
  });

  it('only enabled investigators can be assigned; only admins set stations', async () => {
    const bad = await w.as.admin.json('PUT', `/api/v1/incidents/${mine}/assignees`, { userIds: [w.as.investigator.userId, w.as.operator.userId] });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors).to.deep.equal([{ field: 'userIds.1', message: 'must be an enabled investigator' }]);
    expect((await w.as.operator.json('PUT', `/api/v1/users/${w.as.operator.userId}/station`, { stationId: s2 })).status).to.equal(403);
    const unknown = await w.as.admin.json('PUT', `/api/v1/users/${w.as.operator.userId}/station`, { stationId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.errors[0].field).to.equal('stationId');
  });
});
