/** Clip jobs of an incident (server/clips): request for many cameras at once, status, cancel, download. */
import type { ClipProgressEvent } from '@common/events';
import { api } from './client';

export type ClipStatus = ClipProgressEvent['status'];

export interface Clip {
  id: string;
  incidentId: string;
  cameraId: string;
  status: ClipStatus;
  /** 0..1 */
  progress: number;
  requestedFrom: string;
  requestedTo: string;
  /** The first keyframe's wall-clock time (at or before requestedFrom). */
  actualFrom: string | null;
  actualTo: string | null;
  /** Part of the window was not recorded; `gaps` says which. */
  partial: boolean;
  gaps: Array<{ from: string; to: string }>;
  sha256: string | null;
  bytes: number | null;
  error: string | null;
}

export interface ClipManyRequest {
  cameraIds: string[];
  from: string;
  to: string;
}

const inc = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}/clips`;

/** One request, one job per camera for the same window. */
export const requestClips = (incidentId: string, body: ClipManyRequest) => api.post<{ ids: string[] }>(inc(incidentId), body);
export const listClips = (incidentId: string) => api.get<{ items: Clip[] }>(inc(incidentId));
export const getClip = (id: string) => api.get<Clip>(`/api/v1/clips/${encodeURIComponent(id)}`);
export const cancelClip = (id: string) => api.post<Clip>(`/api/v1/clips/${encodeURIComponent(id)}/cancel`);
/** Served with HTTP Range; every request is a custody entry. A plain link downloads it with the session cookie. */
export const clipDownloadUrl = (id: string) => `/api/v1/clips/${encodeURIComponent(id)}/download`;
