/** The incidents pages' pure model: addresses, the create form, change descriptions. */
import { expect } from 'chai';
import { describeChanges, emptyForm, newIncidentPath, formErrors, formFieldOf, newIncidentPrefill, parseIncidentPath, toInput } from '@web/incidents/incidentModel';
import { sectionsFor } from '@web/layout/routes';
import { expectKey } from './i18n-keys';

describe('web/incidents model', () => {
  it('parses incident addresses and the prefilled new-incident address', () => {
    expect(parseIncidentPath('/incidents/abc')).to.equal('abc');
    expect(parseIncidentPath('/incidents')).to.equal(null);
    expect(parseIncidentPath('/incidents/new')).to.equal(null);
    expect(newIncidentPrefill('/incidents/new', '?lat=34.1&lon=119.3&address=%E5%B9%BF%E5%9C%BA')).to.deep.equal({ lat: '34.1', lon: '119.3', address: '广场' });
    expect(newIncidentPrefill('/incidents', '?lat=1')).to.equal(null);
    const path = newIncidentPath({ lat: 34.1, lon: 119.3, address: '广场 & 东门' });
    const [pathname, search] = path.split('?') as [string, string];
    expect(newIncidentPrefill(pathname, `?${search}`)).to.deep.equal({ lat: '34.1', lon: '119.3', address: '广场 & 东门' });
  });

  it('checks the form and builds the request (local times to ISO)', () => {
    const f = emptyForm(Date.parse('2026-11-30T10:00:00Z'));
    const errors = formErrors(f);
    expect(Object.keys(errors).sort()).to.deep.equal(['lat', 'lon', 'title']);
    for (const k of Object.values(errors)) expectKey(k);
    const ok = { ...f, title: ' 盗窃 ', lat: '34.09', lon: '119.35', to: f.from };
    expect(formErrors(ok)).to.deep.equal({ to: 'incidents.v.order' });
    const input = toInput({ ...ok, to: '2026-11-30T23:00' });
    expect(input).to.deep.include({ title: '盗窃', radius: 300, location: { lat: 34.09, lon: 119.35 } });
    expect(Date.parse(input.to)).to.equal(Date.parse('2026-11-30T23:00'));
    expect(formFieldOf('location.lat')).to.equal('lat');
    expect(formFieldOf('stationId')).to.equal(null);
  });

  it('describes changes and hides incidents from merchants', () => {
    expect(describeChanges({ status: { from: 'open', to: 'closed' }, added: ['a', 'b'], removed: [] })).to.equal('status: open → closed; added: a, b; removed: —');
    expect(sectionsFor('merchant')).to.not.include('incidents');
    expect(sectionsFor('investigator')).to.include('incidents');
    for (const k of ['incidents.status.open', 'incidents.category.theft', 'incidents.action.camera_add']) expectKey(k);
  });
});
