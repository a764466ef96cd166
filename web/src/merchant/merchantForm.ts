/**
 * Merchant self-enrollment form: an ONVIF address or a plain RTSP URL, credentials, name, kind,
 * location, owner contact and the required consent. Validation messages are i18n keys; server
 * answers (field errors, the verification failure code) are mapped back onto the form. Pure.
 */
import type { DiscoveryError } from '@common/discovery';
import type { MerchantEnrollRequest } from '@web/api/discovery';
import { isApiError } from '@web/api/problem';
import { DEMO_CENTRE, parseNumber, validateLatLon } from '@web/discovery/enrollForm';
import { codeInMessage, isDiscoveryError } from '@web/discovery/errors';

export type MerchantSource = 'rtsp' | 'onvif';

export interface MerchantFormValues {
  source: MerchantSource;
  url: string;
  username: string;
  password: string;
  name: string;
  kind: 'shopfront' | 'household';
  lat: string;
  lon: string;
  address: string;
  ownerName: string;
  ownerPhone: string;
  consent: boolean;
}

export type MerchantField = keyof MerchantFormValues;
export type MerchantErrors = Partial<Record<MerchantField, string>>;

export const emptyMerchantForm = (): MerchantFormValues => ({
  source: 'rtsp',
  url: '',
  username: '',
  password: '',
  name: '',
  kind: 'shopfront',
  lat: String(DEMO_CENTRE.lat),
  lon: String(DEMO_CENTRE.lon),
  address: '',
  ownerName: '',
  ownerPhone: '',
  consent: false,
});

const SCHEMES: Record<MerchantSource, string[]> = { rtsp: ['rtsp:', 'rtsps:'], onvif: ['http:', 'https:'] };

function urlError(source: MerchantSource, text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'form.v.required';
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return source === 'rtsp' ? 'form.v.rtsp' : 'form.v.http';
  }
  if (!SCHEMES[source].includes(u.protocol)) return source === 'rtsp' ? 'form.v.rtsp' : 'form.v.http';
  if (u.username || u.password) return 'form.v.noUserInUrl';
  return undefined;
}

export function validateMerchant(v: MerchantFormValues): MerchantErrors {
  const errors: MerchantErrors = { ...validateLatLon(v.lat, v.lon) };
  const url = urlError(v.source, v.url);
  if (url) errors.url = url;
  if (!v.name.trim()) errors.name = 'form.v.required';
  else if (v.name.trim().length > 200) errors.name = 'discovery.v.tooLong';
  if (!v.ownerName.trim()) errors.ownerName = 'form.v.required';
  if (v.ownerPhone.trim() && !/^[+\d][\d\s-]{2,39}$/.test(v.ownerPhone.trim())) errors.ownerPhone = 'merchantEnroll.v.phone';
  if (v.password && !v.username.trim()) errors.username = 'form.v.usernameNeeded';
  if (!v.consent) errors.consent = 'merchantEnroll.v.consent';
  return errors;
}

export function toMerchantRequest(v: MerchantFormValues): MerchantEnrollRequest {
  const body: MerchantEnrollRequest = {
    name: v.name.trim(),
    kind: v.kind,
    location: { lat: parseNumber(v.lat) ?? DEMO_CENTRE.lat, lon: parseNumber(v.lon) ?? DEMO_CENTRE.lon, ...(v.address.trim() ? { address: v.address.trim() } : {}) },
    owner: { name: v.ownerName.trim(), ...(v.ownerPhone.trim() ? { phone: v.ownerPhone.trim() } : {}) },
    consent: true,
  };
  if (v.source === 'rtsp') body.rtspUrl = v.url.trim();
  else body.onvifUrl = v.url.trim();
  if (v.username.trim()) body.credentials = { username: v.username.trim(), password: v.password };
  return body;
}

const SERVER_FIELDS: Record<string, MerchantField> = {
  rtspUrl: 'url',
  onvifUrl: 'url',
  'credentials.username': 'username',
  'credentials.password': 'password',
  credentials: 'username',
  name: 'name',
  kind: 'kind',
  'location.lat': 'lat',
  'location.lon': 'lon',
  'location.address': 'address',
  'owner.name': 'ownerName',
  'owner.phone': 'ownerPhone',
  consent: 'consent',
};

export type MerchantFailure =
  /** The camera could not be verified: why, and the server's words. */
  | { kind: 'verify'; code: DiscoveryError; detail: string }
  /** The form was refused: server messages beside the fields. */
  | { kind: 'invalid'; fields: MerchantErrors; other: Array<{ field: string; message: string }> }
  /** Anything else (role, network, server): shown with describeError. */
  | { kind: 'other'; error: unknown };

/** What a failed POST /enrollment/merchant means for the form. */
export function merchantFailure(e: unknown): MerchantFailure {
  if (!isApiError(e)) return { kind: 'other', error: e };
  if (e.status === 422) {
    const ext = e.problem.error;
    const message = e.fieldErrors[0]?.message ?? e.detail ?? '';
    const code = isDiscoveryError(ext) ? ext : codeInMessage(message);
    if (code) return { kind: 'verify', code, detail: message };
  }
  if (e.status === 400 || e.status === 422) {
    const fields: MerchantErrors = {};
    const other: Array<{ field: string; message: string }> = [];
    for (const fe of e.fieldErrors) {
      const f = SERVER_FIELDS[fe.field];
      if (f) fields[f] ??= fe.message;
      else other.push(fe);
    }
    return { kind: 'invalid', fields, other };
  }
  return { kind: 'other', error: e };
}

/** merchantEnroll.fail.<code>.{title,hint} */
export const failureKeys = (code: DiscoveryError) => ({ title: `merchantEnroll.fail.${code}.title`, hint: `merchantEnroll.fail.${code}.hint` });
