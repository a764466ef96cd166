/**
 * What discovery and merchant enrollment need from the camera registry: create a camera (with its
 * credentials encrypted by the registry's keyring) inside the caller's transaction. The service
 * container adapts the registry's own create function to this port.
 */
import type { CameraKind } from '@common/domain';
import type { AuditActor } from '@server/audit/audit-repository';
import type { Db } from '@server/db/database';
import { recordAudit } from '@server/audit/audit-repository';
import type { AuthUser } from '@server/auth/types';
import { toCamera } from '@server/cameras/mapper';
import { insertCameras } from '@server/cameras/repository';
import { newRow } from '@server/cameras/rows';
import type { CameraInput } from '@server/cameras/schemas';
import type { Keyring } from '@server/security/keyring';

export interface NewCamera {
  name: string;
  kind: CameraKind;
  lat: number;
  lon: number;
  address?: string | null;
  onvifUrl: string | null;
  rtspUrl: string;
  rtspSubUrl: string | null;
  username: string | null;
  password: string | null;
  enrollmentState: 'pending' | 'approved';
  ownerUserId?: string | null;
  ownerName?: string | null;
  ownerPhone?: string | null;
  consentAt?: Date | null;
  tags?: string[];
  stationId?: string | null;
  patrolZoneId?: string | null;
}

export interface CreatedCamera {
  id: string;
  ownerUserId: string | null;
  /** The camera as the API returns it (no secrets), for the camera:created event. */
  view?: unknown;
}

export interface CameraPort {
  /** Insert the camera (and its audit entry) in `tx`; throw to roll the whole enrollment back. */
  create(tx: Db, input: NewCamera, actor: AuditActor): Promise<CreatedCamera>;
}

/**
 * The registry's own row building (URL cleaning, keyring sealing of the password, enrollment
 * rules for merchants) and insert, run inside the enrollment's transaction.
 */
export function registryCameraPort(keyring: Keyring): CameraPort {
  return {
    async create(tx, c, actor) {
      const user: AuthUser = c.ownerUserId
        ? { id: c.ownerUserId, username: actor.actorName ?? 'merchant', role: 'merchant', displayName: c.ownerName ?? '', via: 'bearer' }
        : { id: actor.actorId ?? '', username: actor.actorName ?? 'discovery', role: 'operator', displayName: '', via: 'bearer' };
      const input: CameraInput = {
        name: c.name,
        kind: c.kind,
        location: { lat: c.lat, lon: c.lon, address: c.address ?? null },
        rtspUrl: c.rtspUrl,
        rtspSubUrl: c.rtspSubUrl,
        onvifUrl: c.onvifUrl,
        credentials: c.username ? { username: c.username, password: c.password ?? '' } : null,
        tags: c.tags ?? [],
        stationId: c.stationId ?? null,
        patrolZoneId: c.patrolZoneId ?? null,
        owner: c.ownerName ? { name: c.ownerName, phone: c.ownerPhone ?? null } : null,
        enrollmentState: c.enrollmentState,
      };
      const values = newRow(input, user, keyring);
      if (c.consentAt) values.consentAt = c.consentAt;
      const [row] = await insertCameras(tx, [values]);
      const camera = toCamera(row!);
      await recordAudit(tx, actor, {
        action: 'camera.create',
        targetType: 'camera',
        targetId: camera.id,
        details: { via: c.ownerUserId ? 'merchant-enrollment' : 'discovery', name: camera.name, kind: camera.kind, enrollmentState: camera.enrollmentState },
      });
      return { id: camera.id, ownerUserId: row!.ownerUserId, view: camera };
    },
  };
}
