/** /api/v1/auth: sign in (cookie for the console, token for API clients), sign out, me, password. */
import { Router, type CookieOptions, type Response } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import type { Config } from '@config/schema';
import { HttpError, unauthorized } from '@server/http/problem';
import { api, problems, z } from '@server/schemas/openapi';
import { parseBody } from '@server/schemas/validate';
import type { AuthService } from './auth-service';
import { CSRF_COOKIE, requireAuth, SESSION_COOKIE } from './middleware';
import { LoginResultSchema, LoginSchema, PasswordChangeSchema, UserSchema } from './schemas';
import type { UsersService } from '@server/users/users-service';

function registerDocs(): void {
  const json = (schema: typeof UserSchema | typeof LoginResultSchema, description: string) => ({ description, content: { 'application/json': { schema } } });
  api.registerPath({
    method: 'post',
    path: '/api/v1/auth/login',
    tags: ['auth'],
    summary: 'Sign in: sets the session cookie (console) and returns a bearer token (API clients)',
    security: [],
    request: { body: { content: { 'application/json': { schema: LoginSchema } } } },
    responses: { 200: json(LoginResultSchema, 'Signed in'), ...problems(400, 401, 429) },
  });
  api.registerPath({ method: 'post', path: '/api/v1/auth/logout', tags: ['auth'], summary: 'Sign out (ends this session and its token)', responses: { 204: { description: 'Signed out' }, ...problems(401) } });
  api.registerPath({ method: 'get', path: '/api/v1/auth/me', tags: ['auth'], summary: 'The signed-in user', responses: { 200: json(UserSchema, '{user}'), ...problems(401) } });
  api.registerPath({
    method: 'get',
    path: '/api/v1/auth/session',
    tags: ['auth'],
    summary: 'The session, if any: {user} or {user: null} (200 either way; the console checks it on load)',
    security: [],
    responses: { 200: { description: '{user} or {user: null}', content: { 'application/json': { schema: z.object({ user: UserSchema.nullable() }) } } } },
  });
  api.registerPath({
    method: 'post',
    path: '/api/v1/auth/password',
    tags: ['auth'],
    summary: 'Change your own password (ends your other sessions)',
    request: { body: { content: { 'application/json': { schema: PasswordChangeSchema } } } },
    responses: { 204: { description: 'Changed' }, ...problems(400, 401, 429) },
  });
}

// OpenAPI paths are registered once, when the module is imported (the one way every module does it).
registerDocs();

export function authRoutes(config: Config, auth: AuthService, users: UsersService): Router {
  const r = Router();
  const cookie = (httpOnly: boolean, maxAge?: number): CookieOptions => ({
    httpOnly,
    sameSite: 'strict',
    secure: config.security.cookieSecure,
    path: '/',
    ...(maxAge !== undefined ? { maxAge } : {}),
  });
  const clearCookies = (res: Response) => {
    res.clearCookie(SESSION_COOKIE, cookie(true));
    res.clearCookie(CSRF_COOKIE, cookie(false));
  };

  const withRetryAfter = (res: Response, e: unknown) => {
    if (e instanceof HttpError && e.status === 429) res.setHeader('Retry-After', String(e.extra?.retryAfter ?? 60));
  };

  r.post('/auth/login', async (req, res) => {
    const { username, password } = parseBody(LoginSchema, req);
    try {
      const out = await auth.login(username, password, actorOf(req), req.get('user-agent') ?? null);
      const maxAge = out.expiresAt.getTime() - Date.now();
      res.cookie(SESSION_COOKIE, out.token, cookie(true, maxAge));
      res.cookie(CSRF_COOKIE, out.csrfToken, cookie(false, maxAge));
      res.setHeader('Cache-Control', 'no-store');
      res.json({ token: out.token, csrfToken: out.csrfToken, expiresAt: out.expiresAt.toISOString(), user: out.user });
    } catch (e) {
      withRetryAfter(res, e);
      throw e;
    }
  });

  r.post('/auth/logout', requireAuth, async (req, res) => {
    await auth.logout(req.sessionId!, actorOf(req));
    clearCookies(res);
    res.status(204).end();
  });

  // The console's check on load: 200 either way, so a visitor's browser logs no failed request.
  r.get('/auth/session', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!req.user) return void res.json({ user: null });
    const { via: _via, ...user } = req.user;
    res.json({ user });
  });

  r.get('/auth/me', async (req, res) => {
    if (!req.user) throw unauthorized();
    const { via: _via, ...user } = req.user;
    res.setHeader('Cache-Control', 'no-store');
    res.json({ user });
  });

  r.post('/auth/password', requireAuth, async (req, res) => {
    const body = parseBody(PasswordChangeSchema, req);
    // The current password is a password guess like a sign-in: the same limit, counted first.
    const attempt = await auth.reserveAttempt(req.user!.username, req.ip ?? null).catch((e: unknown) => {
      withRetryAfter(res, e);
      throw e;
    });
    try {
      await users.changeOwnPassword(req.user!, req.sessionId!, body.currentPassword, body.newPassword, actorOf(req));
    } catch (e) {
      if (!(e instanceof HttpError && e.errors?.some((f) => f.field === 'currentPassword'))) await attempt.succeeded();
      throw e;
    }
    await attempt.succeeded();
    res.status(204).end();
  });
  return r;
}
