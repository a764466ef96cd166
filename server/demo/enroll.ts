/**
 * Enrolls the simulated fleet as approved cameras, idempotently: each sim camera is matched by a
 * stable tag derived from its ONVIF endpoint reference (same address -> same urn:uuid across
 * runs), so restarting with the same data creates nothing twice. Existing demo cameras keep any
 * enrollment decision an operator made (a suspended demo camera stays suspended).
 */
import { systemUser } from '@server/auth/system-user';
import type { CamerasService, Actor } from '@server/cameras/index';
import type { OrgIndex } from '@server/org/repository';
import type { DemoCameraSite } from '@sim/demo-town';
import type { SimCamera } from '@sim/camera';

export const DEMO_TAG_PREFIX = 'sim:';
export const demoTag = (endpointReference: string) => `${DEMO_TAG_PREFIX}${endpointReference}`;

export const DEMO_ACTOR: Actor = {
  user: systemUser,
  audit: { actorId: null, actorName: 'demo', actorRole: 'system', ip: null, requestId: null },
};

export interface EnrollResult {
  /** Registry ids in fleet order. */
  ids: string[];
  created: number;
}

/** The registry camera carrying this demo tag, through the cameras service (its table's one owner). */
async function findByTag(cameras: CamerasService, tag: string): Promise<string | null> {
  const { items } = await cameras.list(DEMO_ACTOR.user, { tag, limit: 1, bbox: undefined });
  return items[0]?.id ?? null;
}

export async function enrollDemoCameras(
  cameras: CamerasService,
  org: OrgIndex,
  fleet: Array<{ camera: SimCamera; site: DemoCameraSite; password: string }>,
): Promise<EnrollResult> {
  const out: EnrollResult = { ids: [], created: 0 };
  const idOf = (kind: keyof OrgIndex['idByCode'], code: string) => org.idByCode[kind].get(code) ?? null;
  for (const { camera, site, password } of fleet) {
    const tag = demoTag(camera.endpointReference);
    const existing = await findByTag(cameras, tag);
    if (existing) {
      out.ids.push(existing);
      continue;
    }
    const created = await cameras.create(DEMO_ACTOR, {
      name: site.name,
      kind: site.kind,
      location: { lat: site.lat, lon: site.lon, address: site.address },
      rtspUrl: camera.rtspMainUrl,
      rtspSubUrl: camera.rtspSubUrl,
      onvifUrl: camera.onvifUrl,
      transport: 'tcp',
      credentials: { username: camera.username, password },
      tags: [...site.tags, tag],
      stationId: idOf('station', site.stationCode),
      policeRoomId: idOf('policeRoom', site.policeRoomCode),
      patrolZoneId: idOf('patrolZone', site.patrolZoneCode),
      gridId: idOf('grid', site.gridCode),
      enrollmentState: 'approved',
    });
    out.ids.push(created.id);
    out.created += 1;
  }
  return out;
}
