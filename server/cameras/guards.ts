/**
 * The signed-in user of a request, for registry handlers. Route guards are the one pair in
 * server/auth/middleware.ts (`requireAuth`, `requireRole`); `authenticate` runs first for all of
 * /api/v1 and sets req.user. The service repeats the role rules (defence in depth).
 */
import type { Request } from 'express';
import type { AuthUser } from '@server/auth/types';
import { unauthorized } from '@server/http/problem';

export function userOf(req: Request): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
