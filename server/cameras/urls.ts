/**
 * Stream URLs are stored and shown without user:password@. Credentials found in a URL move
 * into the camera's (encrypted) credentials unless the request gave credentials explicitly.
 */
export interface SplitUrl {
  url: string;
  username?: string;
  password?: string;
}

export function splitCredentials(raw: string): SplitUrl {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), username: username || undefined, password: password || undefined };
}
