/**
 * The demo organisation of the county seat (see shared DOMAIN.md): two urban police stations,
 * two police rooms each, 4 patrol areas split into 16 patrol zones, and grids per police room.
 * Idempotent: rows are keyed by code and inserted with ON CONFLICT DO NOTHING, so every start
 * (and several processes starting at once) may run it. Codes are what CSV imports refer to.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '@server/db/database';

interface Unit {
  code: string;
  name: string;
  nameEn: string;
}

export const SEED_STATIONS: Unit[] = [
  { code: 'xinan', name: '新安派出所', nameEn: 'Xin’an Police Station' },
  { code: 'qiaoxi', name: '桥西派出所', nameEn: 'Qiaoxi Police Station' },
];

export const SEED_POLICE_ROOMS: Array<Unit & { station: string }> = [
  { code: 'xinan-square', name: '新安广场警务室', nameEn: 'Xin’an Square Police Room', station: 'xinan' },
  { code: 'xinan-market', name: '新安商业街警务室', nameEn: 'Xin’an Shopping Street Police Room', station: 'xinan' },
  { code: 'qiaoxi-village', name: '桥西村警务室', nameEn: 'Qiaoxi Village Police Room', station: 'qiaoxi' },
  { code: 'qiaoxi-riverside', name: '桥西滨河警务室', nameEn: 'Qiaoxi Riverside Police Room', station: 'qiaoxi' },
];

export const SEED_PATROL_AREAS: Unit[] = [
  { code: 'area-east', name: '东片', nameEn: 'East area' },
  { code: 'area-west', name: '西片', nameEn: 'West area' },
  { code: 'area-south', name: '南片', nameEn: 'South area' },
  { code: 'area-north', name: '北片', nameEn: 'North area' },
];

const ZH_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六'];

export const SEED_PATROL_ZONES: Array<Unit & { area: string }> = Array.from({ length: 16 }, (_, i) => {
  const area = SEED_PATROL_AREAS[Math.floor(i / 4)]!;
  const n = i + 1;
  return { code: `zone-${String(n).padStart(2, '0')}`, name: `第${ZH_NUM[i]}巡区`, nameEn: `Patrol zone ${n}`, area: area.code };
});

export const SEED_GRIDS: Array<Unit & { station: string; room: string }> = SEED_POLICE_ROOMS.flatMap((room) =>
  [1, 2].map((n) => ({
    code: `${room.code}-g${n}`,
    name: `${room.name.replace('警务室', '')}第${ZH_NUM[n - 1]}网格`,
    nameEn: `${room.nameEn.replace(' Police Room', '')} grid ${n}`,
    station: room.station,
    room: room.code,
  })),
);

/** An organisation to make sure of, keyed by code (parents referred to by their codes). */
export interface OrgPlan {
  stations: readonly Unit[];
  policeRooms: ReadonlyArray<Unit & { stationCode: string }>;
  patrolAreas: readonly Unit[];
  patrolZones: ReadonlyArray<Unit & { areaCode: string }>;
  grids: ReadonlyArray<Unit & { stationCode: string; policeRoomCode: string }>;
}

/** Adds the plan's units that are missing (by code), in one transaction; existing ones are kept as they are. */
export async function ensureOrganisation(database: Database, plan: OrgPlan): Promise<void> {
  await database.db.transaction(async (tx) => {
    for (const s of plan.stations) {
      await tx.execute(sql`INSERT INTO stations (code, name, name_en) VALUES (${s.code}, ${s.name}, ${s.nameEn}) ON CONFLICT (code) DO NOTHING`);
    }
    for (const r of plan.policeRooms) {
      await tx.execute(sql`INSERT INTO police_rooms (station_id, code, name, name_en)
        SELECT id, ${r.code}, ${r.name}, ${r.nameEn} FROM stations WHERE code = ${r.stationCode} ON CONFLICT (code) DO NOTHING`);
    }
    for (const a of plan.patrolAreas) {
      await tx.execute(sql`INSERT INTO patrol_areas (code, name, name_en) VALUES (${a.code}, ${a.name}, ${a.nameEn}) ON CONFLICT (code) DO NOTHING`);
    }
    for (const z of plan.patrolZones) {
      await tx.execute(sql`INSERT INTO patrol_zones (area_id, code, name, name_en)
        SELECT id, ${z.code}, ${z.name}, ${z.nameEn} FROM patrol_areas WHERE code = ${z.areaCode} ON CONFLICT (code) DO NOTHING`);
    }
    for (const g of plan.grids) {
      await tx.execute(sql`INSERT INTO grids (station_id, police_room_id, code, name, name_en)
        SELECT s.id, r.id, ${g.code}, ${g.name}, ${g.nameEn} FROM stations s, police_rooms r
         WHERE s.code = ${g.stationCode} AND r.code = ${g.policeRoomCode} ON CONFLICT (code) DO NOTHING`);
    }
  });
}

export async function seedOrganisation(database: Database): Promise<void> {
  await ensureOrganisation(database, {
    stations: SEED_STATIONS,
    policeRooms: SEED_POLICE_ROOMS.map((r) => ({ ...r, stationCode: r.station })),
    patrolAreas: SEED_PATROL_AREAS,
    patrolZones: SEED_PATROL_ZONES.map((z) => ({ ...z, areaCode: z.area })),
    grids: SEED_GRIDS.map((g) => ({ ...g, stationCode: g.station, policeRoomCode: g.room })),
  });
}
