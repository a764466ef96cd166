/**
 * The export manifest (manifest.json): what the package holds and where it came from. Built by a
 * pure function from the incident, the evidence items, the files as written (path, sha256, bytes),
 * the cameras and the custody log; signed (Ed25519, manifest.sig) exactly as serialised here.
 */
import type { IncidentRef } from '@server/incidents/ports';
import type { CustodyRecord } from './custody-log';
import type { EvidenceItem } from './items-repository';
import type { Gap } from './ranges';

export const MANIFEST_FORMAT = 'skyeye-evidence-package/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  /** Recorded segments: the time span of the file. */
  from?: string;
  to?: string;
}

export interface ManifestItem {
  id: string;
  rootId: string;
  version: number;
  supersedes: string | null;
  kind: 'clip' | 'range';
  clipId: string | null;
  cameraId: string;
  from: string;
  to: string;
  partial: boolean;
  gaps: Gap[];
  /** The evidence record's hash: a clip's sha256, or the digest over a range's segments. */
  sha256: string;
  note: string;
  reason: string | null;
  attachedAt: string;
  attachedBy: string | null;
  files: ManifestFile[];
}

export interface ManifestCamera {
  id: string;
  name: string | null;
  lat: number | null;
  lon: number | null;
  address: string | null;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  exportId: string;
  createdAt: string;
  createdBy: { id: string; name: string | null };
  incident: { id: string; number: string; title: string; stationId: string | null; from: string; to: string; location: { lat: number; lon: number } | null };
  signature: { algorithm: 'Ed25519'; keyId: string; file: typeof SIGNATURE_FILE };
  cameras: ManifestCamera[];
  items: ManifestItem[];
  custody: CustodyRecord[];
}

/** Where an item's files go in the zip. */
export function itemDir(index: number, item: EvidenceItem): string {
  return `items/${String(index + 1).padStart(3, '0')}-${item.kind}-${item.id}`;
}

export function segmentFileName(from: string): string {
  return `segment-${from.replace(/[-:]/g, '').replace('.', '_')}.mp4`;
}

export interface ManifestInput {
  exportId: string;
  createdAt: Date;
  createdBy: { id: string; name: string | null };
  incident: IncidentRef;
  keyId: string;
  items: EvidenceItem[];
  /** Files as written, by item id, in item order. */
  files: Map<string, ManifestFile[]>;
  cameras: ManifestCamera[];
  custody: CustodyRecord[];
}

export function buildManifest(m: ManifestInput): Manifest {
  return {
    format: MANIFEST_FORMAT,
    exportId: m.exportId,
    createdAt: m.createdAt.toISOString(),
    createdBy: m.createdBy,
    incident: {
      id: m.incident.id, number: m.incident.number, title: m.incident.title, stationId: m.incident.stationId,
      from: m.incident.from.toISOString(), to: m.incident.to.toISOString(), location: m.incident.location,
    },
    signature: { algorithm: 'Ed25519', keyId: m.keyId, file: SIGNATURE_FILE },
    cameras: m.cameras,
    items: m.items.map((i) => ({
      id: i.id, rootId: i.rootId, version: i.version, supersedes: i.supersedes, kind: i.kind, clipId: i.clipId, cameraId: i.cameraId,
      from: i.from.toISOString(), to: i.to.toISOString(), partial: i.partial, gaps: i.gaps, sha256: i.sha256, note: i.note, reason: i.reason,
      attachedAt: i.createdAt.toISOString(), attachedBy: i.createdBy, files: m.files.get(i.id) ?? [],
    })),
    custody: m.custody,
  };
}
