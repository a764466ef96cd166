/** /api/v1/incidents endpoints (server/incidents). */
import type { Incident, IncidentCameraList, IncidentHistoryEntry, IncidentList, IncidentMeta, IncidentPerson, IncidentStatus } from '@common/incidents';
import { api, request } from './client';

const BASE = '/api/v1/incidents';
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export interface IncidentFilters {
  q?: string;
  status?: IncidentStatus;
  category?: string;
  assigned?: 'me';
}

export interface IncidentInput {
  title: string;
  category: string;
  location: { lat: number; lon: number; address?: string | null };
  radius: number;
  from: string;
  to: string;
  description?: string;
}

export interface IncidentPatch {
  title?: string;
  category?: string;
  description?: string;
  status?: IncidentStatus;
  version?: number;
}

export const listIncidents = (f: IncidentFilters, cursor?: string | null, signal?: AbortSignal) =>
  api.get<IncidentList>(BASE, { query: { limit: 50, cursor: cursor ?? undefined, q: f.q || undefined, status: f.status, category: f.category, assigned: f.assigned }, signal });

export const getIncident = (id: string, signal?: AbortSignal) => api.get<Incident>(one(id), { signal });
export const createIncident = (input: IncidentInput) => api.post<Incident>(BASE, input);
export const updateIncident = (id: string, patch: IncidentPatch) => api.patch<Incident>(one(id), patch);
export const getIncidentMeta = () => api.get<IncidentMeta>(`${BASE}/meta`);
export const listInvestigators = () => api.get<{ items: Array<IncidentPerson & { stationId: string | null }> }>(`${BASE}/investigators`);
export const setAssignees = (id: string, userIds: string[]) => request<Incident>('PUT', `${one(id)}/assignees`, { json: { userIds } });
export const incidentCameras = (id: string, signal?: AbortSignal) => api.get<IncidentCameraList>(`${one(id)}/cameras`, { signal });
export const addIncidentCamera = (id: string, cameraId: string) => api.post<{ cameraId: string; added: boolean }>(`${one(id)}/cameras`, { cameraId });
export const removeIncidentCamera = (id: string, cameraId: string) => api.del(`${one(id)}/cameras/${encodeURIComponent(cameraId)}`);
export const incidentHistory = (id: string) => api.get<{ items: IncidentHistoryEntry[] }>(`${one(id)}/history`);
