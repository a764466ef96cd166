/**
 * Reconciles the simulator's demo-town organisation (sim DEMO_ORG: police rooms, patrol zones
 * and grids the demo cameras sit in) with the seeded one (server/org/seed.ts). Both are keyed by
 * code: units the seed already has (stations xinan/qiaoxi, areas area-east/area-west) are kept
 * as seeded; the demo's own rooms, zones and grids are added. Idempotent (ON CONFLICT DO NOTHING).
 */
import type { Database } from '@server/db/database';
import { ensureOrganisation } from '@server/org/seed';
import { DEMO_ORG } from '@sim/demo-town';

export async function ensureDemoOrg(database: Database): Promise<void> {
  await ensureOrganisation(database, DEMO_ORG);
}
