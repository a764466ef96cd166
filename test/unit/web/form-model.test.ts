import { expect } from 'chai';
import { emptyForm, formFieldOf, fromCamera, mapServerErrors, parseTags, toInput, toPatch, validate, type FormValues } from '@web/registry/formModel';
import { camera } from './fixtures';

const filled = (over: Partial<FormValues> = {}): FormValues => ({
  ...emptyForm(),
  name: ' Gate 1 ',
  lat: '34.09',
  lon: '119.35',
  rtspUrl: 'rtsp://127.0.0.1:8554/cam1',
  ...over,
});

describe('web/registry: form model', () => {
  it('requires name, coordinates and the RTSP URL', () => {
    expect(validate(emptyForm(), { kind: 'create' })).to.deep.equal({
      name: 'form.v.required',
      lat: 'form.v.required',
      lon: 'form.v.required',
      rtspUrl: 'form.v.required',
    });
    expect(validate(filled(), { kind: 'create' })).to.deep.equal({});
  });

  it('checks ranges, numbers and URL schemes', () => {
    const e = validate(filled({ lat: '91', lon: 'abc', rtspUrl: 'http://x/y', onvifUrl: 'rtsp://x', retentionDays: '0' }), { kind: 'create' });
    expect(e).to.deep.equal({ lat: 'form.v.latRange', lon: 'form.v.number', rtspUrl: 'form.v.rtsp', onvifUrl: 'form.v.http', retentionDays: 'form.v.retention' });
  });

  it('rejects credentials inside URLs', () => {
    expect(validate(filled({ rtspUrl: 'rtsp://admin:secret@10.0.0.2/s' }), { kind: 'create' }).rtspUrl).to.equal('form.v.noUserInUrl');
  });

  it('wants username and password together, except an unchanged username on edit', () => {
    expect(validate(filled({ username: 'u' }), { kind: 'create' }).password).to.equal('form.v.passwordNeeded');
    expect(validate(filled({ password: 'p' }), { kind: 'create' }).username).to.equal('form.v.usernameNeeded');
    const c = camera();
    expect(validate({ ...fromCamera(c) }, { kind: 'edit', camera: c })).to.deep.equal({});
    expect(validate({ ...fromCamera(c), username: 'other' }, { kind: 'edit', camera: c }).password).to.equal('form.v.passwordNeeded');
  });

  it('parses tags with ASCII, full-width commas and pipes', () => {
    expect(parseTags('a, b，c | a ,, ')).to.deep.equal(['a', 'b', 'c']);
  });

  it('builds the create body without empty optionals', () => {
    const input = toInput(filled({ username: 'admin', password: 'pw', tags: 'x,y', stationId: 's1', ownerName: '王', ownerPhone: '' }));
    expect(input).to.deep.equal({
      name: 'Gate 1',
      kind: 'road',
      location: { lat: 34.09, lon: 119.35, coordSystem: 'wgs84' },
      rtspUrl: 'rtsp://127.0.0.1:8554/cam1',
      transport: 'tcp',
      tags: ['x', 'y'],
      recording: { mode: 'continuous', retentionDays: 30 },
      credentials: { username: 'admin', password: 'pw' },
      stationId: 's1',
      owner: { name: '王', phone: null },
    });
  });

  it('round-trips a camera with no changes to a null patch', () => {
    const c = camera();
    expect(toPatch(c, fromCamera(c))).to.equal(null);
    expect(fromCamera(c).password).to.equal('');
  });

  it('patches only changed fields with the version', () => {
    const c = camera({ version: 7 });
    const p = toPatch(c, { ...fromCamera(c), name: 'New', lat: '34.1', stationId: '', tags: 'gate, night' });
    expect(p).to.deep.equal({
      name: 'New',
      location: { lat: 34.1, lon: 119.35, address: '人民路 1 号', coordSystem: 'wgs84' },
      stationId: null,
      tags: ['gate', 'night'],
      version: 7,
    });
  });

  it('keeps the stored password when blank, replaces it when typed, removes credentials when username cleared', () => {
    const c = camera();
    expect(toPatch(c, { ...fromCamera(c), password: '' })).to.equal(null);
    expect(toPatch(c, { ...fromCamera(c), password: 'new' })).to.deep.equal({ credentials: { username: 'admin', password: 'new' }, version: 1 });
    expect(toPatch(c, { ...fromCamera(c), username: '' })).to.deep.equal({ credentials: null, version: 1 });
  });

  it('maps server field paths onto form fields', () => {
    expect(formFieldOf('location.lat')).to.equal('lat');
    expect(formFieldOf('credentials.password')).to.equal('password');
    expect(formFieldOf('owner.phone')).to.equal('ownerPhone');
    expect(formFieldOf('tags.3')).to.equal('tags');
    expect(formFieldOf('rtspUrl')).to.equal('rtspUrl');
    expect(formFieldOf('(body)')).to.equal(undefined);
    const { fields, other } = mapServerErrors([
      { field: 'name', message: 'Too long' },
      { field: 'name', message: 'second' },
      { field: '(body)', message: 'unknown field(s): foo' },
    ]);
    expect(fields).to.deep.equal({ name: 'Too long' });
    expect(other).to.deep.equal([{ field: '(body)', message: 'unknown field(s): foo' }]);
  });
});
