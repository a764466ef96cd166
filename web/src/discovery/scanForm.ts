/**
 * The scan form: validation (messages are i18n keys) and the request body. The password lives
 * only in the form values handed to the request; nothing here stores it. Pure.
 */
import type { ScanMethod } from '@common/discovery';
import type { ScanRequest } from '@web/api/discovery';

export interface ScanFormValues {
  method: ScanMethod;
  range: string;
  username: string;
  password: string;
}

export type ScanField = 'range' | 'username' | 'password';
export type ScanFormErrors = Partial<Record<ScanField, string>>;

/** The server scans at most a /20 (4096 addresses). */
export const MAX_SCAN_PREFIX = 20;

export const emptyScanForm = (): ScanFormValues => ({ method: 'unicast', range: '', username: '', password: '' });

/** "a.b.c.d/n" or a bare address (a /32) -> its prefix, or null when it is not IPv4 CIDR. */
export function cidrPrefix(text: string): number | null {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  if ([m[1], m[2], m[3], m[4]].some((p) => Number(p) > 255)) return null;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  return prefix > 32 ? null : prefix;
}

export function validateScan(v: ScanFormValues): ScanFormErrors {
  const errors: ScanFormErrors = {};
  if (v.method === 'unicast') {
    const range = v.range.trim();
    const prefix = cidrPrefix(range);
    if (!range) errors.range = 'discovery.v.rangeRequired';
    else if (prefix === null) errors.range = 'discovery.v.cidr';
    else if (prefix < MAX_SCAN_PREFIX) errors.range = 'discovery.v.rangeTooLarge';
  }
  if (v.password && !v.username.trim()) errors.username = 'form.v.usernameNeeded';
  if (v.username.length > 128) errors.username = 'discovery.v.tooLong';
  if (v.password.length > 256) errors.password = 'discovery.v.tooLong';
  return errors;
}

export function toScanRequest(v: ScanFormValues): ScanRequest {
  const body: ScanRequest = { method: v.method };
  if (v.method === 'unicast') body.range = v.range.trim();
  const username = v.username.trim();
  if (username) {
    body.username = username;
    body.password = v.password;
  }
  return body;
}

/** Server field errors (range, username, password) onto the form; the rest are returned as is. */
export function mapScanErrors(errors: Array<{ field: string; message: string }>): { fields: ScanFormErrors; other: Array<{ field: string; message: string }> } {
  const fields: ScanFormErrors = {};
  const other: Array<{ field: string; message: string }> = [];
  for (const e of errors) {
    if (e.field === 'range' || e.field === 'username' || e.field === 'password') fields[e.field] ??= e.message;
    else other.push(e);
  }
  return { fields, other };
}
