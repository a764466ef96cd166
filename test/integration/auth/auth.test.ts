/**
 * Sign-in, sessions, CSRF, rate limiting, user administration and the audit log, over HTTP
 * against a started Sky Eye on the selected backend (PGlite or PostgreSQL).
 */
import { expect } from 'chai';
import { startWorld, login, type World } from '@test/helpers/api';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { TEST_BACKEND } from '@test/helpers/database';

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Cookies from Set-Cookie headers as name -> value, plus the raw attribute strings. */
function cookiesOf(res: Response): { jar: Record<string, string>; raw: string[] } {
  const raw = res.headers.getSetCookie();
  const jar: Record<string, string> = {};
  for (const c of raw) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    jar[pair!.slice(0, i)] = decodeURIComponent(pair!.slice(i + 1));
  }
  return { jar, raw };
}

describe(`auth, users and audit (${TEST_BACKEND})`, function () {
  this.timeout(60_000);
  let w: World;
  before(async () => {
    w = await startWorld({ security: { loginMaxAttempts: 3 } });
  });
  after(async () => {
    await w?.srv.close();
  });
  const url = (p: string) => `${w.srv.url}${p}`;

  it('signs in: token for API clients, httpOnly SameSite cookie for the browser, CSRF cookie readable', async () => {
    const res = await fetch(url('/api/v1/auth/login'), json({ username: 'admin', password: TEST_ADMIN_PASSWORD }));
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { token: string; csrfToken: string; user: { username: string; role: string } };
    expect(body.token).to.be.a('string').with.length.greaterThan(30);
    expect(body.user).to.include({ username: 'admin', role: 'admin' });
    expect(body).to.not.have.nested.property('user.passwordHash');
    const { jar, raw } = cookiesOf(res);
    expect(jar.skyeye_session).to.equal(body.token);
    expect(jar.skyeye_csrf).to.equal(body.csrfToken);
    const session = raw.find((c) => c.startsWith('skyeye_session='))!;
    expect(session).to.match(/HttpOnly/i).and.match(/SameSite=Strict/i);
    expect(raw.find((c) => c.startsWith('skyeye_csrf='))).to.not.match(/HttpOnly/i);
    const me = await fetch(url('/api/v1/auth/me'), { headers: { Authorization: `Bearer ${body.token}` } });
    expect(((await me.json()) as { user: { username: string } }).user.username).to.equal('admin');
  });

  it('wrong password and unknown user are the same 401 problem; the password never reaches the logs', async () => {
    const a = await fetch(url('/api/v1/auth/login'), json({ username: 'admin', password: 'Wrong-password-77' }));
    const b = await fetch(url('/api/v1/auth/login'), json({ username: 'nobody', password: 'Wrong-password-77' }));
    expect(a.status).to.equal(401);
    expect(b.status).to.equal(401);
    expect(a.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(((await a.json()) as { detail: string }).detail).to.equal(((await b.json()) as { detail: string }).detail);
    expect(w.srv.logs()).to.not.include('Wrong-password-77');
    expect(w.srv.logs()).to.not.include(TEST_ADMIN_PASSWORD);
  });

  it('validates the sign-in body', async () => {
    const res = await fetch(url('/api/v1/auth/login'), json({ username: '' }));
    expect(res.status).to.equal(400);
    const p = (await res.json()) as { errors: Array<{ field: string }> };
    expect(p.errors.map((e) => e.field)).to.include.members(['username', 'password']);
  });

  it('rate-limits failed sign-ins per user name with 429 and Retry-After, and the right password is refused too', async () => {
    await w.as.admin.json('POST', '/api/v1/users', { username: 'victim', password: 'Victim-pass-123', role: 'operator' });
    for (let i = 0; i < 3; i++) expect((await fetch(url('/api/v1/auth/login'), json({ username: 'victim', password: `bad-${i}-password` }))).status).to.equal(401);
    const limited = await fetch(url('/api/v1/auth/login'), json({ username: 'victim', password: 'Victim-pass-123' }));
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
    // Other users are not locked out by it.
    expect((await fetch(url('/api/v1/auth/login'), json({ username: 'admin', password: TEST_ADMIN_PASSWORD }))).status).to.equal(200);
  });

  it('cookie sessions need the CSRF header for writes; bearer requests do not', async () => {
    const res = await fetch(url('/api/v1/auth/login'), json({ username: 'admin', password: TEST_ADMIN_PASSWORD }));
    const { jar } = cookiesOf(res);
    const cookie = `skyeye_session=${jar.skyeye_session}; skyeye_csrf=${jar.skyeye_csrf}`;
    const body = JSON.stringify({ username: 'csrf-user', password: 'Csrf-user-pass-1', role: 'investigator' });
    const noHeader = await fetch(url('/api/v1/users'), { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body });
    expect(noHeader.status).to.equal(403);
    const wrong = await fetch(url('/api/v1/users'), { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': 'nope' }, body });
    expect(wrong.status).to.equal(403);
    const ok = await fetch(url('/api/v1/users'), { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': jar.skyeye_csrf! }, body });
    expect(ok.status).to.equal(201);
    const read = await fetch(url('/api/v1/users'), { headers: { Cookie: cookie } });
    expect(read.status).to.equal(200);
  });

  it('sign-out ends the session: the token stops working', async () => {
    const token = await login(w.srv, 'admin', TEST_ADMIN_PASSWORD);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await fetch(url('/api/v1/auth/logout'), { method: 'POST', headers: auth })).status).to.equal(204);
    const after = await fetch(url('/api/v1/cameras'), { headers: auth });
    expect(after.status).to.equal(401);
    expect((await fetch(url('/api/v1/cameras'))).status).to.equal(401);
  });

  it('password change needs the current password, checks the rules, and ends other sessions', async () => {
    await w.as.admin.json('POST', '/api/v1/users', { username: 'pwuser', password: 'Pw-user-pass-1', role: 'operator' });
    const t1 = await login(w.srv, 'pwuser', 'Pw-user-pass-1');
    const t2 = await login(w.srv, 'pwuser', 'Pw-user-pass-1');
    const change = (token: string, body: unknown) => fetch(url('/api/v1/auth/password'), { ...json(body), headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } });
    const wrong = await change(t1, { currentPassword: 'nope-nope-nope', newPassword: 'New-pw-pass-22' });
    expect(wrong.status).to.equal(400);
    expect(((await wrong.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).to.equal('currentPassword');
    const short = await change(t1, { currentPassword: 'Pw-user-pass-1', newPassword: 'short' });
    expect(short.status).to.equal(400);
    expect(((await short.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).to.equal('newPassword');
    expect((await change(t1, { currentPassword: 'Pw-user-pass-1', newPassword: 'New-pw-pass-22' })).status).to.equal(204);
    expect((await fetch(url('/api/v1/auth/me'), { headers: { Authorization: `Bearer ${t1}` } })).status).to.equal(200);
    expect((await fetch(url('/api/v1/auth/me'), { headers: { Authorization: `Bearer ${t2}` } })).status).to.equal(401);
    await login(w.srv, 'pwuser', 'New-pw-pass-22');
  });

  it('only admins manage users; every other role gets 403 on every user route', async () => {
    const { body: list } = await w.as.admin.json('GET', '/api/v1/users');
    const target = (list.items as Array<{ id: string; username: string }>).find((u) => u.username === 'operator')!;
    for (const who of ['operator', 'investigator', 'merchant'] as const) {
      const c = w.as[who];
      expect((await c.json('GET', '/api/v1/users')).status, `${who} list`).to.equal(403);
      expect((await c.json('POST', '/api/v1/users', { username: `x-${who}`, password: 'Whatever-pass-1', role: 'admin' })).status, `${who} create`).to.equal(403);
      expect((await c.json('PATCH', `/api/v1/users/${target.id}`, { role: 'admin' })).status, `${who} patch`).to.equal(403);
      expect((await c.json('DELETE', `/api/v1/users/${target.id}`)).status, `${who} delete`).to.equal(403);
      expect((await c.json('GET', '/api/v1/audit')).status, `${who} audit`).to.equal(403);
    }
    expect((await w.as.admin.json('GET', `/api/v1/users/${target.id}`)).body.role).to.equal('operator');
  });

  it('user creation: validation names fields, duplicates are 409, no password hash in answers', async () => {
    const bad = await w.as.admin.json('POST', '/api/v1/users', { username: 'a b', password: 'x', role: 'chief' });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).to.include.members(['username', 'role']);
    const weak = await w.as.admin.json('POST', '/api/v1/users', { username: 'weakling', password: 'short', role: 'operator' });
    expect(weak.status).to.equal(400);
    expect(weak.body.errors[0].field).to.equal('password');
    const first = await w.as.admin.json('POST', '/api/v1/users', { username: 'dup', password: 'Dup-pass-word-1', role: 'operator' });
    expect(first.status).to.equal(201);
    expect(JSON.stringify(first.body)).to.not.match(/scrypt|password/i);
    const dup = await w.as.admin.json('POST', '/api/v1/users', { username: 'dup', password: 'Dup-pass-word-1', role: 'operator' });
    expect(dup.status).to.equal(409);
  });

  it('concurrent updates with the same version: one wins, the other is 409; role change ends the sessions', async () => {
    const created = await w.as.admin.json('POST', '/api/v1/users', { username: 'racer', password: 'Racer-pass-word-1', role: 'operator' });
    const token = await login(w.srv, 'racer', 'Racer-pass-word-1');
    const id = created.body.id as string;
    const [a, b] = await Promise.all([
      w.as.admin.json('PATCH', `/api/v1/users/${id}`, { role: 'investigator', version: 1 }),
      w.as.admin.json('PATCH', `/api/v1/users/${id}`, { displayName: 'Racer', version: 1 }),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const after = await w.as.admin.json('GET', `/api/v1/users/${id}`);
    expect(after.body.version).to.equal(2);
    // Whichever won the race, the role change happens (again, on the new version when it lost) and must end the session.
    expect((await fetch(url('/api/v1/auth/me'), { headers: { Authorization: `Bearer ${token}` } })).status).to.equal(a.status === 200 ? 401 : 200);
    if (a.status !== 200) expect((await w.as.admin.json('PATCH', `/api/v1/users/${id}`, { role: 'investigator', version: 2 })).status).to.equal(200);
    expect((await fetch(url('/api/v1/auth/me'), { headers: { Authorization: `Bearer ${token}` } })).status).to.equal(401);
  });

  it('disabling a user ends their sessions and refuses sign-in', async () => {
    const created = await w.as.admin.json('POST', '/api/v1/users', { username: 'leaver', password: 'Leaver-pass-word-1', role: 'investigator' });
    const token = await login(w.srv, 'leaver', 'Leaver-pass-word-1');
    expect((await w.as.admin.json('PATCH', `/api/v1/users/${created.body.id}`, { disabled: true })).status).to.equal(200);
    expect((await fetch(url('/api/v1/auth/me'), { headers: { Authorization: `Bearer ${token}` } })).status).to.equal(401);
    expect((await fetch(url('/api/v1/auth/login'), json({ username: 'leaver', password: 'Leaver-pass-word-1' }))).status).to.equal(401);
  });

  it('the last enabled administrator cannot be demoted, disabled or deleted', async () => {
    const adminId = w.as.admin.userId;
    expect((await w.as.admin.json('PATCH', `/api/v1/users/${adminId}`, { role: 'operator' })).status).to.equal(409);
    expect((await w.as.admin.json('PATCH', `/api/v1/users/${adminId}`, { disabled: true })).status).to.equal(409);
    expect((await w.as.admin.json('DELETE', `/api/v1/users/${adminId}`)).status).to.equal(409);
    // With a second admin, the first may be demoted.
    const second = await w.as.admin.json('POST', '/api/v1/users', { username: 'admin2', password: 'Admin2-pass-word', role: 'admin' });
    const t2 = await login(w.srv, 'admin2', 'Admin2-pass-word');
    const del = await fetch(url(`/api/v1/users/${second.body.id}`), { method: 'DELETE', headers: { Authorization: `Bearer ${t2}` } });
    expect(del.status).to.equal(204);
  });

  it('the audit log records who did what, from where, with the request id; admins query it; it is append-only', async () => {
    const res = await w.as.admin.call('POST', '/api/v1/users', { username: 'audited', password: 'Audited-pass-1', role: 'merchant' });
    const requestId = res.headers.get('x-request-id');
    const created = (await res.json()) as { id: string };
    const { status, body } = await w.as.admin.json('GET', `/api/v1/audit?action=user.create&targetId=${created.id}`);
    expect(status).to.equal(200);
    expect(body.items).to.have.length(1);
    expect(body.items[0]).to.include({ actorName: 'admin', actorRole: 'admin', action: 'user.create', targetType: 'user', targetId: created.id, requestId });
    expect(body.items[0].ip).to.be.a('string');
    const failed = await w.as.admin.json('GET', '/api/v1/audit?action=auth.&limit=2');
    expect(failed.body.items).to.have.length(2);
    expect(failed.body.nextCursor).to.be.a('string');
    const next = await w.as.admin.json('GET', `/api/v1/audit?action=auth.&limit=2&cursor=${failed.body.nextCursor}`);
    expect(Number(next.body.items[0].id)).to.be.lessThan(Number(failed.body.items[1].id));
    expect((await w.as.admin.json('GET', '/api/v1/audit?from=yesterday')).status).to.equal(400);
    let refused = false;
    try {
      await w.srv.ctx.database.query('DELETE FROM audit_log');
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });
});
