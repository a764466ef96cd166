/** Incidents (警情): API shapes shared by the server (server/incidents) and the console. Imports only common/. */
import type { Timeline } from './timeline';

export const INCIDENT_STATUSES = ['open', 'under_investigation', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The categories a fresh installation offers (config incidents.categories may differ). */
export const DEFAULT_INCIDENT_CATEGORIES = ['dispute', 'theft', 'traffic', 'criminal', 'other'] as const;

export interface IncidentPerson {
  id: string;
  username: string;
  displayName: string;
}

/** GET /api/v1/incidents/{id} (and each list item). Times ISO 8601, radius in metres. */
export interface Incident {
  id: string;
  number: string;
  title: string;
  category: string;
  description: string;
  status: IncidentStatus;
  from: string;
  to: string;
  location: { lat: number; lon: number; address: string | null };
  radius: number;
  station: { id: string; name: string } | null;
  assignees: IncidentPerson[];
  createdBy: IncidentPerson | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface IncidentList {
  items: Incident[];
  nextCursor: string | null;
}

/** One camera that may have seen the incident: GET /api/v1/incidents/{id}/cameras, nearest first. */
export interface IncidentCamera {
  cameraId: string;
  name: string;
  kind: string;
  status: string;
  lat: number;
  lon: number;
  address: string | null;
  /** Metres from the incident's location. */
  distance: number;
  /** Within the incident's radius. */
  inRadius: boolean;
  /** Added by hand (POST /incidents/{id}/cameras). */
  manual: boolean;
  /** Recorded share (0..1) of the window up to now; null when none of the window has passed. */
  coverage: number | null;
  recordedSeconds: number;
  /** Recorded spans and gaps (with cause) inside the window. */
  timeline: Timeline;
  /** How the owner shares the recordings (road cameras: shared); absent where not looked up. */
  sharing?: SharingMode;
}

export interface IncidentCameraList {
  from: string;
  to: string;
  radius: number;
  items: IncidentCamera[];
}

export interface IncidentHistoryEntry {
  id: string;
  at: string;
  actor: { id: string | null; name: string | null };
  action: string;
  changes: Record<string, unknown>;
}

/** GET /api/v1/incidents/meta: what the console offers in its forms. */
export interface IncidentMeta {
  categories: string[];
  statuses: IncidentStatus[];
  maxRadius: number;
}

/** How police may use a household or shopfront camera's recordings (chosen by its owner). */
export const SHARING_MODES = ['shared', 'on_request', 'live_only'] as const;
export type SharingMode = (typeof SHARING_MODES)[number];

export const FOOTAGE_REQUEST_STATUSES = ['pending', 'approved', 'declined'] as const;
export type FootageRequestStatus = (typeof FOOTAGE_REQUEST_STATUSES)[number];

/**
 * A request for one camera's recordings over [from, to) for one incident. Owners (merchants) see
 * it without the incident (`incident` is null for them).
 */
export interface FootageRequest {
  id: string;
  cameraId: string;
  cameraName: string;
  from: string;
  to: string;
  reason: string;
  status: FootageRequestStatus;
  requestedBy: string | null;
  requestedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  incident: { id: string; number: string; title: string } | null;
}

/** GET /api/v1/incidents/{id}/footage-access: may this incident's users view/clip this range? */
export interface FootageAccess {
  allowed: boolean;
  mode: SharingMode;
  /** Why not (a sentence), when not allowed. */
  reason: string | null;
}
