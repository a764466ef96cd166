/**
 * A merchant withdraws consent for their camera: recorded in the audit log, the camera disabled
 * and retired at once (ingest is told by camera:deleted), and only the owner may do it.
 */
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { cameraInput, fileMerchantCamera, startWorld, type World } from './helpers';

describe(`camera registry: a merchant withdraws consent (${TEST_BACKEND})`, () => {
  let w: World;
  before(async function () {
    this.timeout(120_000);
    w = await startWorld();
  });
  after(async () => {
    await w?.srv.close();
  });

  it('only the owner withdraws; the camera is disabled and retired at once, every step audited', async () => {
    const filed = await fileMerchantCamera(w, 'merchant', cameraInput({ kind: 'shopfront' }));
    expect(filed.status).to.equal(201);
    const id = filed.body.id as string;
    expect((await w.as.operator.json('POST', `/api/v1/cameras/${id}/enrollment`, { state: 'approved' })).status).to.equal(200);

    // Nobody else may withdraw a merchant's consent, and bad input names the field.
    expect((await w.as.merchant2.call('POST', `/api/v1/cameras/${id}/consent/withdraw`, {})).status).to.equal(404);
    for (const role of ['admin', 'operator', 'investigator'] as const) {
      expect((await w.as[role].call('POST', `/api/v1/cameras/${id}/consent/withdraw`, {})).status, role).to.equal(403);
    }
    const bad = await w.as.merchant.json('POST', `/api/v1/cameras/${id}/consent/withdraw`, { reason: 'x'.repeat(501) });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).to.deep.equal(['reason']);
    expect((await w.as.admin.json('GET', `/api/v1/cameras/${id}`)).body.enrollmentState, 'unchanged after refusals').to.equal('approved');

    const deleted: string[] = [];
    const off = w.srv.ctx.bus.subscribe('camera:deleted', (p) => deleted.push(p.id));
    const res = await w.as.merchant.call('POST', `/api/v1/cameras/${id}/consent/withdraw`, { reason: '店铺停业' });
    off();
    expect(res.status).to.equal(204);
    expect(deleted, 'ingest is told at once').to.deep.equal([id]);
    expect((await w.as.merchant.call('GET', `/api/v1/cameras/${id}`)).status).to.equal(404);
    expect((await w.as.admin.call('GET', `/api/v1/cameras/${id}`)).status).to.equal(404);
    expect((await w.as.merchant.call('POST', `/api/v1/cameras/${id}/consent/withdraw`, {})).status, 'once only').to.equal(404);

    const audit = (await w.as.admin.json('GET', `/api/v1/audit?targetId=${id}`)).body.items as Array<{ action: string; details: Record<string, unknown> }>;
    const actions = audit.map((a) => a.action);
    expect(actions).to.include.members(['camera.consent_withdrawn', 'camera.enrollment', 'camera.delete']);
    expect(audit.find((a) => a.action === 'camera.consent_withdrawn')!.details).to.include({ reason: '店铺停业' });
    expect(audit.find((a) => a.action === 'camera.delete')!.details).to.include({ retired: 'consent withdrawn' });
  });
});
