/**
 * Pure mapping from validated camera input to database values: coordinate conversion, URL
 * credential stripping, credential encryption, enrollment and ownership rules per role.
 */
import type { AuthUser } from '@server/auth/types';
import type { FieldError } from '@server/http/problem';
import { gcj02ToWgs84 } from '@common/gcj02';
import type { OrgIndex } from '@server/org/repository';
import type { Keyring } from '@server/security/keyring';
import type { NewCameraRow, OrgRefField } from './repository';
import type { CameraInput, CameraPatch } from './schemas';
import { splitCredentials } from './urls';

export const isStaff = (u: AuthUser) => u.role === 'admin' || u.role === 'operator';

type Location = CameraInput['location'];

export function toWgs84(loc: Location): { lat: number; lon: number } {
  if (loc.coordSystem === 'gcj02') return gcj02ToWgs84(loc.lat, loc.lon);
  return { lat: loc.lat, lon: loc.lon };
}

interface UrlParts {
  rtspUrl?: string;
  rtspSubUrl?: string | null;
  onvifUrl?: string | null;
  /** Credentials found in any of the URLs (first one wins). */
  found?: { username: string; password: string };
}

/** Strips user:pass@ from the URLs given; returns the cleaned URLs and any credentials found. */
export function cleanUrls(input: { rtspUrl?: string; rtspSubUrl?: string | null; onvifUrl?: string | null }): UrlParts {
  const out: UrlParts = {};
  for (const key of ['rtspUrl', 'rtspSubUrl', 'onvifUrl'] as const) {
    const v = input[key];
    if (v === undefined || v === null) {
      if (v === null && key !== 'rtspUrl') out[key] = null;
      continue;
    }
    const s = splitCredentials(v);
    out[key] = s.url;
    if (!out.found && s.username) out.found = { username: s.username, password: s.password ?? '' };
  }
  return out;
}

const ORG_FIELDS: OrgRefField[] = ['stationId', 'policeRoomId', 'patrolZoneId', 'gridId'];
const ORG_KIND = { stationId: 'station', policeRoomId: 'policeRoom', patrolZoneId: 'patrolZone', gridId: 'grid' } as const;

/** Field errors for org ids that do not exist. */
export function orgRefErrors(input: Partial<Record<OrgRefField, string | null | undefined>>, org: OrgIndex): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of ORG_FIELDS) {
    const v = input[f];
    if (v && !org.codeById[ORG_KIND[f]].has(v)) errors.push({ field: f, message: `no ${ORG_KIND[f]} with id ${v}` });
  }
  return errors;
}

/** Values for a new row. The caller has checked the role may create (and set enrollmentState). */
export function newRow(input: CameraInput, user: AuthUser, keyring: Keyring): NewCameraRow {
  const { lat, lon } = toWgs84(input.location);
  const urls = cleanUrls(input);
  const creds = input.credentials ?? urls.found ?? null;
  const merchant = user.role === 'merchant';
  return {
    name: input.name,
    kind: input.kind,
    lat,
    lon,
    address: input.location.address ?? null,
    stationId: input.stationId ?? null,
    policeRoomId: input.policeRoomId ?? null,
    patrolZoneId: input.patrolZoneId ?? null,
    gridId: input.gridId ?? null,
    ownerUserId: merchant ? user.id : null,
    ownerName: input.owner?.name ?? (merchant ? user.displayName || user.username : null),
    ownerPhone: input.owner?.phone ?? null,
    rtspUrl: urls.rtspUrl!,
    rtspSubUrl: urls.rtspSubUrl ?? null,
    onvifUrl: urls.onvifUrl ?? null,
    transport: input.transport ?? 'tcp',
    liveVideo: input.liveVideo ?? 'copy',
    credentialsUsername: creds?.username ?? null,
    credentialsSecret: creds ? keyring.encrypt(creds.password) : null,
    allowBasicAuth: input.allowBasicAuth ?? false,
    tags: dedupe(input.tags ?? []),
    enrollmentState: merchant ? 'pending' : (input.enrollmentState ?? 'approved'),
    consentAt: merchant ? new Date() : null,
    recordingMode: input.recording?.mode ?? 'continuous',
    retentionDays: input.recording?.retentionDays ?? 30,
  };
}

function dedupe(tags: string[]): string[] {
  return [...new Set(tags)];
}

/** The SET part of an update from a patch; `existingAddress` keeps the address when location omits it. */
export function patchSet(patch: CameraPatch, keyring: Keyring, existingAddress: string | null): Partial<NewCameraRow> {
  const set: Partial<NewCameraRow> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.kind !== undefined) set.kind = patch.kind;
  if (patch.location !== undefined) {
    Object.assign(set, toWgs84(patch.location));
    set.address = patch.location.address === undefined ? existingAddress : patch.location.address;
  }
  const urls = cleanUrls(patch);
  if (urls.rtspUrl !== undefined) set.rtspUrl = urls.rtspUrl;
  if (urls.rtspSubUrl !== undefined) set.rtspSubUrl = urls.rtspSubUrl;
  if (urls.onvifUrl !== undefined) set.onvifUrl = urls.onvifUrl;
  const creds = patch.credentials !== undefined ? patch.credentials : urls.found;
  if (creds === null) {
    set.credentialsUsername = null;
    set.credentialsSecret = null;
  } else if (creds) {
    set.credentialsUsername = creds.username;
    set.credentialsSecret = keyring.encrypt(creds.password);
  }
  if (patch.allowBasicAuth !== undefined) set.allowBasicAuth = patch.allowBasicAuth;
  if (patch.transport !== undefined) set.transport = patch.transport;
  if (patch.liveVideo !== undefined) set.liveVideo = patch.liveVideo;
  if (patch.tags !== undefined) set.tags = dedupe(patch.tags);
  for (const f of ORG_FIELDS) if (patch[f] !== undefined) set[f] = patch[f];
  if (patch.owner !== undefined) {
    set.ownerName = patch.owner?.name ?? null;
    set.ownerPhone = patch.owner?.phone ?? null;
  }
  if (patch.recording !== undefined) {
    set.recordingMode = patch.recording.mode;
    set.retentionDays = patch.recording.retentionDays;
  }
  if (patch.enrollmentState !== undefined) set.enrollmentState = patch.enrollmentState;
  return set;
}
