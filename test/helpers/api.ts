/**
 * API clients for integration tests: sign in as each role (users created through the real auth
 * API: admin login, POST /api/v1/users) and call the API with bearer tokens.
 */
import { HttpError } from '@server/http/problem';
import type { StartOptions } from '@server/start';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from './server';

export type RoleName = 'admin' | 'operator' | 'investigator' | 'merchant' | 'merchant2';

export interface Client {
  token: string;
  userId: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; res: Response }>;
}

export function client(srv: TestServer, token: string, userId: string): Client {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${srv.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    token,
    userId,
    call,
    async json(method, path, body, headers) {
      const res = await call(method, path, body, headers);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
    },
  };
}

export async function login(srv: TestServer, username: string, password: string): Promise<string> {
  const res = await fetch(`${srv.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function userIdOf(srv: TestServer, username: string): Promise<string> {
  const [row] = await srv.ctx.database.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]);
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

export interface World {
  srv: TestServer;
  as: Record<RoleName, Client>;
  org: {
    stations: Array<{ id: string; code: string }>;
    policeRooms: Array<{ id: string; code: string }>;
    patrolZones: Array<{ id: string; code: string }>;
    grids: Array<{ id: string; code: string }>;
  };
}

/**
 * A started Sky Eye with a signed-in client per role. Ingest is off unless `overrides` turns it on:
 * registry, auth and discovery tests register cameras that point at nothing, and their statuses
 * must stay the ones the test writes.
 */
export async function startWorld(overrides: Record<string, unknown> = {}, opts: Omit<StartOptions, 'logDestination' | 'inMemoryDb'> = {}): Promise<World> {
  const srv = await startTestServer({ ingest: { enabled: false }, ...overrides }, opts);
  try {
    const adminToken = await login(srv, 'admin', TEST_ADMIN_PASSWORD);
    const admin = client(srv, adminToken, await userIdOf(srv, 'admin'));
    const as = { admin } as Record<RoleName, Client>;
    const roles: Array<[RoleName, string]> = [
      ['operator', 'operator'],
      ['investigator', 'investigator'],
      ['merchant', 'merchant'],
      ['merchant2', 'merchant'],
    ];
    for (const [name, role] of roles) {
      const password = `${name}-Pass-word-1`;
      const r = await admin.json('POST', '/api/v1/users', { username: name, password, role, displayName: `Test ${name}` });
      if (r.status !== 201 && r.status !== 200) throw new Error(`create user ${name}: ${r.status} ${JSON.stringify(r.body)}`);
      as[name] = client(srv, await login(srv, name, password), await userIdOf(srv, name));
    }
    const org = (await admin.json('GET', '/api/v1/org')).body as World['org'];
    return { srv, as, org };
  } catch (e) {
    await srv.close();
    throw e;
  }
}


/**
 * A pending camera owned by a merchant, filed the way verified merchant enrollment files it
 * (CamerasService.createInTx in a transaction, then `camera:created`): merchants cannot POST
 * /api/v1/cameras. The device verification has its own tests (merchant enrollment); the tests that
 * use this check the rules that apply after it. Answers like `Client.json` (201, or the problem).
 */
export async function fileMerchantCamera(w: World, who: 'merchant' | 'merchant2', input: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const [u] = await w.srv.ctx.database.query<{ id: string; username: string; display_name: string }>('SELECT id, username, display_name FROM users WHERE username = $1', [who]);
  if (!u) throw new Error(`no user ${who}`);
  const user = { id: u.id, username: u.username, role: 'merchant' as const, displayName: u.display_name, via: 'bearer' as const };
  const actor = { user, audit: { actorId: u.id, actorName: u.username, actorRole: 'merchant', ip: '127.0.0.1', requestId: null } };
  const cameras = w.srv.services.cameras;
  try {
    const org = await cameras.orgIndex();
    const camera = await w.srv.ctx.database.db.transaction((tx) => cameras.createInTx(tx, actor, org, { enrollmentState: 'pending', ...input }, { via: 'merchant-enrollment' }));
    w.srv.ctx.bus.publish('camera:created', { id: camera.id, ownerUserId: u.id, camera });
    return { status: 201, body: JSON.parse(JSON.stringify(camera)) };
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return { status: e.status, body: { title: e.title, status: e.status, detail: e.detail, ...(e.errors ? { errors: e.errors } : {}) } };
  }
}
