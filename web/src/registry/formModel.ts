/**
 * The camera form as plain strings, and the pure steps around it: from a camera, validation
 * (messages are i18n keys), to a create body, to a PATCH body with only the changed fields,
 * and server field paths (location.lat) mapped onto form fields.
 */
import type { CameraKind, CoordSystem, RecordingMode, StreamTransport } from '@common/domain';
import type { Camera, CameraInput, CameraPatch } from '@web/api/types';
import { cameraText } from '@common/camera-text';

export interface FormValues {
  name: string;
  kind: CameraKind;
  lat: string;
  lon: string;
  address: string;
  coordSystem: CoordSystem;
  rtspUrl: string;
  rtspSubUrl: string;
  onvifUrl: string;
  transport: StreamTransport;
  username: string;
  /** Write-only: blank on edit means "keep the stored password". */
  password: string;
  tags: string;
  stationId: string;
  policeRoomId: string;
  patrolZoneId: string;
  gridId: string;
  ownerName: string;
  ownerPhone: string;
  recordingMode: RecordingMode;
  retentionDays: string;
}

export type FormField = keyof FormValues;
/** Field -> i18n key (client checks) or a server message. */
export type FormErrors = Partial<Record<FormField, string>>;

export const DEFAULT_RETENTION_DAYS = 30;

export const emptyForm = (): FormValues => ({
  name: '',
  kind: 'road',
  lat: '',
  lon: '',
  address: '',
  coordSystem: 'wgs84',
  rtspUrl: '',
  rtspSubUrl: '',
  onvifUrl: '',
  transport: 'tcp',
  username: '',
  password: '',
  tags: '',
  stationId: '',
  policeRoomId: '',
  patrolZoneId: '',
  gridId: '',
  ownerName: '',
  ownerPhone: '',
  recordingMode: 'continuous',
  retentionDays: String(DEFAULT_RETENTION_DAYS),
});

export function fromCamera(c: Camera): FormValues {
  return {
    ...cameraText(c),
    transport: c.transport,
    username: c.credentials?.username ?? '',
    password: '',
    tags: c.tags.join(', '),
    stationId: c.stationId ?? '',
    policeRoomId: c.policeRoomId ?? '',
    patrolZoneId: c.patrolZoneId ?? '',
    gridId: c.gridId ?? '',
    ownerName: c.owner?.name ?? '',
    ownerPhone: c.owner?.phone ?? '',
    recordingMode: c.recording.mode,
    retentionDays: String(c.recording.retentionDays),
  };
}

/** 'a, b，c | b' -> ['a', 'b', 'c'] (ASCII/full-width commas and '|', de-duplicated). */
export function parseTags(s: string): string[] {
  return [...new Set(s.split(/[,，|]/).map((t) => t.trim()).filter(Boolean))];
}

const parseNumber = (s: string): number | undefined => {
  const t = s.trim();
  if (!t) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
};

function urlError(value: string, schemes: string[], key: string): string | undefined {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return key;
  }
  if (!schemes.includes(u.protocol) || !u.hostname) return key;
  if (u.username || u.password) return 'form.v.noUserInUrl';
  return undefined;
}

export type FormMode = { kind: 'create' } | { kind: 'edit'; camera: Camera };

export function validate(v: FormValues, mode: FormMode): FormErrors {
  const e: FormErrors = {};
  if (!v.name.trim()) e.name = 'form.v.required';
  const lat = parseNumber(v.lat);
  if (!v.lat.trim()) e.lat = 'form.v.required';
  else if (lat === undefined) e.lat = 'form.v.number';
  else if (lat < -90 || lat > 90) e.lat = 'form.v.latRange';
  const lon = parseNumber(v.lon);
  if (!v.lon.trim()) e.lon = 'form.v.required';
  else if (lon === undefined) e.lon = 'form.v.number';
  else if (lon < -180 || lon > 180) e.lon = 'form.v.lonRange';
  if (!v.rtspUrl.trim()) e.rtspUrl = 'form.v.required';
  else e.rtspUrl = urlError(v.rtspUrl, ['rtsp:', 'rtsps:'], 'form.v.rtsp');
  if (v.rtspSubUrl.trim()) e.rtspSubUrl = urlError(v.rtspSubUrl, ['rtsp:', 'rtsps:'], 'form.v.rtsp');
  if (v.onvifUrl.trim()) e.onvifUrl = urlError(v.onvifUrl, ['http:', 'https:'], 'form.v.http');

  const username = v.username.trim();
  if (v.password && !username) e.username = 'form.v.usernameNeeded';
  const previousUser = mode.kind === 'edit' ? (mode.camera.credentials?.username ?? '') : '';
  // The API takes credentials as a pair: a new or changed username needs the password with it.
  if (username && !v.password && username !== previousUser) e.password = 'form.v.passwordNeeded';

  const days = parseNumber(v.retentionDays);
  if (days === undefined || !Number.isInteger(days) || days < 1 || days > 3650) e.retentionDays = 'form.v.retention';
  if (v.ownerPhone.trim() && !v.ownerName.trim()) e.ownerName = 'form.v.ownerName';

  for (const k of Object.keys(e) as FormField[]) if (e[k] === undefined) delete e[k];
  return e;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

function owner(v: FormValues): CameraInput['owner'] {
  if (!v.ownerName.trim()) return null;
  return { name: v.ownerName.trim(), phone: orNull(v.ownerPhone) };
}

/** The POST body. Call only after validate() returned no errors. */
export function toInput(v: FormValues): CameraInput {
  const input: CameraInput = {
    name: v.name.trim(),
    kind: v.kind,
    location: { lat: Number(v.lat), lon: Number(v.lon), coordSystem: v.coordSystem },
    rtspUrl: v.rtspUrl.trim(),
    transport: v.transport,
    tags: parseTags(v.tags),
    recording: { mode: v.recordingMode, retentionDays: Number(v.retentionDays) },
  };
  if (v.address.trim()) input.location.address = v.address.trim();
  if (v.rtspSubUrl.trim()) input.rtspSubUrl = v.rtspSubUrl.trim();
  if (v.onvifUrl.trim()) input.onvifUrl = v.onvifUrl.trim();
  if (v.username.trim() && v.password) input.credentials = { username: v.username.trim(), password: v.password };
  if (v.stationId) input.stationId = v.stationId;
  if (v.policeRoomId) input.policeRoomId = v.policeRoomId;
  if (v.patrolZoneId) input.patrolZoneId = v.patrolZoneId;
  if (v.gridId) input.gridId = v.gridId;
  const o = owner(v);
  if (o) input.owner = o;
  return input;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The PATCH body: only what changed, plus the version read. Returns null when nothing changed.
 * Credentials: blank password + same username -> untouched; username cleared -> null (removed).
 */
export function toPatch(c: Camera, v: FormValues): CameraPatch | null {
  const p: Partial<CameraInput> = {};
  const base = fromCamera(c);
  if (v.name.trim() !== c.name) p.name = v.name.trim();
  if (v.kind !== c.kind) p.kind = v.kind;
  const lat = Number(v.lat);
  const lon = Number(v.lon);
  const address = orNull(v.address);
  if (lat !== c.location.lat || lon !== c.location.lon || address !== c.location.address || v.coordSystem !== 'wgs84') {
    p.location = { lat, lon, address, coordSystem: v.coordSystem };
  }
  if (v.rtspUrl.trim() !== base.rtspUrl) p.rtspUrl = v.rtspUrl.trim();
  if (v.rtspSubUrl.trim() !== base.rtspSubUrl) p.rtspSubUrl = orNull(v.rtspSubUrl);
  if (v.onvifUrl.trim() !== base.onvifUrl) p.onvifUrl = orNull(v.onvifUrl);
  if (v.transport !== c.transport) p.transport = v.transport;
  const username = v.username.trim();
  if (!username && c.credentials) p.credentials = null;
  else if (username && v.password) p.credentials = { username, password: v.password };
  const tags = parseTags(v.tags);
  if (!sameList(tags, c.tags)) p.tags = tags;
  for (const k of ['stationId', 'policeRoomId', 'patrolZoneId', 'gridId'] as const) {
    if (v[k] !== base[k]) p[k] = v[k] || null;
  }
  if (v.ownerName.trim() !== base.ownerName || v.ownerPhone.trim() !== base.ownerPhone) p.owner = owner(v);
  const days = Number(v.retentionDays);
  if (v.recordingMode !== c.recording.mode || days !== c.recording.retentionDays) p.recording = { mode: v.recordingMode, retentionDays: days };
  return Object.keys(p).length ? { ...p, version: c.version } : null;
}

const SERVER_FIELDS: Record<string, FormField> = {
  'location.lat': 'lat',
  'location.lon': 'lon',
  'location.address': 'address',
  'location.coordSystem': 'coordSystem',
  'location': 'lat',
  'credentials.username': 'username',
  'credentials.password': 'password',
  'credentials': 'username',
  'owner.name': 'ownerName',
  'owner.phone': 'ownerPhone',
  'recording.mode': 'recordingMode',
  'recording.retentionDays': 'retentionDays',
  'tags': 'tags',
};

const FORM_FIELDS = new Set<string>(Object.keys(emptyForm()));

/** A server field path -> the form field showing it ('tags.3' -> tags); undefined if none fits. */
export function formFieldOf(serverField: string): FormField | undefined {
  if (SERVER_FIELDS[serverField]) return SERVER_FIELDS[serverField];
  if (FORM_FIELDS.has(serverField)) return serverField as FormField;
  const head = serverField.split('.')[0] ?? '';
  if (head === 'tags') return 'tags';
  return undefined;
}

/** Split server field errors into per-field messages and the rest (shown in the form banner). */
export function mapServerErrors(errors: { field: string; message: string }[]): { fields: FormErrors; other: { field: string; message: string }[] } {
  const fields: FormErrors = {};
  const other: { field: string; message: string }[] = [];
  for (const err of errors) {
    const f = formFieldOf(err.field);
    if (f && !fields[f]) fields[f] = err.message;
    else if (!f) other.push(err);
  }
  return { fields, other };
}
