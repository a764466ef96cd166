/**
 * Domain vocabulary shared by server, workers and web. Imports nothing.
 * Labels for the console live in web/src/i18n, keyed by these values.
 */
export const CAMERA_KINDS = ['road', 'household', 'shopfront'] as const;
export type CameraKind = (typeof CAMERA_KINDS)[number];

export const ENROLLMENT_STATES = ['pending', 'approved', 'rejected', 'suspended'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

/** Ingest health of a camera, judged by a worker from ffmpeg output and stderr. */
export const CAMERA_STATUSES = [
  'unknown',
  'starting',
  'live',
  'stalled',
  'reconnecting',
  'offline',
  'auth_failed',
  'unreachable',
  'unsupported',
  'disabled',
] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

export const RECORDING_MODES = ['continuous', 'off'] as const;
export type RecordingMode = (typeof RECORDING_MODES)[number];

export const COORD_SYSTEMS = ['wgs84', 'gcj02'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];

export const ROLES = ['admin', 'operator', 'investigator', 'merchant'] as const;
export type Role = (typeof ROLES)[number];

export const STREAM_TRANSPORTS = ['tcp', 'udp'] as const;
export type StreamTransport = (typeof STREAM_TRANSPORTS)[number];
