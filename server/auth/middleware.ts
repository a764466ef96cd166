/**
 * Request authentication and authorisation.
 * - `authenticate(auth)` runs first for all of /api/v1: it resolves a bearer token
 *   (`Authorization: Bearer <token>`) or the `skyeye_session` cookie into `req.user`. A request
 *   authenticated by cookie that changes state must carry the session's CSRF token in
 *   `X-CSRF-Token` (the console reads it from the `skyeye_csrf` cookie): a cross-site form can
 *   send the cookie but cannot read or set that header. Bearer requests need no CSRF token.
 * - `requireAuth` / `requireRole(...)` only read req.user, so every route decides server-side.
 */
import type { Request, RequestHandler } from 'express';
import type { Role } from '@common/domain';
import { forbidden, HttpError, unauthorized } from '@server/http/problem';
import type { AuthService } from './auth-service';
import { sameToken } from './tokens';

export const SESSION_COOKIE = 'skyeye_session';
export const CSRF_COOKIE = 'skyeye_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Paths (below /api/v1) that take no CSRF token: signing in creates the session it would protect. */
const CSRF_EXEMPT = new Set(['/auth/login']);

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Hash id of the session behind req.user (for sign-out). */
      sessionId?: string;
    }
  }
}

export function bearerToken(req: Pick<Request, 'get'>): string | undefined {
  const h = req.get('authorization');
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const bearer = bearerToken(req);
    if (bearer) {
      const s = await auth.resolve(bearer);
      // A wrong bearer token is an error, not an anonymous request: the client should know.
      if (!s) throw unauthorized('The bearer token is unknown or expired; sign in again.');
      req.user = { ...s.user, via: 'bearer' };
      req.sessionId = s.sessionId;
      return next();
    }
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!cookie) return next();
    const s = await auth.resolve(cookie);
    if (!s) return next(); // stale cookie: anonymous; routes that need a user answer 401
    if (!SAFE.has(req.method) && !CSRF_EXEMPT.has(req.path)) {
      const sent = req.get(CSRF_HEADER);
      if (!sent || !sameToken(sent, s.csrfToken)) {
        throw new HttpError(403, 'CSRF token missing or wrong', `State-changing requests signed in by cookie must send the ${CSRF_HEADER} header with the value of the ${CSRF_COOKIE} cookie.`);
      }
    }
    req.user = { ...s.user, via: 'cookie' };
    req.sessionId = s.sessionId;
    next();
  };
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.user) throw unauthorized();
  next();
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) throw unauthorized();
    if (!roles.includes(req.user.role)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}.`);
    next();
  };
}
