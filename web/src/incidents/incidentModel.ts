/** The incidents pages as pure functions: addresses, the create form (local times <-> ISO), labels. */
import { DEFAULT_INCIDENT_CATEGORIES } from '@common/incidents';
import type { IncidentInput } from '@web/api/incidents';

export const INCIDENTS_PATH = '/incidents';
export const incidentPath = (id: string) => `${INCIDENTS_PATH}/${encodeURIComponent(id)}`;

/** '/incidents/<id>' -> id; '/incidents', '/incidents/new', '/incidents/verify' (package verification) -> null. */
export function parseIncidentPath(pathname: string): string | null {
  const m = /^\/incidents\/([^/]+)\/?$/.exec(pathname);
  if (!m || m[1] === 'new' || m[1] === 'verify') return null;
  return decodeURIComponent(m[1]!);
}

/** A create form opened from elsewhere (the wall, the registry): /incidents/new?lat=&lon=&address= */
export function newIncidentPrefill(pathname: string, search: string): Partial<IncidentForm> | null {
  if (!/^\/incidents\/new\/?$/.test(pathname)) return null;
  const q = new URLSearchParams(search);
  const out: Partial<IncidentForm> = {};
  for (const k of ['lat', 'lon', 'address', 'title'] as const) {
    const v = q.get(k);
    if (v !== null) out[k] = v;
  }
  return out;
}

export interface IncidentForm {
  title: string;
  category: string;
  lat: string;
  lon: string;
  address: string;
  radius: string;
  from: string;
  to: string;
  description: string;
}

/** A Date as the value of <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function emptyForm(now: number, prefill: Partial<IncidentForm> = {}): IncidentForm {
  const hour = 3_600_000;
  return {
    title: '',
    category: DEFAULT_INCIDENT_CATEGORIES[0],
    lat: '',
    lon: '',
    address: '',
    radius: '300',
    from: toLocalInput(now - hour),
    to: toLocalInput(now),
    description: '',
    ...prefill,
  };
}

/** Form errors as i18n keys by field; empty when the form can be sent. */
export function formErrors(f: IncidentForm): Partial<Record<keyof IncidentForm, string>> {
  const e: Partial<Record<keyof IncidentForm, string>> = {};
  if (!f.title.trim()) e.title = 'incidents.v.required';
  const lat = Number(f.lat);
  const lon = Number(f.lon);
  if (f.lat.trim() === '' || !Number.isFinite(lat) || Math.abs(lat) > 90) e.lat = 'incidents.v.lat';
  if (f.lon.trim() === '' || !Number.isFinite(lon) || Math.abs(lon) > 180) e.lon = 'incidents.v.lon';
  const r = Number(f.radius);
  if (!Number.isFinite(r) || r <= 0) e.radius = 'incidents.v.radius';
  return Object.assign(e, windowErrors(f.from, f.to));
}

/** A time window's errors as i18n keys: each end a time, the end after the start. */
export function windowErrors(fromText: string, toText: string): { from?: string; to?: string } {
  const e: { from?: string; to?: string } = {};
  const from = Date.parse(fromText);
  const to = Date.parse(toText);
  if (Number.isNaN(from)) e.from = 'incidents.v.time';
  if (Number.isNaN(to)) e.to = 'incidents.v.time';
  else if (!Number.isNaN(from) && to <= from) e.to = 'incidents.v.order';
  return e;
}

export function toInput(f: IncidentForm): IncidentInput {
  return {
    title: f.title.trim(),
    category: f.category,
    location: { lat: Number(f.lat), lon: Number(f.lon), ...(f.address.trim() ? { address: f.address.trim() } : {}) },
    radius: Number(f.radius),
    from: new Date(Date.parse(f.from)).toISOString(),
    to: new Date(Date.parse(f.to)).toISOString(),
    ...(f.description.trim() ? { description: f.description } : {}),
  };
}

/** A server field name (location.lat) -> the form field it belongs to. */
export function formFieldOf(serverField: string): keyof IncidentForm | null {
  const map: Record<string, keyof IncidentForm> = { 'location.lat': 'lat', 'location.lon': 'lon', 'location.address': 'address', address: 'address' };
  if (map[serverField]) return map[serverField];
  return ['title', 'category', 'radius', 'from', 'to', 'description'].includes(serverField) ? (serverField as keyof IncidentForm) : null;
}

/** The i18n key of a category: the default ones are translated, configured others show as written. */
export const categoryKey = (c: string): string | null => ((DEFAULT_INCIDENT_CATEGORIES as readonly string[]).includes(c) ? `incidents.category.${c}` : null);

export const formatDistance = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(2)} km` : `${Math.round(m)} m`);
export const formatCoverage = (c: number | null) => (c === null ? '—' : `${Math.round(c * 1000) / 10}%`);
export const formatWhen = (iso: string) => new Date(iso).toLocaleString([], { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** A history entry's changes as short text: "status: open → closed; radius: 300 → 500", or "name: x". */
export function describeChanges(changes: Record<string, unknown>): string {
  return Object.entries(changes)
    .map(([k, v]) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v) {
        const c = v as { from: unknown; to: unknown };
        return `${k}: ${String(c.from ?? '—')} → ${String(c.to ?? '—')}`;
      }
      return `${k}: ${Array.isArray(v) ? v.join(', ') || '—' : String(v ?? '—')}`;
    })
    .join('; ');
}

/** "Something is happening here": the new-incident form at a camera's place (from the registry or the wall). */
export function newIncidentPath(where: { lat: number; lon: number; address?: string | null }): string {
  const q = new URLSearchParams({ lat: String(where.lat), lon: String(where.lon), ...(where.address ? { address: where.address } : {}) });
  return `${INCIDENTS_PATH}/new?${q.toString()}`;
}
