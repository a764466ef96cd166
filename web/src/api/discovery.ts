/** /api/v1/discovery endpoints (staff) and /api/v1/enrollment/merchant (merchants). */
import type { DiscoveredDeviceView, DiscoveryProposalView, ScanMethod, ScanStatus } from '@common/discovery';
import type { CameraKind } from '@common/domain';
import { api } from './client';
import type { MerchantEnrollmentInput as MerchantEnrollRequest, MerchantEnrollmentResult as MerchantEnrollResult } from '@common/discovery';

const BASE = '/api/v1/discovery';

export interface ScanRequest {
  method: ScanMethod;
  range?: string;
  username?: string;
  /** Sent in the body only; never stored by the console. */
  password?: string;
}

export interface ScanSummary {
  id: string;
  method: ScanMethod;
  range: string | null;
  status: ScanStatus;
  error: string | null;
  withCredentials: boolean;
  addressesTotal: number;
  addressesDone: number;
  deviceCount: number;
  /** Replies and ProbeMatch entries dropped (malformed, outside the scan, over the caps, lost in the kernel). */
  repliesDropped: number;
  /** Why the scan kept fewer devices than answered, or null. */
  capped: string | null;
  /** Devices that could not be probed or stored. */
  failures: Array<{ address: string; message: string }>;
  startedAt: string;
  finishedAt: string | null;
}

export interface Scan extends ScanSummary {
  devices: DiscoveredDeviceView[];
}

export interface EnrollRequest {
  credentials?: { username: string; password: string } | null;
  kind: CameraKind;
  location: { lat: number; lon: number; address?: string | null };
  name?: string;
  enrollmentState?: 'pending' | 'approved';
}

export interface EnrollResult {
  enrolled: Array<{ deviceId: string; cameraId: string }>;
}

export const startScan = (body: ScanRequest) => api.post<{ id: string; status: 'running' }>(`${BASE}/scans`, body);
export const listScans = (signal?: AbortSignal) => api.get<{ items: ScanSummary[] }>(`${BASE}/scans`, { signal });
export const getScan = (id: string, signal?: AbortSignal) => api.get<Scan>(`${BASE}/scans/${encodeURIComponent(id)}`, { signal });
export const enrollDevice = (deviceId: string, body: EnrollRequest) => api.post<EnrollResult>(`${BASE}/devices/${encodeURIComponent(deviceId)}/enroll`, body);
export const enrollDevices = (deviceIds: string[], body: EnrollRequest) => api.post<EnrollResult>(`${BASE}/enroll`, { deviceIds, ...body });

export type { MerchantEnrollmentInput as MerchantEnrollRequest, MerchantEnrollmentResult as MerchantEnrollResult } from '@common/discovery';

export const enrollMerchantCamera = (body: MerchantEnrollRequest) => api.post<MerchantEnrollResult>('/api/v1/enrollment/merchant', body);


export interface ApplyProposalRequest {
  version?: number;
  approveForeignMediaHost?: boolean;
}

export const listProposals = (status: 'open' | 'applied' | 'dismissed' = 'open', signal?: AbortSignal) =>
  api.get<{ items: DiscoveryProposalView[] }>(`${BASE}/proposals?status=${status}`, { signal });
export const applyProposal = (id: string, body: ApplyProposalRequest) => api.post<DiscoveryProposalView>(`${BASE}/proposals/${encodeURIComponent(id)}/apply`, body);
export const dismissProposal = (id: string) => api.post<DiscoveryProposalView>(`${BASE}/proposals/${encodeURIComponent(id)}/dismiss`, {});
