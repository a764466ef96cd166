/**
 * Where browsers reach Sky Eye: the configured public URL (http.publicUrl) and the origins allowed
 * to open cookie-authenticated socket.io connections (http.allowedOrigins). Pure functions of config.
 */
import type { Config } from '@config/schema';

/** Origins (scheme://host[:port]) that may use the session cookie cross-origin; empty = same origin only. */
export function allowedOrigins(http: Config['http']): Set<string> {
  const list = [...http.allowedOrigins, ...(http.publicUrl ? [http.publicUrl] : [])];
  return new Set(
    list.map((u) => {
      try {
        return new URL(u).origin;
      } catch {
        throw new Error(`http.allowedOrigins: "${u}" is not a URL`);
      }
    }),
  );
}

/**
 * Whether a cookie-authenticated request with this Origin header may proceed. No Origin: not a
 * cross-origin browser request (browsers send Origin on every cross-origin request and WebSocket).
 * With no origins configured, the Origin's host must be the Host the request was sent to.
 */
export function originAllowed(allowed: Set<string>, origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  if (allowed.size) return allowed.has(o.origin);
  return !!host && o.host === host.toLowerCase();
}

/** The public origin for absolute URLs (live playback), or null to use the request's own host. */
export function publicOrigin(http: Config['http']): string | null {
  return http.publicUrl ? new URL(http.publicUrl).origin + new URL(http.publicUrl).pathname.replace(/\/+$/, '') : null;
}

/** X-Request-Id from a client is kept only when well formed: 8-64 of [A-Za-z0-9._-], starting alphanumeric. */
export const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$/;
