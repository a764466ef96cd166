import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { cameraInput, fileMerchantCamera, startWorld, type World } from './helpers';

describe(`camera registry: authorisation (${TEST_BACKEND})`, () => {
  let w: World;
  let staffCam: { id: string };
  before(async () => {
    w = await startWorld();
    staffCam = (await w.as.operator.json('POST', '/api/v1/cameras', cameraInput())).body;
  });
  after(async () => {
    await w?.srv.close();
  });

  it('every camera route needs a signed-in user', async () => {
    for (const [m, p] of [
      ['GET', '/api/v1/cameras'],
      ['GET', `/api/v1/cameras/${staffCam.id}`],
      ['POST', '/api/v1/cameras'],
      ['GET', '/api/v1/cameras/export.csv'],
      ['GET', '/api/v1/org'],
    ]) {
      const r = await fetch(`${w.srv.url}${p}`, { method: m, headers: { 'Content-Type': 'application/json' }, body: m === 'POST' ? '{}' : undefined });
      expect(r.status, `${m} ${p}`).to.equal(401);
    }
  });

  it('investigators read but may not write (403)', async () => {
    const inv = w.as.investigator;
    expect((await inv.call('GET', '/api/v1/cameras')).status).to.equal(200);
    expect((await inv.call('GET', `/api/v1/cameras/${staffCam.id}`)).status).to.equal(200);
    expect((await inv.call('GET', '/api/v1/cameras/export.csv')).status).to.equal(200);
    expect((await inv.call('POST', '/api/v1/cameras', cameraInput())).status).to.equal(403);
    expect((await inv.call('PATCH', `/api/v1/cameras/${staffCam.id}`, { name: 'x', version: 1 })).status).to.equal(403);
    expect((await inv.call('DELETE', `/api/v1/cameras/${staffCam.id}`)).status).to.equal(403);
    expect((await inv.call('POST', `/api/v1/cameras/${staffCam.id}/enrollment`, { state: 'approved' })).status).to.equal(403);
    expect((await inv.call('POST', '/api/v1/cameras/import', [cameraInput()])).status).to.equal(403);
  });

  it('merchants file cameras only through verified enrollment; they see and change only their own', async () => {
    const m = w.as.merchant;
    // POST /cameras would file a camera nobody verified, with consent merely assumed.
    const direct = await m.json('POST', '/api/v1/cameras', cameraInput({ kind: 'shopfront' }));
    expect(direct.status).to.equal(403);
    expect(direct.body.detail).to.include('/api/v1/enrollment/merchant');
    expect((await m.call('POST', '/api/v1/cameras', cameraInput({ enrollmentState: 'approved' }))).status).to.equal(403);
    const created = await fileMerchantCamera(w, 'merchant', cameraInput({ kind: 'shopfront', owner: { name: 'Noodle shop' } }));
    expect(created.status).to.equal(201);
    const mine = created.body;
    expect(mine.enrollmentState).to.equal('pending');
    expect(mine.owner).to.deep.include({ userId: m.userId, name: 'Noodle shop' });

    const list = (await m.json('GET', '/api/v1/cameras?limit=500')).body.items as Array<{ id: string }>;
    expect(list.map((c) => c.id)).to.deep.equal([mine.id]);
    expect((await m.call('GET', `/api/v1/cameras/${staffCam.id}`)).status).to.equal(404);
    expect((await m.call('PATCH', `/api/v1/cameras/${staffCam.id}`, { name: 'mine now', version: 1 })).status).to.equal(404);
    expect((await m.call('DELETE', `/api/v1/cameras/${staffCam.id}`)).status).to.equal(404);
    expect((await m.call('GET', `/api/v1/cameras/${staffCam.id}/status-history`)).status).to.equal(404);

    const other = w.as.merchant2;
    expect((await other.call('GET', `/api/v1/cameras/${mine.id}`)).status).to.equal(404);
    expect((await other.json('GET', '/api/v1/cameras')).body.items).to.deep.equal([]);

    const patched = await m.json('PATCH', `/api/v1/cameras/${mine.id}`, { name: 'Noodle shop door', version: 1 });
    expect(patched.status).to.equal(200);
    expect((await m.call('PATCH', `/api/v1/cameras/${mine.id}`, { enrollmentState: 'approved', version: 2 })).status).to.equal(403);
    expect((await m.call('POST', `/api/v1/cameras/${mine.id}/enrollment`, { state: 'approved' })).status).to.equal(403);
    expect((await m.call('POST', '/api/v1/cameras/import', [cameraInput()])).status).to.equal(403);
    expect((await m.call('GET', '/api/v1/cameras/export.csv')).status).to.equal(403);
    expect((await w.as.admin.json('GET', `/api/v1/cameras/${mine.id}`)).body.enrollmentState).to.equal('pending');

    const approved = await w.as.operator.json('POST', `/api/v1/cameras/${mine.id}/enrollment`, { state: 'approved' });
    expect(approved.status).to.equal(200);
    expect(approved.body.enrollmentState).to.equal('approved');

    expect((await m.call('DELETE', `/api/v1/cameras/${mine.id}`)).status).to.equal(204);
  });

  it('operators have full registry access', async () => {
    const op = w.as.operator;
    const { body: cam } = await op.json('POST', '/api/v1/cameras', cameraInput());
    expect((await op.call('PATCH', `/api/v1/cameras/${cam.id}`, { name: 'ok', version: 1 })).status).to.equal(200);
    expect((await op.call('POST', `/api/v1/cameras/${cam.id}/enrollment`, { state: 'rejected' })).status).to.equal(200);
    expect((await op.call('POST', '/api/v1/cameras/import', [cameraInput()])).status).to.equal(200);
    expect((await op.call('GET', '/api/v1/cameras/export.csv')).status).to.equal(200);
    expect((await op.call('DELETE', `/api/v1/cameras/${cam.id}`)).status).to.equal(204);
  });
});
