/**
 * Whether an incident may use a camera's recordings over a range (the seam clips, playback and
 * evidence ask before they read footage of household and shopfront cameras):
 * - road cameras (police) and cameras whose owner chose `shared`: yes;
 * - `live_only`: never;
 * - `on_request` (the default for household and shopfront cameras): only inside a range the owner
 *   approved for that incident; an approval of 10:00–10:05 opens nothing at 10:05:01 or for
 *   another incident.
 */
import type { FootageAccess, SharingMode } from '@common/incidents';
import type { AuthUser } from '@server/auth/types';
import type { Db } from '@server/db/database';
import type { FootageGate as PortGate } from '@server/incidents/ports';
import * as repo from './repository';
import type { CameraOwnership } from './repository';

/** What clips, evidence and playback call (after IncidentAccess.require). */
export interface FootageGate extends PortGate {
  check(incidentId: string, cameraId: string, from: Date, to: Date): Promise<FootageAccess>;
  /**
   * Playback inside an incident: the part of [from, to] the incident may replay (shared: all of it;
   * on_request: up to the end of the approved range that holds `from`), or the reason it may not.
   */
  replayRange(incidentId: string, cameraId: string, from: Date, to: Date): Promise<{ from: Date; to: Date } | { refused: string }>;
}

const LIVE_ONLY = 'The owner shares this camera live only; its recordings are not available.';
const NEEDS_APPROVAL = "This range needs the owner's approval for this incident (request footage).";

/** The sharing mode in force for a camera. */
export function effectiveMode(c: Pick<CameraOwnership, 'kind' | 'mode'>): SharingMode {
  if (c.kind === 'road') return 'shared';
  return c.mode ?? 'on_request';
}

export class FootageGateImpl implements FootageGate {
  constructor(private readonly db: () => Db) {}

  async check(incidentId: string, cameraId: string, from: Date, to: Date): Promise<FootageAccess> {
    const cam = await repo.camera(this.db(), cameraId);
    if (!cam) return { allowed: false, mode: 'on_request', reason: 'No such camera.' };
    const mode = effectiveMode(cam);
    if (mode === 'shared') return { allowed: true, mode, reason: null };
    if (mode === 'live_only') return { allowed: false, mode, reason: LIVE_ONLY };
    if (await repo.released(this.db(), incidentId, cameraId, from, to)) return { allowed: true, mode, reason: null };
    return { allowed: false, mode, reason: NEEDS_APPROVAL };
  }

  async replayRange(incidentId: string, cameraId: string, from: Date, to: Date): Promise<{ from: Date; to: Date } | { refused: string }> {
    const cam = await repo.camera(this.db(), cameraId);
    if (!cam) return { refused: 'No such camera.' };
    const mode = effectiveMode(cam);
    if (mode === 'shared') return { from, to };
    if (mode === 'live_only') return { refused: LIVE_ONLY };
    const until = await repo.releasedUntil(this.db(), incidentId, cameraId, from);
    return until ? { from, to: until < to ? until : to } : { refused: NEEDS_APPROVAL };
  }

  async replayable(user: AuthUser, cameraId: string): Promise<string | null> {
    const cam = await repo.camera(this.db(), cameraId);
    if (!cam || effectiveMode(cam) === 'shared' || cam.owner_user_id === user.id) return null;
    return effectiveMode(cam) === 'live_only'
      ? LIVE_ONLY
      : "This camera's recordings open only through an incident, for a range its owner approved (request footage).";
  }
}
