/** The signed-in principal attached to each authenticated request as `req.user`. */
import type { Role } from '@common/domain';

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  displayName: string;
  /** How the request was authenticated: a browser session cookie (CSRF-checked) or a bearer token. */
  via: 'cookie' | 'bearer';
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}
