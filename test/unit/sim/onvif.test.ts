import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { FaultState } from '@sim/faults';
import { OnvifServer } from '@sim/onvif/server';
import { parseSoap, passwordDigest, verifyUsernameToken } from '@sim/onvif/soap';
import { HttpAuthenticator } from '@sim/auth/http-auth';
import type { OnvifDevice } from '@sim/onvif/responses';

function request(op: string, body = '', cred?: { user: string; pass: string }): string {
  let sec = '';
  if (cred) {
    const nonce = randomBytes(16).toString('base64');
    const created = new Date().toISOString();
    sec = `<Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>` +
      `<Username>${cred.user}</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">` +
      `${passwordDigest(nonce, created, cred.pass)}</Password><Nonce>${nonce}</Nonce><Created>${created}</Created></UsernameToken></Security>`;
  }
  return `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${sec}</s:Header><s:Body>` +
    `<${op} xmlns="http://www.onvif.org/ver10/media/wsdl">${body}</${op}></s:Body></s:Envelope>`;
}

const device: OnvifDevice = {
  manufacturer: 'SkyEye Sim', model: 'M', firmware: 'F', serial: 'S', hardwareId: 'H', name: '人民路',
  location: { lat: 34.09, lon: 119.35 }, baseUrl: 'http://127.0.1.9:8000', hasPtz: true, scopes: [],
  profiles: [
    { token: 'Profile_1', name: 'main', width: 1280, height: 720, fps: 25, gop: 50, bitrateKbps: 1200, streamUri: 'rtsp://127.0.1.9:8554/main', snapshotUri: 's' },
    { token: 'Profile_2', name: 'sub', width: 640, height: 360, fps: 25, gop: 50, bitrateKbps: 300, streamUri: 'rtsp://127.0.1.9:8554/sub', snapshotUri: 's' },
  ],
};

describe('sim onvif units', () => {
  const faults = new FaultState();
  const server = new OnvifServer({
    address: '127.0.1.9', port: 0, device: () => device, credentials: () => ({ username: 'admin', password: 'pw' }),
    faults: () => faults.view(Date.now()), snapshotPath: '/nonexistent', snapshotAuth: new HttpAuthenticator('none', 'r'),
  });

  it('parses the operation and the UsernameToken', () => {
    const r = parseSoap(request('GetStreamUri', '<ProfileToken>Profile_2</ProfileToken>', { user: 'admin', pass: 'pw' }));
    expect(r.operation).to.equal('GetStreamUri');
    expect(r.body['ProfileToken']).to.equal('Profile_2');
    expect(r.token?.username).to.equal('admin');
    expect(verifyUsernameToken(r.token, 'admin', 'pw')).to.equal(true);
    expect(verifyUsernameToken(r.token, 'admin', 'other')).to.equal(false);
    expect(() => parseSoap('<a/>')).to.throw();
  });

  it('answers GetSystemDateAndTime without auth', () => {
    const r = server.dispatch(request('GetSystemDateAndTime'), '/onvif/device_service');
    expect(r.status).to.equal(200);
    expect(r.body).to.include('<tt:UTCDateTime>');
  });

  it('rejects missing or wrong credentials with 400 ter:NotAuthorized', () => {
    for (const x of [request('GetProfiles'), request('GetProfiles', '', { user: 'admin', pass: 'bad' })]) {
      const r = server.dispatch(x, '/onvif/media_service');
      expect(r.status).to.equal(400);
      expect(r.body).to.include('ter:NotAuthorized');
    }
  });

  it('returns profiles with encoder resolutions and stream URIs per profile', () => {
    const cred = { user: 'admin', pass: 'pw' };
    const p = server.dispatch(request('GetProfiles', '', cred), '/onvif/media_service');
    expect(p.body).to.include('<tt:Width>1280</tt:Width>').and.include('<tt:Width>640</tt:Width>');
    const s = server.dispatch(request('GetStreamUri', '<ProfileToken>Profile_2</ProfileToken>', cred), '/onvif/media_service');
    expect(s.body).to.include('<tt:Uri>rtsp://127.0.1.9:8554/sub</tt:Uri>');
    const bad = server.dispatch(request('GetStreamUri', '<ProfileToken>nope</ProfileToken>', cred), '/onvif/media_service');
    expect(bad.status).to.equal(400);
  });

  it('handles PTZ ContinuousMove / Stop', () => {
    const cred = { user: 'admin', pass: 'pw' };
    const mv = server.dispatch(request('ContinuousMove', '<ProfileToken>Profile_1</ProfileToken><Velocity><PanTilt x="0.5" y="-0.2"/></Velocity>', cred), '/onvif/ptz_service');
    expect(mv.status).to.equal(200);
    expect(server.ptz).to.deep.include({ moving: true, velocity: { x: 0.5, y: -0.2, zoom: 0 } });
    server.dispatch(request('Stop', '', cred), '/onvif/ptz_service');
    expect(server.ptz.moving).to.equal(false);
  });
});
