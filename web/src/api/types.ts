/** API shapes as the console sees them (the contract in docs; server/cameras/schemas.ts is the source). */
import type {
  CameraKind,
  CameraStatus,
  CoordSystem,
  EnrollmentState,
  RecordingMode,
  Role,
  StreamTransport,
} from '@common/domain';

export interface User {
  id: string;
  username: string;
  role: Role;
  displayName: string;
  /** Present on the administration list (GET /users). */
  disabled?: boolean;
  createdAt?: string;
  updatedAt?: string;
  version?: number;
}

export interface LoginResponse {
  token: string;
  csrfToken: string;
  /** When the session ends unless renewed (ISO time). */
  expiresAt: string;
  user: User;
}

export interface Camera {
  id: string;
  name: string;
  kind: CameraKind;
  location: { lat: number; lon: number; address: string | null; coordSystem: 'wgs84' };
  stationId: string | null;
  policeRoomId: string | null;
  patrolZoneId: string | null;
  gridId: string | null;
  owner: { name: string | null; phone: string | null; userId: string | null } | null;
  onvifUrl: string | null;
  rtspUrl: string | null;
  rtspSubUrl: string | null;
  transport: StreamTransport;
  liveVideo: 'copy' | 'h264';
  /** Ingest may answer a camera that offers only Basic auth (sends the password itself); off by default. */
  allowBasicAuth: boolean;
  credentials: { username: string } | null;
  tags: string[];
  enrollmentState: EnrollmentState;
  enrollmentReason: string | null;
  recording: { mode: RecordingMode; retentionDays: number };
  status: CameraStatus;
  statusCause: string | null;
  statusChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Only in radius queries. */
  distanceMeters?: number;
}

export interface CameraInput {
  name: string;
  kind: CameraKind;
  location: { lat: number; lon: number; address?: string | null; coordSystem?: CoordSystem };
  rtspUrl: string;
  rtspSubUrl?: string | null;
  onvifUrl?: string | null;
  transport?: StreamTransport;
  credentials?: { username: string; password: string } | null;
  tags?: string[];
  stationId?: string | null;
  policeRoomId?: string | null;
  patrolZoneId?: string | null;
  gridId?: string | null;
  owner?: { name: string; phone?: string | null } | null;
  recording?: { mode: RecordingMode; retentionDays: number };
}

export type CameraPatch = Partial<CameraInput> & { version: number };

/** One entry of a camera's status history (GET /cameras/{id}/status-history). */
export interface StatusHistoryItem {
  status: CameraStatus;
  cause: string | null;
  /** The raw, scrubbed line behind the cause (ffmpeg stderr, exit), when there was one. */
  detail: string | null;
  at: string;
  /** The worker that reported it; null when the platform did (e.g. no worker holds the camera). */
  workerId: string | null;
}

export interface StatusHistoryPage {
  items: StatusHistoryItem[];
  nextCursor: string | null;
}

export interface CameraPage {
  items: Camera[];
  nextCursor: string | null;
}

export interface CameraFilters {
  q?: string;
  kind?: CameraKind | '';
  status?: CameraStatus | '';
  enrollment?: EnrollmentState | '';
  stationId?: string;
  zoneId?: string;
  tag?: string;
}

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

export interface ImportReport {
  created: number;
  failed: number;
  errors: ImportRowError[];
}

export interface OrgUnit {
  id: string;
  code: string;
  name: string;
  nameEn: string;
}

export interface Org {
  stations: OrgUnit[];
  policeRooms: (OrgUnit & { stationId: string })[];
  patrolAreas: OrgUnit[];
  patrolZones: (OrgUnit & { areaId: string })[];
  grids: (OrgUnit & { stationId: string | null; policeRoomId: string | null })[];
}
