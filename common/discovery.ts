/** Discovery API shapes and socket.io payloads, shared by the server and the console. Imports nothing. */
export const DISCOVERY_ERRORS = ['unreachable', 'auth_failed', 'not_onvif', 'timeout', 'malformed_response'] as const;
export type DiscoveryError = (typeof DISCOVERY_ERRORS)[number];
export type ScanMethod = 'multicast' | 'unicast';
export type ScanStatus = 'running' | 'done' | 'failed';
/** new: never enrolled; known: matches a registry camera (re-discovery); enrolled: enrolled from this row. */
export type DiscoveredState = 'new' | 'known' | 'enrolled';

export interface DiscoveredProfile {
  token: string;
  name: string;
  encoding: string | null;
  width: number | null;
  height: number | null;
  ptz: boolean;
}

export interface DiscoveredDeviceView {
  id: string;
  scanId: string;
  endpoint: string;
  address: string;
  onvifUrl: string | null;
  xaddrMismatch: boolean;
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  profiles: DiscoveredProfile[];
  /** RTSP URIs as the device reports them (never with credentials in them). */
  streamUris: { main: string | null; sub: string | null };
  snapshotUri: string | null;
  hasPtz: boolean | null;
  clockOffsetMs: number | null;
  error: DiscoveryError | null;
  errorDetail: string | null;
  state: DiscoveredState;
  cameraId: string | null;
  /** Differences from the last time this camera was seen, e.g. {address: {from, to}}. */
  changes: Record<string, { from: string | null; to: string | null }>;
  /** A stream URI names another host than the device: enrolling needs approveForeignMediaHost. */
  mediaHostMismatch: boolean;
  /** Claims a registry camera's identity (endpoint or serial) from another address than the approved one. */
  identityClash: boolean;
  foundAt: string;
}

/** A change re-discovery found for a registry camera; applied only by an operator. */
export interface DiscoveryProposalView {
  id: string;
  cameraId: string;
  deviceId: string | null;
  kind: 'change' | 'identity_clash';
  address: string;
  endpoint: string;
  changes: Record<string, { from: string | null; to: string | null }>;
  mediaHostMismatch: boolean;
  status: 'open' | 'applied' | 'dismissed';
  createdAt: string;
  decidedAt: string | null;
}

export interface ScanProgressEvent {
  scanId: string;
  status: ScanStatus;
  addressesTotal: number;
  addressesDone: number;
  deviceCount: number;
}

export interface ScanDeviceEvent {
  scanId: string;
  device: DiscoveredDeviceView;
}

export interface ScanDoneEvent {
  scanId: string;
  status: ScanStatus;
  deviceCount: number;
  error: string | null;
}

/** POST /api/v1/enrollment/merchant: a merchant's own camera, verified and filed as pending. */
export interface MerchantEnrollmentInput {
  onvifUrl?: string;
  rtspUrl?: string;
  credentials?: { username: string; password: string };
  name: string;
  kind: 'shopfront' | 'household';
  location: { lat: number; lon: number; address?: string | null };
  owner: { name: string; phone?: string | null };
  consent: true;
}

export interface MerchantEnrollmentResult {
  cameraId: string;
  enrollmentState: 'pending';
  consentAt: string;
  verification: { method: 'onvif' | 'rtsp'; codec: string | null; rtspUrl: string; rtspSubUrl: string | null };
}
