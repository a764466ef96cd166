/** The CSRF double-submit token: the server sets the readable `skyeye_csrf` cookie. Pure helpers. */
export { readCookie } from '@common/cookies';
export const CSRF_COOKIE = 'skyeye_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for methods that change state and so must carry the CSRF header. */
export const needsCsrf = (method: string): boolean => !SAFE_METHODS.has(method.toUpperCase());
