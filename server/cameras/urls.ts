/**
 * Stream URLs are stored and shown without user:password@, normalised by the WHATWG URL parser
 * (scheme and host lower case, dot segments resolved, default HTTP ports dropped); validation has
 * already refused spaces and control characters. Credentials found in a URL move into the
 * camera's (encrypted) credentials unless the request gave credentials explicitly.
 */
import type { FieldError } from '@server/http/problem';
import { inRanges } from '@server/discovery/cidr';
export interface SplitUrl {
  url: string;
  username?: string;
  password?: string;
}

export function splitCredentials(raw: string): SplitUrl {
  const u = new URL(raw);
  if (u.hostname) u.hostname = u.hostname.toLowerCase();
  if (!u.username && !u.password) return { url: u.href };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), username: username || undefined, password: password || undefined };
}

export const ADDRESS_FIELDS = ['rtspUrl', 'rtspSubUrl', 'onvifUrl'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

/**
 * Every address a camera may be dialled at must be an IPv4 address inside the allowed ranges
 * (`network.allowedRanges`, the rule enrollment and discovery use): no host names (a name can
 * resolve anywhere later), nothing outside. Same rule for every role. Only given fields are checked.
 */
export function addressErrors(input: Partial<Record<AddressField, string | null | undefined>>, ranges: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ADDRESS_FIELDS) {
    const v = input[field];
    if (typeof v !== 'string') continue;
    let host: string;
    try {
      host = new URL(v).hostname;
    } catch {
      continue; // the schema reports malformed URLs
    }
    if (!inRanges(host, ranges)) errors.push({ field, message: 'must be an IPv4 address inside the networks Sky Eye may reach (network.allowedRanges)' });
  }
  return errors;
}
