/** Discovery page: the scan and enroll form models, device details and permissions. */
import { expect } from 'chai';
import { ROLES } from '@common/domain';
import { changeFlags, clockSkewed, formatOffset, ptzKey } from '@web/discovery/deviceFormat';
import { DEMO_CENTRE, emptyEnrollForm, toEnrollRequest, validateEnroll } from '@web/discovery/enrollForm';
import { isMessageKey } from '@web/ui/Field';
import { discoveryAccess } from '@web/discovery/permissions';
import { cidrPrefix, emptyScanForm, mapScanErrors, toScanRequest, validateScan } from '@web/discovery/scanForm';
import { sectionsFor } from '@web/layout/routes';
import { expectKey } from './i18n-keys';

describe('web/discovery: scan form', () => {
  it('validates unicast ranges and credentials', () => {
    const v = { ...emptyScanForm(), range: '127.0.10.0/29' };
    expect(validateScan(v)).to.deep.equal({});
    expect(validateScan({ ...v, range: '' }).range).to.equal('discovery.v.rangeRequired');
    expect(validateScan({ ...v, range: '127.0.10.0/33' }).range).to.equal('discovery.v.cidr');
    expect(validateScan({ ...v, range: '300.0.0.0/24' }).range).to.equal('discovery.v.cidr');
    expect(validateScan({ ...v, range: '127.0.0.0/8' }).range).to.equal('discovery.v.rangeTooLarge');
    expect(validateScan({ ...v, password: 'x' }).username).to.equal('form.v.usernameNeeded');
    expect(validateScan({ ...v, method: 'multicast', range: '' })).to.deep.equal({});
    expect(cidrPrefix('127.0.0.5')).to.equal(32);
  });

  it('builds the body: range only for unicast, password only with a username', () => {
    expect(toScanRequest({ method: 'multicast', range: '127.0.0.0/29', username: '', password: 'secret' })).to.deep.equal({ method: 'multicast' });
    expect(toScanRequest({ method: 'unicast', range: ' 127.0.10.0/29 ', username: ' admin ', password: 'pw' })).to.deep.equal({
      method: 'unicast',
      range: '127.0.10.0/29',
      username: 'admin',
      password: 'pw',
    });
  });

  it('puts server field errors beside the fields', () => {
    const m = mapScanErrors([
      { field: 'range', message: 'outside the allowed ranges' },
      { field: 'method', message: 'bad' },
    ]);
    expect(m.fields).to.deep.equal({ range: 'outside the allowed ranges' });
    expect(m.other).to.deep.equal([{ field: 'method', message: 'bad' }]);
  });
});

describe('web/discovery: enroll form', () => {
  it('defaults to the demo town centre, approved, road', () => {
    const v = emptyEnrollForm();
    expect(validateEnroll(v)).to.deep.equal({});
    expect(toEnrollRequest(v)).to.deep.equal({ kind: 'road', location: { lat: DEMO_CENTRE.lat, lon: DEMO_CENTRE.lon }, enrollmentState: 'approved' });
  });

  it('validates the location and credentials, and sends only what was filled in', () => {
    expect(validateEnroll({ ...emptyEnrollForm(), lat: '91' }).lat).to.equal('form.v.latRange');
    expect(validateEnroll({ ...emptyEnrollForm(), lon: 'abc' }).lon).to.equal('form.v.number');
    expect(validateEnroll({ ...emptyEnrollForm(), lat: '' }).lat).to.equal('form.v.required');
    expect(validateEnroll({ ...emptyEnrollForm(), password: 'x' }).username).to.equal('form.v.usernameNeeded');
    const body = toEnrollRequest({ ...emptyEnrollForm(), name: ' 东门 ', state: 'pending', lat: '34.1', lon: '119.4', address: '东门路', username: 'admin', password: 'pw', kind: 'shopfront' });
    expect(body).to.deep.equal({
      kind: 'shopfront',
      location: { lat: 34.1, lon: 119.4, address: '东门路' },
      enrollmentState: 'pending',
      name: '东门',
      credentials: { username: 'admin', password: 'pw' },
    });
  });
});

describe('web/discovery: device details and permissions', () => {
  it('flags new IP and new firmware first', () => {
    const flags = changeFlags({ changes: { rtspUrl: { from: 'a', to: 'b' }, foo: { from: null, to: 'x' }, firmware: { from: '1', to: '2' }, address: { from: '127.0.0.2', to: '127.0.0.3' } } });
    expect(flags.map((f) => f.key)).to.deep.equal(['discovery.change.address', 'discovery.change.firmware', 'discovery.change.rtspUrl', 'discovery.change.other']);
    for (const f of flags) expectKey(f.key);
  });

  it('formats clock offsets and PTZ', () => {
    expect(formatOffset(null)).to.equal(null);
    expect(formatOffset(350)).to.equal('+350 ms');
    expect(formatOffset(-2500)).to.equal('−2.5 s');
    expect(formatOffset(180_000)).to.equal('+3 min');
    expect(clockSkewed(6000)).to.equal(true);
    expect(clockSkewed(-100)).to.equal(false);
    for (const v of [true, false, null]) expectKey(ptzKey(v));
  });

  it('admin/operator operate, investigators view, merchants neither and no nav entry', () => {
    expect(ROLES.map((r) => discoveryAccess(r))).to.deep.equal(ROLES.map((r) => (r === 'merchant' ? 'none' : r === 'investigator' ? 'view' : 'operate')));
    expect(sectionsFor('merchant')).to.not.include('discovery');
    expect(sectionsFor('investigator')).to.include('discovery');
  });

  it('has every template-built key in both languages', () => {
    for (const s of ['idle', 'starting', 'running', 'done', 'failed']) expectKey(`discovery.status.${s}`);
    for (const s of ['new', 'known', 'enrolled']) expectKey(`discovery.state.${s}`);
    for (const m of ['multicast', 'unicast']) expectKey(`discovery.method.${m}`);
    for (const k of ['discovery.v.rangeRequired', 'discovery.v.cidr', 'discovery.v.rangeTooLarge', 'discovery.v.tooLong']) {
      expect(isMessageKey(k)).to.equal(true);
      expectKey(k);
    }
    expect(isMessageKey('outside the allowed ranges')).to.equal(false);
  });
});
