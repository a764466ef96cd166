/** Evidence items, the custody log, signed export packages and package verification (server/evidence). */
import { api, request } from './client';

export interface EvidenceItem {
  id: string;
  rootId: string;
  version: number;
  supersedes: string | null;
  supersededBy: string | null;
  incidentId: string;
  kind: 'clip' | 'range';
  clipId: string | null;
  cameraId: string;
  from: string;
  to: string;
  sha256: string;
  bytes: number | null;
  partial: boolean;
  gaps: Array<{ from: string; to: string }>;
  segments: Array<{ sha256: string; bytes: number; from: string; to: string }>;
  note: string;
  reason: string | null;
  /** The legal hold on the item's footage (null: none). */
  holdId: string | null;
  /** When the hold ends (null: never). */
  holdExpiresAt: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface CustodyEntry {
  id: string;
  at: string;
  incidentId: string;
  action: 'view' | 'download' | 'export' | 'attach' | 'verify';
  itemKind: 'clip' | 'evidence' | 'export';
  itemId: string;
  sha256: string | null;
  userId: string | null;
  userName: string | null;
  address: string | null;
  requestId: string | null;
}

export interface EvidenceView {
  item: EvidenceItem;
  versions: EvidenceItem[];
  custody: CustodyEntry[];
}

export type AttachRequest = { kind: 'clip'; clipId: string; note?: string; holdUntil?: string } | { kind: 'range'; cameraId: string; from: string; to: string; note?: string; holdUntil?: string };

export interface EvidenceExport {
  id: string;
  incidentId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** Absolute URL of the zip once done. */
  url: string | null;
  sha256: string | null;
  bytes: number | null;
  manifestSha256: string | null;
  items: number | null;
  error: string | null;
  /** Why a running export waits (segments not archived yet); null when it does not. */
  waiting: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface PackageReport {
  ok: boolean;
  exportId: string | null;
  incident: { id: string; number: string } | null;
  signature: 'valid' | 'invalid' | 'missing';
  keySource: 'given' | 'package' | 'none';
  keyId: string | null;
  items: number;
  files: number;
  problems: Array<{ item: string | null; file: string | null; problem: string }>;
}

const inc = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

export const attachEvidence = (incidentId: string, body: AttachRequest) => api.post<EvidenceItem>(`${inc(incidentId)}/evidence`, body);
export const listEvidence = (incidentId: string) => api.get<{ items: EvidenceItem[] }>(`${inc(incidentId)}/evidence`);
/** The item with its versions and its custody entries (itself a `view` custody entry). */
export const getEvidence = (id: string) => api.get<EvidenceView>(`/api/v1/evidence/${encodeURIComponent(id)}`);
export const incidentCustody = (incidentId: string) => api.get<{ items: CustodyEntry[] }>(`${inc(incidentId)}/custody`);
export const evidenceDownloadUrl = (id: string) => `/api/v1/evidence/${encodeURIComponent(id)}/download`;

export const createExport = (incidentId: string) => api.post<{ id: string }>(`${inc(incidentId)}/exports`);
export const getExport = (id: string) => api.get<EvidenceExport>(`/api/v1/exports/${encodeURIComponent(id)}`);
/** Same-origin download path (the session cookie; the `url` field is the absolute form for API clients). */
export const exportDownloadUrl = (id: string) => `/api/v1/exports/${encodeURIComponent(id)}/download`;
/** Uploads a package zip; the report names every problem. */
export const verifyPackage = (file: Blob) => request<PackageReport>('POST', '/api/v1/evidence/verify', { raw: { body: file, contentType: 'application/zip' } });
export const listExports = (incidentId: string) => api.get<{ items: EvidenceExport[] }>(`${inc(incidentId)}/exports`);
