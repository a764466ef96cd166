/**
 * The seams between incidents (server/incidents), clips (server/clips) and evidence
 * (server/evidence). Each side depends on these interfaces, not on the other's code; the
 * composition root (server/services) wires the implementations together.
 */
import type { Readable } from 'node:stream';
import type { AuthUser } from '@server/auth/types';

/** What clips and evidence need to know about an incident. */
export interface IncidentRef {
  id: string;
  /** Per-station number, e.g. 新安派出所-2026-00123. */
  number: string;
  stationId: string | null;
  title: string;
  from: Date;
  to: Date;
  location: { lat: number; lon: number } | null;
}

/**
 * Who may do what with an incident. `require` answers the incident when the user may, and
 * otherwise throws the HttpError to send: 404 when the user may not see it (merchants, other
 * stations), 403 when they see it but may not do this.
 */
export interface IncidentAccess {
  require(user: AuthUser, incidentId: string, action: 'view' | 'edit'): Promise<IncidentRef>;
}

/** Whether an incident may use a camera's recordings over [from, to] (its owner's sharing choice). */
export interface FootageGate {
  check(incidentId: string, cameraId: string, from: Date, to: Date): Promise<{ allowed: boolean; reason: string | null }>;
  /**
   * Whether `user` may replay a camera's recordings outside any incident (the playback page):
   * yes for road and `shared` cameras and for the camera's owner; otherwise the reason.
   */
  replayable(user: AuthUser, cameraId: string): Promise<string | null>;
}

/** One chain-of-custody entry: who touched which piece of evidence, when (set by the log), how. */
export interface CustodyEntry {
  incidentId: string;
  action: 'view' | 'download' | 'export' | 'attach' | 'verify';
  itemKind: 'clip' | 'evidence' | 'export';
  itemId: string;
  sha256: string | null;
  userId: string | null;
  address: string | null;
  requestId: string | null;
}

export interface CustodyLog {
  record(entry: CustodyEntry): Promise<void>;
}

export interface ClipGap {
  from: Date;
  to: Date;
}

/** A finished (or unfinished) clip as evidence sees it. */
export interface ClipRecord {
  id: string;
  incidentId: string;
  cameraId: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  requestedFrom: Date;
  requestedTo: Date;
  actualFrom: Date | null;
  actualTo: Date | null;
  partial: boolean;
  gaps: ClipGap[];
  sha256: string | null;
  bytes: number | null;
}

/** Read access to clips for evidence and exports. */
export interface ClipSource {
  get(clipId: string): Promise<ClipRecord | null>;
  listByIncident(incidentId: string): Promise<ClipRecord[]>;
  /** The clip's MP4 bytes (whole file), streamed from object storage. */
  open(clipId: string): Promise<Readable>;
}
