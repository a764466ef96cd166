import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express, { type RequestHandler } from 'express';
import type { Role } from '@common/domain';
import { errorHandler, forbidden, unauthorized } from '@server/http/problem';
import { liveCameraRoutes } from '@server/live/camera-routes';
import type { LiveService } from '@server/live/live-service';

const VISIBLE = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ab';
const HIDDEN = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ac';
const WITH_SUB = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ad';

describe('live camera routes (fake auth and registry)', () => {
  let server: Server;
  let base: string;
  const rotations: string[] = [];

  before(async () => {
    const authenticate: RequestHandler = (req, _res, next) => {
      const role = req.header('x-role') as Role | undefined;
      if (role) {
        req.user = { id: 'u-1', username: 'u', role, displayName: 'U', via: 'bearer' };
        req.sessionId = 's-1';
      }
      next();
    };
    const auth = {
      authenticate,
      requireAuth: ((req, _res, next) => next(req.user ? undefined : unauthorized())) as RequestHandler,
      requireRole: (...roles: Role[]): RequestHandler => (req, _res, next) => next(roles.includes(req.user!.role) ? undefined : forbidden()),
    };
    const live = {
      playback: (cameraId: string, viewer: { userId: string; sessionId: string }, hasSub?: boolean) => ({ hls: `/h/${cameraId}/${viewer.userId}/${viewer.sessionId}`, flv: `/f/${cameraId}`, ...(hasSub ? { sub: { flv: `/f/${cameraId}/sub` } } : {}), expiresAt: '2030-01-01T00:00:00.000Z' }),
      rotatePushKey: async (cameraId: string) => {
        rotations.push(cameraId);
        return { streamKey: 'sk_x', url: `rtmp://127.0.0.1:1935/push/${cameraId}` };
      },
    } as unknown as LiveService;
    const app = express();
    app.use('/api/v1', liveCameraRoutes(live, auth, async (_user, id) => (id === VISIBLE ? { id, rtspSubUrl: null } : id === WITH_SUB ? { id, rtspSubUrl: 'rtsp://10.0.0.5/sub' } : null)));
    app.use(errorHandler);
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const call = (method: string, path: string, role?: Role) => fetch(base + path, { method, headers: role ? { 'x-role': role } : {} });

  it('returns playback URLs for a camera the user may see, uncached', async () => {
    const res = await call('GET', `/cameras/${VISIBLE}/live`, 'merchant');
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    // Absolute, on the origin the client used.
    const origin = new URL(base).origin;
    expect(await res.json()).to.deep.equal({ hls: `${origin}/h/${VISIBLE}/u-1/s-1`, flv: `${origin}/f/${VISIBLE}`, expiresAt: '2030-01-01T00:00:00.000Z' });
  });

  it('adds the sub stream URL (absolute) only for a camera that has one', async () => {
    const origin = new URL(base).origin;
    const body = (await (await call('GET', `/cameras/${WITH_SUB}/live`, 'operator')).json()) as { sub?: { flv: string } };
    expect(body.sub).to.deep.equal({ flv: `${origin}/f/${WITH_SUB}/sub` });
  });

  it('hides cameras outside the user\'s visibility and malformed ids as 404; needs sign-in', async () => {
    expect((await call('GET', `/cameras/${HIDDEN}/live`, 'merchant')).status).to.equal(404);
    expect((await call('GET', `/cameras/not-a-uuid/live`, 'admin')).status).to.equal(404);
    expect((await call('GET', `/cameras/${VISIBLE}/live`)).status).to.equal(401);
  });

  it('lets only admin/operator rotate a push key, for visible cameras', async () => {
    expect((await call('POST', `/cameras/${VISIBLE}/push-key`, 'investigator')).status).to.equal(403);
    expect((await call('POST', `/cameras/${VISIBLE}/push-key`, 'merchant')).status).to.equal(403);
    expect((await call('POST', `/cameras/${HIDDEN}/push-key`, 'operator')).status).to.equal(404);
    const res = await call('POST', `/cameras/${VISIBLE}/push-key`, 'operator');
    expect(res.status).to.equal(201);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(await res.json()).to.deep.equal({ streamKey: 'sk_x', url: `rtmp://127.0.0.1:1935/push/${VISIBLE}` });
    expect(rotations).to.deep.equal([VISIBLE]);
  });
});
