/**
 * socket.io on the API port: the same session authenticates it, and camera events reach exactly
 * the users allowed to see the camera (staff: all; a merchant: own cameras only).
 */
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { fileMerchantCamera, startWorld, login, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { cameraInput } from '../cameras/helpers';

type Received = Array<{ event: string; payload: any }>;

function open(url: string, opts: { token?: string; cookie?: string }): Promise<{ socket: Socket; got: Received }> {
  const socket = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    ...(opts.token ? { auth: { token: opts.token } } : {}),
    ...(opts.cookie ? { extraHeaders: { Cookie: opts.cookie } } : {}),
  });
  const got: Received = [];
  socket.onAny((event: string, payload: unknown) => got.push({ event, payload }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, got }));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
};

describe(`realtime: socket.io with session auth (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let w: World;
  const sockets: Socket[] = [];
  before(async () => {
    w = await startWorld();
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  after(async () => {
    await w?.srv.close();
  });

  it('refuses sockets without a valid session', async () => {
    const refusal = (opts: { token?: string }) => open(w.srv.url, opts).then(({ socket }) => (socket.close(), 'connected'), (e: Error) => e.message);
    expect(await refusal({})).to.match(/unauthorized/);
    expect(await refusal({ token: 'not-a-token' })).to.match(/unauthorized/);
  });

  it('sends camera events to staff and the owning merchant only; status changes within a second', async () => {
    const admin = await open(w.srv.url, { token: w.as.admin.token });
    const merchant = await open(w.srv.url, { token: w.as.merchant.token });
    const other = await open(w.srv.url, { token: w.as.merchant2.token });
    sockets.push(admin.socket, merchant.socket, other.socket);

    const staffCam = await w.as.operator.json('POST', '/api/v1/cameras', cameraInput());
    const ownCam = await fileMerchantCamera(w, 'merchant', cameraInput({ kind: 'shopfront' }));
    expect(staffCam.status).to.equal(201);
    expect(ownCam.status).to.equal(201);
    await until(() => admin.got.filter((g) => g.event === 'camera:created').length >= 2 && merchant.got.length >= 1);
    expect(admin.got.filter((g) => g.event === 'camera:created').map((g) => g.payload.id)).to.have.members([staffCam.body.id, ownCam.body.id]);
    expect(merchant.got.map((g) => g.payload.id)).to.deep.equal([ownCam.body.id]);
    expect(JSON.stringify(admin.got)).to.not.include('credentials_secret');

    const t0 = Date.now();
    await w.srv.services.cameras.updateStatus(ownCam.body.id, 'live', 'test');
    await until(() => merchant.got.some((g) => g.event === 'camera:status'));
    expect(Date.now() - t0).to.be.lessThan(1000);
    expect(merchant.got.find((g) => g.event === 'camera:status')!.payload).to.include({ cameraId: ownCam.body.id, status: 'live' });
    await until(() => admin.got.some((g) => g.event === 'camera:status'));
    expect(admin.got.some((g) => g.event === 'camera:status')).to.equal(true);

    await w.as.operator.json('DELETE', `/api/v1/cameras/${staffCam.body.id}`);
    await until(() => admin.got.some((g) => g.event === 'camera:deleted'));
    expect(admin.got.find((g) => g.event === 'camera:deleted')!.payload).to.deep.equal({ id: staffCam.body.id });
    await new Promise((r) => setTimeout(r, 200));
    expect(other.got, 'another merchant sees nothing').to.deep.equal([]);
  });

  it('authenticates with the browser session cookie, and sign-out closes the socket', async () => {
    const token = await login(w.srv, 'admin', TEST_ADMIN_PASSWORD);
    const s = await open(w.srv.url, { cookie: `skyeye_session=${token}` });
    sockets.push(s.socket);
    const closed = new Promise<void>((r) => s.socket.once('disconnect', () => r()));
    const res = await fetch(`${w.srv.url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(204);
    await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('socket stayed open after sign-out')), 3000))]);
  });

  it("a password change closes the user's other sessions' sockets and keeps its own", async () => {
    const created = await w.as.admin.json('POST', '/api/v1/users', { username: 'rt-pw', password: 'Rt-pw-pass-1', role: 'operator' });
    expect(created.status).to.equal(201);
    const mine = await login(w.srv, 'rt-pw', 'Rt-pw-pass-1');
    const stolen = await login(w.srv, 'rt-pw', 'Rt-pw-pass-1');
    const kept = await open(w.srv.url, { token: mine });
    const thief = await open(w.srv.url, { token: stolen });
    sockets.push(kept.socket, thief.socket);
    const thiefClosed = new Promise<void>((r) => thief.socket.once('disconnect', () => r()));
    const res = await fetch(`${w.srv.url}/api/v1/auth/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${mine}` },
      body: JSON.stringify({ currentPassword: 'Rt-pw-pass-1', newPassword: 'Rt-pw-pass-22' }),
    });
    expect(res.status).to.equal(204);
    await Promise.race([thiefClosed, new Promise((_, reject) => setTimeout(() => reject(new Error("the other session's socket stayed open after the password change")), 3000))]);
    await new Promise((r) => setTimeout(r, 300));
    expect(kept.socket.connected, 'the socket of the session that changed the password').to.equal(true);
  });
});
