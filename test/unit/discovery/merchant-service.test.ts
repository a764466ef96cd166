/**
 * Merchant enrollment rules with a fake context (log, audit transaction, cameras service): a
 * failed verification answers the merchant one generic 422 and nothing else, while staff get the
 * classified reason in the log and the audit; an address outside the allowed ranges is refused
 * before anything is dialled. (The device is a closed loopback port: nothing listens there.)
 */
import { expect } from 'chai';
import type { Actor, CamerasService } from '@server/cameras/index';
import type { AppContext } from '@server/context';
import { GENERIC_FAILURE, merchantEnrollmentService } from '@server/enrollment/merchant-service';

const actor = { user: { id: 'm1', username: 'shop', role: 'merchant', displayName: '', via: 'bearer' }, audit: { actorId: 'm1', actorName: 'shop', actorRole: 'merchant', ip: null, requestId: null } } as unknown as Actor;
const shop = { name: 'Shop', kind: 'shopfront' as const, location: { lat: 30, lon: 120 }, owner: { name: 'Li' }, consent: true as const, credentials: { username: 'admin', password: 'p' } };

function setup() {
  const logs: Array<Record<string, unknown>> = [];
  const audits: Array<Record<string, unknown>> = [];
  let created = 0;
  const tx = { insert: () => ({ values: async (v: Record<string, unknown>) => void audits.push(v) }) };
  const ctx = {
    clock: { now: () => new Date('2025-01-01T00:00:00Z') },
    bus: { publish: () => undefined },
    logger: { info: (o: Record<string, unknown>) => void logs.push(o), error: () => undefined },
    database: { db: { transaction: async (fn: (t: unknown) => Promise<unknown>) => fn(tx) } },
    config: { discovery: { allowedRanges: ['127.0.0.0/8'], soapTimeout: 1000, maxResponseBytes: 65536 } },
  } as unknown as AppContext;
  const cameras = { orgIndex: async () => ({}), createInTx: async () => ({ id: `cam-${++created}` }) } as unknown as CamerasService;
  return { svc: merchantEnrollmentService(ctx, cameras), logs, audits, created: () => created };
}

describe('enrollment/merchant-service', () => {
  it('a failed verification is one generic 422 for the merchant; the reason goes to the log and the audit', async () => {
    const f = setup();
    const e = (await f.svc.enroll({ ...shop, onvifUrl: 'http://127.0.0.1:1/onvif/device_service' }, actor).catch((x: unknown) => x)) as { status: number; detail: string; errors: unknown };
    expect(e.status).to.equal(422);
    expect(e.detail).to.equal(GENERIC_FAILURE);
    expect(JSON.stringify(e.errors)).to.not.match(/unreachable|ECONN|not_onvif|timeout/);
    expect(f.logs.map((l) => l.code)).to.deep.equal(['unreachable']);
    expect(f.audits.map((a) => [a.action, (a.details as { code: string }).code])).to.deep.equal([['enrollment.merchant.failed', 'unreachable']]);
    expect(f.created()).to.equal(0);
  });

  it('an address outside the allowed ranges is refused naming the field, and not audited as a probe', async () => {
    const f = setup();
    const e = (await f.svc.enroll({ ...shop, rtspUrl: 'rtsp://10.1.2.3:554/x' }, actor).catch((x: unknown) => x)) as { status: number; errors: Array<{ field: string }> };
    expect(e.status).to.equal(422);
    expect(e.errors.map((x) => x.field)).to.deep.equal(['rtspUrl']);
    expect(f.audits).to.deep.equal([]);
    expect(f.logs).to.deep.equal([]);
  });
});
