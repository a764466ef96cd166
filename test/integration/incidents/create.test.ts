/**
 * Creating incidents: numbers per station and year with no duplicates under parallel creates, the
 * default station (the creator's, else the nearest camera's), and bad input as problem+json naming
 * the field.
 */
import { expect } from 'chai';
import type { Incident } from '@common/incidents';
import { startWorld, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { yearIn } from '@server/incidents/numbering';
import { incidentBody, placeCamera, setStation } from './helpers';

describe(`creating incidents (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  let station: { id: string; name: string };

  before(async () => {
    w = await startWorld();
    const [row] = await w.srv.ctx.database.query<{ id: string; name: string }>('SELECT id, name FROM stations ORDER BY code LIMIT 1');
    station = row!;
  });
  after(async () => {
    await w?.srv.close();
  });

  it('numbers per station and year, without duplicates or holes under parallel creates', async () => {
    const year = yearIn(new Date(), 'Asia/Shanghai');
    const n = 24;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => w.as.admin.json<Incident>('POST', '/api/v1/incidents', incidentBody({ title: `并发 ${i}`, stationId: station.id }))),
    );
    for (const r of results) expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const numbers = results.map((r) => r.body.number).sort();
    expect(numbers).to.deep.equal(Array.from({ length: n }, (_, i) => `${station.name}-${year}-${String(i + 1).padStart(5, '0')}`));
    // Another station and incidents without one count on their own.
    const other = await w.srv.ctx.database.query<{ id: string; name: string }>('SELECT id, name FROM stations WHERE id <> $1 ORDER BY code LIMIT 1', [station.id]);
    const r2 = await w.as.admin.json<Incident>('POST', '/api/v1/incidents', incidentBody({ stationId: other[0]!.id }));
    expect(r2.body.number).to.equal(`${other[0]!.name}-${year}-00001`);
    const none = await w.as.admin.json<Incident>('POST', '/api/v1/incidents', incidentBody({ stationId: null }));
    expect(none.body.number).to.equal(`天眼-${year}-00001`);
    expect(none.body.station).to.equal(null);
  });

  it('defaults the station to the creator\'s, else to the nearest camera\'s in the radius', async () => {
    const [, second] = (await w.srv.ctx.database.query<{ id: string }>('SELECT id FROM stations ORDER BY code LIMIT 2')).map((s) => s.id);
    await placeCamera(w, 'station camera', 200, second!);
    const fromCamera = await w.as.operator.json<Incident>('POST', '/api/v1/incidents', incidentBody());
    expect(fromCamera.status).to.equal(201);
    expect(fromCamera.body.station?.id).to.equal(second);
    expect(fromCamera.body.createdBy?.username).to.equal('operator');
    await setStation(w, w.as.investigator.userId, station.id);
    const own = await w.as.investigator.json<Incident>('POST', '/api/v1/incidents', incidentBody());
    expect(own.body.station?.id).to.equal(station.id);
    expect(own.body.assignees.map((a) => a.username)).to.deep.equal(['investigator']);
    // Investigators create for their own station only.
    expect((await w.as.investigator.json('POST', '/api/v1/incidents', incidentBody({ stationId: second }))).status).to.equal(403);
  });

  it('bad input is a 400 problem+json naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: undefined }, 'title'],
      [{ title: '' }, 'title'],
      [{ category: 'gossip' }, 'category'],
      [{ location: { lat: 95, lon: 119 } }, 'location.lat'],
      [{ location: { lat: 34 } }, 'location.lon'],
      [{ radius: -5 }, 'radius'],
      [{ radius: 50_000 }, 'radius'],
      [{ radius: '500' }, 'radius'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: new Date(Date.now() - 3 * 3_600_000).toISOString() }, 'to'],
      [{ from: new Date(Date.now() - 40 * 86_400_000).toISOString() }, 'to'],
      [{ stationId: 'x' }, 'stationId'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [patch, field] of cases) {
      const body = { ...incidentBody(), ...patch };
      const r = await w.as.operator.json('POST', '/api/v1/incidents', body);
      expect(r.status, `${JSON.stringify(patch)} -> ${JSON.stringify(r.body)}`).to.equal(400);
      expect(r.res.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect((r.body.errors as Array<{ field: string }>).map((e) => e.field), JSON.stringify(patch)).to.include(field);
    }
    const id = (await w.as.admin.json<Incident>('POST', '/api/v1/incidents', incidentBody())).body.id;
    const patchCases: Array<[Record<string, unknown>, string]> = [
      [{ status: 'solved' }, 'status'],
      [{ to: new Date(Date.now() - 5 * 3_600_000).toISOString() }, 'to'],
      [{ radius: 0 }, 'radius'],
    ];
    for (const [patch, field] of patchCases) {
      const r = await w.as.admin.json('PATCH', `/api/v1/incidents/${id}`, patch);
      expect(r.status, JSON.stringify(r.body)).to.equal(400);
      expect((r.body.errors as Array<{ field: string }>).map((e) => e.field)).to.include(field);
    }
  });
});
