/** The CSRF double-submit token: the server sets the readable `skyeye_csrf` cookie. Pure helpers. */
export const CSRF_COOKIE = 'skyeye_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** One cookie's value from a `document.cookie` string, URI-decoded; undefined if absent. */
export function readCookie(cookieHeader: string, name: string): string | undefined {
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for methods that change state and so must carry the CSRF header. */
export const needsCsrf = (method: string): boolean => !SAFE_METHODS.has(method.toUpperCase());
