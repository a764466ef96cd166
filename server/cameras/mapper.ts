/** Database row -> the camera as the API returns it (never the credential secret). */
import type { CameraKind, CameraStatus, EnrollmentState, RecordingMode, StreamTransport } from '@common/domain';
import type { CameraRow } from './repository';
import type { Camera } from './schemas';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

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
  if (distanceMeters !== undefined && distanceMeters !== null) cam.distanceMeters = Math.round(distanceMeters * 100) / 100;
  return cam;
}
