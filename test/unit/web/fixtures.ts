/** A camera as the API returns it, for web unit tests. */
import type { Camera } from '@web/api/types';

export function camera(over: Partial<Camera> = {}): Camera {
  return {
    id: 'c1',
    name: '人民路口',
    kind: 'road',
    location: { lat: 34.09, lon: 119.35, address: '人民路 1 号', coordSystem: 'wgs84' },
    stationId: 's1',
    policeRoomId: null,
    patrolZoneId: 'z1',
    gridId: null,
    owner: null,
    onvifUrl: null,
    rtspUrl: 'rtsp://127.0.0.1:8554/cam1',
    rtspSubUrl: null,
    transport: 'tcp',
    liveVideo: 'copy',
    allowBasicAuth: false,
    credentials: { username: 'admin' },
    tags: ['gate'],
    enrollmentState: 'approved',
    enrollmentReason: null,
    recording: { mode: 'continuous', retentionDays: 30 },
    status: 'live',
    statusCause: null,
    statusChangedAt: '2025-01-01T00:00:00.000Z',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    version: 1,
    ...over,
  };
}
