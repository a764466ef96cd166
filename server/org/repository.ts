/** Reads of the organisation tables (stations, police rooms, patrol areas/zones, grids). */
import { asc } from 'drizzle-orm';
import type { Database } from '@server/db/database';
import { grids, patrolAreas, patrolZones, policeRooms, stations } from '@server/db/schema/index';

export interface OrgTree {
  stations: Array<{ id: string; code: string; name: string; nameEn: string }>;
  policeRooms: Array<{ id: string; code: string; name: string; nameEn: string; stationId: string }>;
  patrolAreas: Array<{ id: string; code: string; name: string; nameEn: string }>;
  patrolZones: Array<{ id: string; code: string; name: string; nameEn: string; areaId: string }>;
  grids: Array<{ id: string; code: string; name: string; nameEn: string; stationId: string | null; policeRoomId: string | null }>;
}

export type OrgKind = 'station' | 'policeRoom' | 'patrolZone' | 'grid';

/** id <-> code maps for one org kind (CSV import resolves codes, export writes them). */
export interface OrgIndex {
  idByCode: Record<OrgKind, Map<string, string>>;
  codeById: Record<OrgKind, Map<string, string>>;
}

export class OrgRepository {
  constructor(private readonly database: Database) {}

  async tree(): Promise<OrgTree> {
    const db = this.database.db;
    const [s, r, a, z, g] = await Promise.all([
      db.select({ id: stations.id, code: stations.code, name: stations.name, nameEn: stations.nameEn }).from(stations).orderBy(asc(stations.code)),
      db
        .select({ id: policeRooms.id, code: policeRooms.code, name: policeRooms.name, nameEn: policeRooms.nameEn, stationId: policeRooms.stationId })
        .from(policeRooms)
        .orderBy(asc(policeRooms.code)),
      db.select({ id: patrolAreas.id, code: patrolAreas.code, name: patrolAreas.name, nameEn: patrolAreas.nameEn }).from(patrolAreas).orderBy(asc(patrolAreas.code)),
      db
        .select({ id: patrolZones.id, code: patrolZones.code, name: patrolZones.name, nameEn: patrolZones.nameEn, areaId: patrolZones.areaId })
        .from(patrolZones)
        .orderBy(asc(patrolZones.code)),
      db
        .select({ id: grids.id, code: grids.code, name: grids.name, nameEn: grids.nameEn, stationId: grids.stationId, policeRoomId: grids.policeRoomId })
        .from(grids)
        .orderBy(asc(grids.code)),
    ]);
    return { stations: s, policeRooms: r, patrolAreas: a, patrolZones: z, grids: g };
  }

  async index(): Promise<OrgIndex> {
    const t = await this.tree();
    const pairs: Record<OrgKind, Array<{ id: string; code: string }>> = {
      station: t.stations,
      policeRoom: t.policeRooms,
      patrolZone: t.patrolZones,
      grid: t.grids,
    };
    const idByCode = {} as OrgIndex['idByCode'];
    const codeById = {} as OrgIndex['codeById'];
    for (const k of Object.keys(pairs) as OrgKind[]) {
      idByCode[k] = new Map(pairs[k].map((u) => [u.code, u.id]));
      codeById[k] = new Map(pairs[k].map((u) => [u.id, u.code]));
    }
    return { idByCode, codeById };
  }
}
