/** Database row -> the camera as the API returns it (never the credential secret). */
import type { CameraKind, CameraStatus, EnrollmentState, RecordingMode, StreamTransport } from '@common/domain';
import type { CameraRow } from './repository';
import type { Camera } from './schemas';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A distance as the API gives it: metres to the centimetre. */
export const roundMetres = (m: number): number => Math.round(m * 100) / 100;

export function toCamera(row: CameraRow, distanceMeters?: number | null): Camera {
  const hasOwner = row.ownerName !== null || row.ownerPhone !== null || row.ownerUserId !== null;
  const cam: Camera = {
    id: row.id,
    name: row.name,
    kind: row.kind as CameraKind,
    location: { lat: row.lat, lon: row.lon, address: row.address, coordSystem: 'wgs84' },
    stationId: row.stationId,
    policeRoomId: row.policeRoomId,
    patrolZoneId: row.patrolZoneId,
    gridId: row.gridId,
    owner: hasOwner ? { name: row.ownerName, phone: row.ownerPhone, userId: row.ownerUserId } : null,
    onvifUrl: row.onvifUrl,
    rtspUrl: row.rtspUrl,
    rtspSubUrl: row.rtspSubUrl,
    transport: row.transport as StreamTransport,
    liveVideo: row.liveVideo as 'copy' | 'h264',
    credentials: row.credentialsUsername !== null ? { username: row.credentialsUsername } : null,
    allowBasicAuth: row.allowBasicAuth,
    tags: row.tags,
    enrollmentState: row.enrollmentState as EnrollmentState,
    enrollmentReason: row.enrollmentReason,
    recording: { mode: row.recordingMode as RecordingMode, retentionDays: row.retentionDays },
    status: row.status as CameraStatus,
    statusCause: row.statusCause,
    statusChangedAt: iso(row.statusChangedAt),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    version: row.version,
  };
  if (distanceMeters !== undefined && distanceMeters !== null) cam.distanceMeters = roundMetres(distanceMeters);
  return cam;
}

/**
 * Status causes name addresses, ports and protocol detail (they are how operators debug a
 * camera); a merchant sees one plain phrase per status instead, so a camera they own cannot be
 * used to learn about the network behind it. Staff see the cause as recorded.
 */
const MERCHANT_CAUSE: Record<CameraStatus, string | null> = {
  unknown: null,
  starting: 'Connecting to the camera.',
  live: null,
  stalled: 'The camera stopped sending video.',
  reconnecting: 'Reconnecting to the camera.',
  offline: 'The camera is not reachable.',
  auth_failed: 'The camera refused the user name or password.',
  unreachable: 'The camera is not reachable.',
  unsupported: 'The camera sends a stream Sky Eye cannot use.',
  disabled: 'Ingest is disabled for this camera.',
};

export function merchantCause(status: string, cause: string | null): string | null {
  if (cause === null) return null;
  return MERCHANT_CAUSE[status as CameraStatus] ?? 'The camera is not available.';
}

/** The camera as `viewer` may see it (merchants: generic causes). */
export function forViewer(viewer: { role: string }, cam: Camera): Camera {
  return viewer.role === 'merchant' ? { ...cam, statusCause: merchantCause(cam.status, cam.statusCause) } : cam;
}
