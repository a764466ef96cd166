/**
 * Reconciles the simulator's demo-town organisation (sim DEMO_ORG: police rooms, patrol zones
 * and grids the demo cameras sit in) with the seeded one (server/org/seed.ts). Both are keyed by
 * code: units the seed already has (stations xinan/qiaoxi, areas area-east/area-west) are kept
 * as seeded; the demo's own rooms, zones and grids are added. Idempotent (ON CONFLICT DO NOTHING).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '@server/db/database';
import { DEMO_ORG } from '@sim/demo-town';

export async function ensureDemoOrg(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    for (const s of DEMO_ORG.stations) {
      await tx.execute(sql`INSERT INTO stations (code, name, name_en) VALUES (${s.code}, ${s.name}, ${s.nameEn}) ON CONFLICT (code) DO NOTHING`);
    }
    for (const r of DEMO_ORG.policeRooms) {
      await tx.execute(sql`INSERT INTO police_rooms (station_id, code, name, name_en)
        SELECT id, ${r.code}, ${r.name}, ${r.nameEn} FROM stations WHERE code = ${r.stationCode} ON CONFLICT (code) DO NOTHING`);
    }
    for (const a of DEMO_ORG.patrolAreas) {
      await tx.execute(sql`INSERT INTO patrol_areas (code, name, name_en) VALUES (${a.code}, ${a.name}, ${a.nameEn}) ON CONFLICT (code) DO NOTHING`);
    }
    for (const z of DEMO_ORG.patrolZones) {
      await tx.execute(sql`INSERT INTO patrol_zones (area_id, code, name, name_en)
        SELECT id, ${z.code}, ${z.name}, ${z.nameEn} FROM patrol_areas WHERE code = ${z.areaCode} ON CONFLICT (code) DO NOTHING`);
    }
    for (const g of DEMO_ORG.grids) {
      await tx.execute(sql`INSERT INTO grids (station_id, police_room_id, code, name, name_en)
        SELECT s.id, r.id, ${g.code}, ${g.name}, ${g.nameEn} FROM stations s, police_rooms r
         WHERE s.code = ${g.stationCode} AND r.code = ${g.policeRoomCode} ON CONFLICT (code) DO NOTHING`);
    }
  });
}
