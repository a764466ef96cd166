/**
 * Several processes, one PostgreSQL and one Redis: an event raised in any api or worker process
 * reaches browsers connected to any api process (socket.io Redis adapter). PostgreSQL only:
 * separate api/worker processes can't share the embedded PGlite database.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { client, login } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '@test/helpers/server';
import { cameraInput } from '../cameras/helpers';

const REDIS_URL = process.env.SKYEYE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe(`realtime across processes: Redis adapter (${TEST_BACKEND})`, function () {
  this.timeout(90_000);
  const servers: TestServer[] = [];
  let socket: Socket | undefined;

  before(function () {
    if (TEST_BACKEND !== 'postgres') this.skip(); // runs in the PostgreSQL pass of the suite
  });
  after(async () => {
    socket?.close();
    for (const s of servers.reverse()) await s.close();
  });

  it('a camera created on api B and a status change on a worker reach a socket on api A', async () => {
    const redis = { url: REDIS_URL, prefix: `skyeye-test-${randomBytes(4).toString('hex')}` };
    const a = await startTestServer({ role: 'api', redis });
    servers.push(a);
    const shared = { database: { url: a.ctx.config.database.url }, redis };
    const b = await startTestServer({ role: 'api', ...shared });
    servers.push(b);
    const worker = await startTestServer({ role: 'worker', sim: { cameras: 0 }, ...shared });
    servers.push(worker);

    const token = await login(a, 'admin', TEST_ADMIN_PASSWORD);
    socket = connect(a.url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false });
    const got: Array<{ event: string; payload: any }> = [];
    socket.onAny((event: string, payload: unknown) => got.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket!.once('connect', () => resolve());
      socket!.once('connect_error', reject);
    });

    const viaB = client(b, await login(b, 'admin', TEST_ADMIN_PASSWORD), '');
    const created = await viaB.json('POST', '/api/v1/cameras', cameraInput());
    expect(created.status).to.equal(201);
    const until = async (cond: () => boolean) => {
      const end = Date.now() + 3000;
      while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    };
    await until(() => got.some((g) => g.event === 'camera:created'));
    expect(got.find((g) => g.event === 'camera:created')?.payload.id).to.equal(created.body.id);

    await worker.services.cameras.updateStatus(created.body.id, 'offline', 'test: from the worker process');
    await until(() => got.some((g) => g.event === 'camera:status'));
    expect(got.find((g) => g.event === 'camera:status')?.payload).to.include({ cameraId: created.body.id, status: 'offline' });
  });
});
