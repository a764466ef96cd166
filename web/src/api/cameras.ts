/** /api/v1/cameras endpoints. */
import type { EnrollmentState } from '@common/domain';
import { api, request } from './client';
import { buildQuery } from './query';
import type { Camera, CameraFilters, CameraInput, CameraPage, CameraPatch, ImportReport, StatusHistoryPage } from './types';

const BASE = '/api/v1/cameras';
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

/** List query parameters from the filters (empty values dropped). Pure. */
export function listParams(filters: CameraFilters, cursor?: string | null, limit = 50) {
  return {
    limit,
    cursor: cursor ?? undefined,
    q: filters.q,
    kind: filters.kind,
    status: filters.status,
    enrollment: filters.enrollment,
    stationId: filters.stationId,
    zoneId: filters.zoneId,
    tag: filters.tag,
  };
}

export const listCameras = (filters: CameraFilters, cursor?: string | null, signal?: AbortSignal) =>
  api.get<CameraPage>(BASE, { query: listParams(filters, cursor), signal });

export const getCamera = (id: string) => api.get<Camera>(one(id));
export const createCamera = (input: CameraInput) => api.post<Camera>(BASE, input);
export const updateCamera = (id: string, patch: CameraPatch) => api.patch<Camera>(one(id), patch);
export const deleteCamera = (id: string) => api.del(one(id));
/** The owning merchant withdraws consent: the camera is disabled and retired at once. */
export const withdrawConsent = (id: string, reason?: string) => api.post<void>(`${one(id)}/consent/withdraw`, reason ? { reason } : {});
export const setEnrollment = (id: string, state: EnrollmentState, reason?: string) =>
  api.post<Camera>(`${one(id)}/enrollment`, reason ? { state, reason } : { state });

/** Newest first, 50 a page. */
export const getStatusHistory = (id: string, cursor?: string | null, signal?: AbortSignal) =>
  api.get<StatusHistoryPage>(`${one(id)}/status-history`, { query: { limit: 50, cursor: cursor ?? undefined }, signal });

export type ImportFormat = 'csv' | 'json';

export const importCameras = (body: string, format: ImportFormat, partial: boolean) =>
  request<ImportReport>('POST', `${BASE}/import`, {
    query: { partial: String(partial) },
    raw: { body, contentType: format === 'csv' ? 'text/csv' : 'application/json' },
  });

/** The export link, carrying the current filters (the server may ignore them). */
export const exportCsvUrl = (filters: CameraFilters) => {
  const { limit: _limit, cursor: _cursor, ...rest } = listParams(filters);
  return `${BASE}/export.csv${buildQuery(rest)}`;
};
