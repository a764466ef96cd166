/** Merchant self-enrollment form: validation, request body, server failures -> what to show. */
import { expect } from 'chai';
import { DISCOVERY_ERRORS } from '@common/discovery';
import { parseProblem } from '@web/api/problem';
import { emptyMerchantForm, failureKeys, merchantFailure, toMerchantRequest, validateMerchant, type MerchantFormValues } from '@web/merchant/merchantForm';
import { expectKey } from './i18n-keys';

const filled = (over: Partial<MerchantFormValues> = {}): MerchantFormValues => ({
  ...emptyMerchantForm(),
  url: 'rtsp://127.0.10.3:8554/main',
  username: 'admin',
  password: 'pw',
  name: '幸福路便利店门口',
  ownerName: '王老板',
  ownerPhone: '+86 138-0000-0000',
  consent: true,
  ...over,
});

describe('web/merchant: self-enrollment form', () => {
  it('requires consent, a name, the owner and a URL of the chosen kind without credentials in it', () => {
    expect(validateMerchant(filled())).to.deep.equal({});
    const empty = validateMerchant(emptyMerchantForm());
    expect(empty).to.deep.include({ url: 'form.v.required', name: 'form.v.required', ownerName: 'form.v.required', consent: 'merchantEnroll.v.consent' });
    expect(empty.lat).to.equal(undefined);
    expect(validateMerchant(filled({ url: 'http://127.0.10.3/onvif' })).url).to.equal('form.v.rtsp');
    expect(validateMerchant(filled({ source: 'onvif' })).url).to.equal('form.v.http');
    expect(validateMerchant(filled({ source: 'onvif', url: 'http://127.0.10.3:8000/onvif/device_service' }))).to.deep.equal({});
    expect(validateMerchant(filled({ url: 'rtsp://admin:pw@127.0.10.3:8554/main' })).url).to.equal('form.v.noUserInUrl');
    expect(validateMerchant(filled({ ownerPhone: 'call me' })).ownerPhone).to.equal('merchantEnroll.v.phone');
    expect(validateMerchant(filled({ username: '' })).username).to.equal('form.v.usernameNeeded');
    for (const k of ['merchantEnroll.v.consent', 'merchantEnroll.v.phone']) expectKey(k);
  });

  it('builds the request body with consent and exactly one address', () => {
    expect(toMerchantRequest(filled())).to.deep.equal({
      name: '幸福路便利店门口',
      kind: 'shopfront',
      location: { lat: 34.09, lon: 119.35 },
      owner: { name: '王老板', phone: '+86 138-0000-0000' },
      consent: true,
      rtspUrl: 'rtsp://127.0.10.3:8554/main',
      credentials: { username: 'admin', password: 'pw' },
    });
    const onvif = toMerchantRequest(filled({ source: 'onvif', url: 'http://127.0.10.3:8000/onvif', username: '', password: '', ownerPhone: '', kind: 'household' }));
    expect(onvif).to.deep.include({ onvifUrl: 'http://127.0.10.3:8000/onvif', kind: 'household' });
    expect(onvif).to.not.have.property('rtspUrl');
    expect(onvif).to.not.have.property('credentials');
    expect(onvif.owner).to.deep.equal({ name: '王老板' });
  });

  it('turns a failed verification into its reason and next step', () => {
    const p = parseProblem(
      422,
      '',
      'application/problem+json',
      JSON.stringify({ title: 'Unprocessable content', status: 422, detail: 'The camera could not be verified: auth_failed.', errors: [{ field: 'rtspUrl', message: 'auth_failed: the device refused the credentials' }], error: 'auth_failed' }),
    );
    expect(merchantFailure(p)).to.deep.equal({ kind: 'verify', code: 'auth_failed', detail: 'auth_failed: the device refused the credentials' });
    const outside = parseProblem(422, '', 'application/problem+json', JSON.stringify({ status: 422, title: 'x', errors: [{ field: 'rtspUrl', message: 'host 10.1.1.1 is not inside the allowed ranges' }], error: 'unreachable' }));
    expect(merchantFailure(outside)).to.deep.include({ kind: 'verify', code: 'unreachable' });
    for (const code of DISCOVERY_ERRORS) {
      expectKey(failureKeys(code).title);
      expectKey(failureKeys(code).hint);
    }
  });

  it('puts validation errors beside the fields and leaves other errors to the generic notice', () => {
    const p = parseProblem(
      400,
      '',
      'application/problem+json',
      JSON.stringify({ title: 'Validation failed', status: 400, errors: [{ field: 'owner.name', message: 'Too small' }, { field: 'consent', message: 'consent must be true' }, { field: 'extra', message: 'unknown' }] }),
    );
    expect(merchantFailure(p)).to.deep.equal({ kind: 'invalid', fields: { ownerName: 'Too small', consent: 'consent must be true' }, other: [{ field: 'extra', message: 'unknown' }] });
    const forbidden = parseProblem(403, 'Forbidden', 'application/problem+json', '{"title":"Forbidden","status":403}');
    expect(merchantFailure(forbidden).kind).to.equal('other');
    expect(merchantFailure(new Error('x')).kind).to.equal('other');
  });
});
