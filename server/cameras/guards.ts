/**
 * Route guards for the registry. `authenticate(ctx)` (server/auth) runs first for all of
 * /api/v1 and sets req.user; these only read it, so the registry never trusts a client-side
 * check. The service repeats the role rules (defence in depth).
 */
import type { Request, RequestHandler } from 'express';
import type { Role } from '@common/domain';
import type { AuthUser } from '@server/auth/types';
import { forbidden, unauthorized } from '@server/http/problem';

export function userOf(req: Request): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}

export const signedIn: RequestHandler = (req, _res, next) => {
  userOf(req);
  next();
};

export function roles(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!allowed.includes(userOf(req).role)) throw forbidden();
    next();
  };
}
