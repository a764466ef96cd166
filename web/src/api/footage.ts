/** Footage requests and camera sharing (server/incidents/footage). */
import type { FootageAccess, FootageRequest, FootageRequestStatus, SharingMode } from '@common/incidents';
import { api, request } from './client';

export const requestFootage = (incidentId: string, body: { cameraId: string; from: string; to: string; reason?: string }) =>
  api.post<FootageRequest>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/footage-requests`, body);
export const incidentFootageRequests = (incidentId: string) => api.get<{ items: FootageRequest[] }>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/footage-requests`);
export const footageInbox = (status?: FootageRequestStatus) => api.get<{ items: FootageRequest[] }>('/api/v1/footage-requests', { query: { status } });
export const decideFootage = (id: string, decision: 'approve' | 'decline', note?: string) =>
  api.post<FootageRequest>(`/api/v1/footage-requests/${encodeURIComponent(id)}/decision`, { decision, ...(note ? { note } : {}) });
export const getSharing = (cameraId: string) => api.get<{ mode: SharingMode }>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/sharing`);
export const setSharing = (cameraId: string, mode: SharingMode) => request<{ mode: SharingMode }>('PUT', `/api/v1/cameras/${encodeURIComponent(cameraId)}/sharing`, { json: { mode } });
export const footageAccess = (incidentId: string, cameraId: string, from: string, to: string) =>
  api.get<FootageAccess>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/footage-access`, { query: { cameraId, from, to } });
