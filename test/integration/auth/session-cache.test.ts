/**
 * Sessions served from memory (server/auth/session-cache.ts) end exactly as they did when every
 * request read the database: each token below is used first (so it is kept in memory), then its
 * session is ended one way or another, and the next request must be refused. Ends that go through
 * Sky Eye are refused on the very next request; ends written to the database behind its back (an
 * operator's SQL, another process) within a second, by the triggers' NOTIFY (entries would
 * otherwise live for ten seconds). On PostgreSQL a second process on the same database is checked
 * too. Runs on the selected backend.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSkyEye, type SkyEye } from '@server/start';
import { tokenHash } from '@server/auth/tokens';
import { startWorld, login, type World } from '@test/helpers/api';
import { logCapture, testConfig, TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { TEST_BACKEND, scratchDatabase, type ScratchDatabase } from '@test/helpers/database';

const PASSWORD = 'Cache-user-pass-1';

describe(`sessions kept in memory end at once (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let w: World;
  /** Session lookups that reached the database. */
  let finds = 0;
  before(async () => {
    w = await startWorld();
    const db = w.srv.ctx.database;
    const query = db.query.bind(db);
    db.query = ((text: string, params?: unknown[], prepared?: string) => {
      if (prepared === 'skyeye_session_find') finds++;
      return query(text, params, prepared);
    }) as typeof db.query;
  });
  after(async () => {
    await w?.srv.close();
  });

  const me = (token: string, base = w.srv.url) => fetch(`${base}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
  const status = async (token: string, base?: string) => (await me(token, base)).status;
  /** Polls until the token is refused (401), for at most `ms`; returns how long that took. */
  async function refusedWithin(token: string, ms: number, base?: string): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      if ((await status(token, base)) === 401) return Date.now() - t0;
      if (Date.now() - t0 > ms) throw new Error(`the token still worked after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  let n = 0;
  /** A new operator and a signed-in token of theirs, already served from memory. */
  async function user(): Promise<{ id: string; token: string }> {
    const username = `cache-${++n}`;
    const created = await w.as.admin.json<{ id: string }>('POST', '/api/v1/users', { username, password: PASSWORD, role: 'operator' });
    expect(created.status).to.equal(201);
    const token = await login(w.srv, username, PASSWORD);
    expect(await status(token)).to.equal(200);
    return { id: created.body.id, token };
  }

  it('a used session is answered from memory: no database lookup per request', async () => {
    const { token } = await user();
    const before = finds;
    for (let i = 0; i < 5; i++) expect(await status(token)).to.equal(200);
    expect(finds - before).to.equal(0);
  });

  it('sign-out, disabling, a role change, a password reset and deleting the user each refuse the next request', async () => {
    const a = await user();
    expect((await fetch(`${w.srv.url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${a.token}` } })).status).to.equal(204);
    expect(await status(a.token), 'signed out').to.equal(401);

    const b = await user();
    expect((await w.as.admin.json('PATCH', `/api/v1/users/${b.id}`, { disabled: true })).status).to.equal(200);
    expect(await status(b.token), 'disabled').to.equal(401);

    const c = await user();
    expect((await w.as.admin.json('PATCH', `/api/v1/users/${c.id}`, { role: 'investigator' })).status).to.equal(200);
    expect(await status(c.token), 'role changed').to.equal(401);

    const d = await user();
    expect((await w.as.admin.json('PATCH', `/api/v1/users/${d.id}`, { password: 'Reset-pass-word-2' })).status).to.equal(200);
    expect(await status(d.token), 'password reset').to.equal(401);

    const e = await user();
    expect((await w.as.admin.json('DELETE', `/api/v1/users/${e.id}`)).status).to.equal(204);
    expect(await status(e.token), 'user deleted').to.equal(401);
  });

  it("changing one's own password refuses the user's other sessions and keeps this one", async () => {
    const a = await user();
    const other = await login(w.srv, `cache-${n}`, PASSWORD);
    expect(await status(other)).to.equal(200);
    const res = await fetch(`${w.srv.url}/api/v1/auth/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${a.token}` },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'Changed-pass-word-3' }),
    });
    expect(res.status).to.equal(204);
    expect(await status(other), 'the other session').to.equal(401);
    expect(await status(a.token), 'this session').to.equal(200);
  });

  it('a session deleted, or a user disabled or changed, in the database behind Sky Eye is refused within a second', async () => {
    const db = w.srv.ctx.database;
    const a = await user();
    await db.query('DELETE FROM sessions WHERE id = $1', [tokenHash(a.token)]);
    await refusedWithin(a.token, 1_000);

    const b = await user();
    await db.query('UPDATE users SET disabled = true WHERE id = $1', [b.id]);
    await refusedWithin(b.token, 1_000);

    const c = await user();
    await db.query("UPDATE users SET role = 'investigator' WHERE id = $1", [c.id]);
    const t0 = Date.now();
    for (;;) {
      const body = (await (await me(c.token)).json()) as { user: { role: string } };
      if (body.user.role === 'investigator') break;
      if (Date.now() - t0 > 1_000) throw new Error('the old role was still served after 1 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  (TEST_BACKEND === 'postgres' ? it : it.skip)('a second process on the same database refuses a session ended in the first within a second', async () => {
    const scratch: ScratchDatabase = await scratchDatabase();
    const dirA = mkdtempSync(join(tmpdir(), 'skyeye-session-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'skyeye-session-b-'));
    let a: SkyEye | undefined;
    let b: SkyEye | undefined;
    try {
      const overrides = { ingest: { enabled: false } };
      a = await startSkyEye(testConfig(dirA, scratch.url, overrides), { logDestination: logCapture().sink });
      b = await startSkyEye(testConfig(dirB, scratch.url, overrides), { logDestination: logCapture().sink });
      const signIn = async () => {
        const res = await fetch(`${a!.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
        return ((await res.json()) as { token: string }).token;
      };
      const t1 = await signIn();
      expect(await status(t1, b.url), 'the other process knows the session').to.equal(200);
      expect((await fetch(`${a.url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${t1}` } })).status).to.equal(204);
      await refusedWithin(t1, 1_000, b.url);
    } finally {
      await b?.stop();
      await a?.stop();
      await scratch.drop();
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  });
});
