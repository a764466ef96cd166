/**
 * The enroll form (one device or several): kind, location (default: the demo town centre),
 * name, enrollment state, optional credentials (blank: the scan's, while the server still holds
 * them). Validation messages are i18n keys. Pure.
 */
import { CAMERA_KINDS, type CameraKind } from '@common/domain';
import type { EnrollRequest } from '@web/api/discovery';

export const DEMO_CENTRE = { lat: 34.09, lon: 119.35 } as const;

export interface EnrollFormValues {
  kind: CameraKind;
  lat: string;
  lon: string;
  address: string;
  name: string;
  state: 'approved' | 'pending';
  username: string;
  password: string;
}

export type EnrollField = keyof EnrollFormValues;
export type EnrollFormErrors = Partial<Record<EnrollField, string>>;

export const emptyEnrollForm = (): EnrollFormValues => ({
  kind: 'road',
  lat: String(DEMO_CENTRE.lat),
  lon: String(DEMO_CENTRE.lon),
  address: '',
  name: '',
  state: 'approved',
  username: '',
  password: '',
});

/** A decimal number, or null ("" and junk are not numbers). */
export function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  return Number(t);
}

/** lat/lon checks shared with the merchant form. */
export function validateLatLon(lat: string, lon: string): { lat?: string; lon?: string } {
  const out: { lat?: string; lon?: string } = {};
  const la = parseNumber(lat);
  const lo = parseNumber(lon);
  if (!lat.trim()) out.lat = 'form.v.required';
  else if (la === null) out.lat = 'form.v.number';
  else if (la < -90 || la > 90) out.lat = 'form.v.latRange';
  if (!lon.trim()) out.lon = 'form.v.required';
  else if (lo === null) out.lon = 'form.v.number';
  else if (lo < -180 || lo > 180) out.lon = 'form.v.lonRange';
  return out;
}

export function validateEnroll(v: EnrollFormValues): EnrollFormErrors {
  const errors: EnrollFormErrors = { ...validateLatLon(v.lat, v.lon) };
  if (!(CAMERA_KINDS as readonly string[]).includes(v.kind)) errors.kind = 'form.v.required';
  if (v.name.length > 200) errors.name = 'discovery.v.tooLong';
  if (v.address.length > 500) errors.address = 'discovery.v.tooLong';
  if (v.password && !v.username.trim()) errors.username = 'form.v.usernameNeeded';
  return errors;
}

export function toEnrollRequest(v: EnrollFormValues): EnrollRequest {
  const body: EnrollRequest = {
    kind: v.kind,
    location: { lat: parseNumber(v.lat) ?? DEMO_CENTRE.lat, lon: parseNumber(v.lon) ?? DEMO_CENTRE.lon, ...(v.address.trim() ? { address: v.address.trim() } : {}) },
    enrollmentState: v.state,
  };
  if (v.name.trim()) body.name = v.name.trim();
  if (v.username.trim()) body.credentials = { username: v.username.trim(), password: v.password };
  return body;
}
