/** Rows -> the incident as the API returns it, and the IncidentRef that clips and evidence see. */
import type { Incident, IncidentHistoryEntry, IncidentPerson, IncidentStatus } from '@common/incidents';
import type { IncidentRef } from './ports';
import type { HistoryRow, IncidentRow, PersonRow } from './repository';

const iso = (d: Date | string) => new Date(d).toISOString();

export const toPerson = (p: PersonRow): IncidentPerson => ({ id: p.id, username: p.username, displayName: p.display_name });

export function toIncident(row: IncidentRow, assignees: PersonRow[]): Incident {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    category: row.category,
    description: row.description,
    status: row.status as IncidentStatus,
    from: iso(row.from_at),
    to: iso(row.to_at),
    location: { lat: Number(row.lat), lon: Number(row.lon), address: row.address },
    radius: Number(row.radius_m),
    station: row.station_id ? { id: row.station_id, name: row.station_name ?? '' } : null,
    assignees: assignees.map(toPerson),
    createdBy: row.created_by ? { id: row.created_by, username: row.created_by_username ?? '', displayName: row.created_by_display_name ?? '' } : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: Number(row.version),
  };
}

export function toRef(row: IncidentRow): IncidentRef {
  return {
    id: row.id,
    number: row.number,
    stationId: row.station_id,
    title: row.title,
    from: new Date(row.from_at),
    to: new Date(row.to_at),
    location: { lat: Number(row.lat), lon: Number(row.lon) },
  };
}

export function toHistory(row: HistoryRow): IncidentHistoryEntry {
  return {
    id: String(row.id),
    at: iso(row.at),
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    changes: (typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes) as Record<string, unknown>,
  };
}
