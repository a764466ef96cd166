/**
 * CSV <-> camera input. Columns (header row required, any order, all but name/kind/lat/lon/rtspUrl
 * optional): name,kind,lat,lon,address,coordSystem,rtspUrl,rtspSubUrl,onvifUrl,username,password,
 * tags (separated by '|'),stationCode,policeRoomCode,patrolZoneCode,gridCode,ownerName,ownerPhone.
 * Org units are referred to by code; errors name the CSV column, not the JSON path.
 */
import type { FieldError } from '@server/http/problem';
import type { OrgIndex, OrgKind } from '@server/org/repository';
import type { Camera } from './schemas';
import { cameraText, type CameraTextSource } from '@common/camera-text';

export const CSV_COLUMNS = [
  'name',
  'kind',
  'lat',
  'lon',
  'address',
  'coordSystem',
  'rtspUrl',
  'rtspSubUrl',
  'onvifUrl',
  'username',
  'password',
  'tags',
  'stationCode',
  'policeRoomCode',
  'patrolZoneCode',
  'gridCode',
  'ownerName',
  'ownerPhone',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const EXPORT_COLUMNS = CSV_COLUMNS.filter((c) => c !== 'username' && c !== 'password');

const CODE_COLUMNS: Array<[CsvColumn, OrgKind, string]> = [
  ['stationCode', 'station', 'stationId'],
  ['policeRoomCode', 'policeRoom', 'policeRoomId'],
  ['patrolZoneCode', 'patrolZone', 'patrolZoneId'],
  ['gridCode', 'grid', 'gridId'],
];

/** JSON path of a validation error -> the CSV column that carries it. */
const PATH_TO_COLUMN: Record<string, CsvColumn> = {
  'location.lat': 'lat',
  'location.lon': 'lon',
  'location.address': 'address',
  'location.coordSystem': 'coordSystem',
  'credentials.username': 'username',
  'credentials.password': 'password',
  credentials: 'username',
  'owner.name': 'ownerName',
  'owner.phone': 'ownerPhone',
  owner: 'ownerName',
  stationId: 'stationCode',
  policeRoomId: 'policeRoomCode',
  patrolZoneId: 'patrolZoneCode',
  gridId: 'gridCode',
};

export function csvField(path: string): string {
  if (PATH_TO_COLUMN[path]) return PATH_TO_COLUMN[path];
  if (path.startsWith('tags')) return 'tags';
  return path;
}

/** Header problems: unknown columns and missing required ones. */
export function checkHeader(header: string[]): FieldError[] {
  const known = new Set<string>(CSV_COLUMNS);
  const errors: FieldError[] = header.filter((h) => !known.has(h)).map((h) => ({ field: h, message: `unknown column "${h}"` }));
  for (const req of ['name', 'kind', 'lat', 'lon', 'rtspUrl']) if (!header.includes(req)) errors.push({ field: req, message: `missing column "${req}"` });
  return errors;
}

const blank = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';

function numberOf(v: string | undefined): number | string | undefined {
  if (blank(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v; // keep the text so validation names the field
}

/**
 * One CSV record -> a camera input object (not yet validated) plus errors for unknown org codes.
 */
export function csvRowToInput(rec: Partial<Record<string, string>>, org: OrgIndex): { input: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const input: Record<string, unknown> = {
    name: rec.name,
    kind: rec.kind?.trim(),
    location: {
      lat: numberOf(rec.lat),
      lon: numberOf(rec.lon),
      ...(blank(rec.address) ? {} : { address: rec.address }),
      ...(blank(rec.coordSystem) ? {} : { coordSystem: rec.coordSystem.trim().toLowerCase() }),
    },
    rtspUrl: rec.rtspUrl?.trim(),
  };
  if (!blank(rec.rtspSubUrl)) input.rtspSubUrl = rec.rtspSubUrl.trim();
  if (!blank(rec.onvifUrl)) input.onvifUrl = rec.onvifUrl.trim();
  if (!blank(rec.username) || !blank(rec.password)) input.credentials = { username: rec.username ?? '', password: rec.password ?? '' };
  if (!blank(rec.tags)) input.tags = rec.tags.split('|').map((t) => t.trim()).filter(Boolean);
  if (!blank(rec.ownerName) || !blank(rec.ownerPhone)) input.owner = { name: rec.ownerName ?? '', ...(blank(rec.ownerPhone) ? {} : { phone: rec.ownerPhone }) };
  for (const [col, kind, field] of CODE_COLUMNS) {
    const code = rec[col]?.trim();
    if (!code) continue;
    const id = org.idByCode[kind].get(code);
    if (id) input[field] = id;
    else errors.push({ field: col, message: `no ${kind} with code "${code}"` });
  }
  return { input, errors };
}

/** What a CSV row shows of a camera: a Camera, or the export's narrow row (listExportRows). */
export type CsvSource = CameraTextSource & Pick<Camera, 'tags' | 'stationId' | 'policeRoomId' | 'patrolZoneId' | 'gridId'> & { owner: { name: string | null; phone: string | null } | null };

/** A camera -> one export record (no credentials). */
export function cameraToCsvRow(c: CsvSource, org: OrgIndex): Record<(typeof EXPORT_COLUMNS)[number], string> {
  const code = (kind: OrgKind, id: string | null) => (id ? (org.codeById[kind].get(id) ?? '') : '');
  return {
    ...cameraText(c),
    tags: c.tags.join('|'),
    stationCode: code('station', c.stationId),
    policeRoomCode: code('policeRoom', c.policeRoomId),
    patrolZoneCode: code('patrolZone', c.patrolZoneId),
    gridCode: code('grid', c.gridId),
    ownerName: c.owner?.name ?? '',
    ownerPhone: c.owner?.phone ?? '',
  };
}
