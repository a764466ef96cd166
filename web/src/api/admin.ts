/** The administrators' API: users, the audit log and its chain check, system health. */
import type { Role } from '@common/domain';
import { api } from './client';
import { buildQuery } from './query';

/** A user as administrators see it (GET /api/v1/users). */
export interface ManagedUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** null: county level (no station). */
  stationId: string | null;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName: string;
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
  version?: number;
}

const USERS = '/api/v1/users';
const userPath = (id: string) => `${USERS}/${encodeURIComponent(id)}`;

export const listUsers = () => api.get<{ items: ManagedUser[] }>(USERS);
export const createUser = (input: NewUser) => api.post<ManagedUser>(USERS, input);
export const updateUser = (id: string, change: UserChange) => api.patch<ManagedUser>(userPath(id), change);
export const setUserStation = (id: string, stationId: string | null) => api.put<{ stationId: string | null }>(`${userPath(id)}/station`, { stationId });

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  firstBroken: { seq: string; id: string | null; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_entries' | 'head_mismatch'; detail: string } | null;
}

export const listAudit = (filter: AuditFilter, cursor: string | null, signal?: AbortSignal) =>
  api.get<AuditPage>('/api/v1/audit', { query: { ...filter, limit: 50, cursor: cursor ?? undefined }, signal });
/** The export link for the viewer's filters: every matching entry, streamed by the server (admins). */
export const auditExportUrl = (filter: AuditFilter, format: 'csv' | 'ndjson') => `/api/v1/audit/export.${format}${buildQuery({ ...filter })}`;
export const verifyAudit = () => api.get<AuditChainReport>('/api/v1/audit/verify');

export interface Health {
  at: string;
  checks: Array<{ name: string; ok: boolean; error?: string }>;
  workers: Array<{ workerId: string; startedAt: string; heartbeatAgeMs: number; cameras: Array<{ id: string; name: string; status: string }> }> | null;
  cameras: Array<{ status: string; enrollment: string; n: number }> | null;
  uploadBacklog: { segments: number; bytes: number; oldest: string | null } | null;
  alarmWebhookBacklog: number | null;
  disk: { path: string; totalBytes: number; freeBytes: number; minFreeBytes: number } | null;
  errors: Array<{ part: string; error: string }>;
}

export const getHealth = (signal?: AbortSignal) => api.get<Health>('/api/v1/ops/health', { signal });
