/**
 * The periodic gap checks over a county of quiet cameras (ingest off, a network down): one pass of
 * the open gaps (server/ledger/open-gaps.ts), cold (every cause worked out, in batches) and warm
 * (causes kept), against the baseline of the same answer worked out one camera at a time (three
 * queries per camera: LedgerService.ledger, what a pass did before). Scratch PostgreSQL database,
 * N cameras created ten minutes ago with no segment, a third with an offline status row; node's
 * CPU (process.cpuUsage) and wall time per pass, ratios against the baseline.
 *
 *   npx tsx bench/gap-checks.ts [cameras=20000] [postgres://server/db-to-create-scratch-from]
 */
import { systemClock } from '@common/clock';
import { LedgerService } from '@server/ledger/service';
import { segmentIndex } from '@server/ledger/segment-index';
import { StatusSource } from '@server/ledger/status-source';
import { withScratchDatabase } from './lib/scratch-db';

const n = Number(process.argv[2] ?? 20_000);
const server = process.argv[3] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
await withScratchDatabase(server, async (database) => {
  await database.query(
    `INSERT INTO cameras (name, kind, lat, lon, status, enrollment_state, created_at)
     SELECT 'cam ' || g, 'road', 34, 119, CASE WHEN g % 3 = 0 THEN 'offline' ELSE 'unknown' END, 'approved', now() - interval '10 minutes' FROM generate_series(1, $1::int) g`,
    [n],
  );
  await database.query(`INSERT INTO camera_status_history (camera_id, status, cause, at) SELECT id, 'offline', 'connection refused', now() - interval '5 minutes' FROM cameras WHERE status = 'offline'`);
  await database.query('ANALYZE');
  const status = new StatusSource(database);
  const ledger = new LedgerService({ index: segmentIndex(database), status, clock: systemClock, segmentMs: 6_000 });
  const threshold = 120_000;

  const timed = async (what: string, fn: () => Promise<number>) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const gaps = await fn();
    const c = process.cpuUsage(c0);
    const row = { what, gaps, cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0 };
    process.stdout.write(`${what}: ${gaps} open gaps, node CPU ${row.cpuMs.toFixed(0)} ms, wall ${row.wallMs.toFixed(0)} ms\n`);
    return row;
  };
  /** The old pass: the quiet cameras, then each one's ledger on its own. */
  const oneByOne = async () => {
    const now = new Date();
    const t = now.getTime();
    const quiet = await status.quietRecordingCameras(new Date(t - threshold), new Date(t - threshold - ledger.openSegmentMs));
    let gaps = 0;
    for (const q of quiet) {
      const camera = { id: q.id, name: '', ownerUserId: q.ownerUserId, createdAt: new Date(q.since), retentionDays: 30, status: '', recording: true };
      const l = await ledger.ledger(camera, new Date(Math.max(q.since, t - 86_400_000)), now);
      if (l.gaps.length) gaps++;
    }
    return gaps;
  };
  const base = await timed('baseline: one camera at a time (3 queries each)', oneByOne);
  const cold = await timed('open gaps, cold (causes in batches of 500)', async () => (await ledger.openGaps(threshold)).length);
  await new Promise((r) => setTimeout(r, 10_000));
  const warm = await timed('open gaps, warm (causes kept)', async () => (await ledger.openGaps(threshold)).length);
  process.stdout.write(
    `${n} quiet cameras: cold ${(cold.cpuMs / base.cpuMs).toFixed(2)}x CPU, ${(cold.wallMs / base.wallMs).toFixed(2)}x wall; warm ${(warm.cpuMs / base.cpuMs).toFixed(2)}x CPU, ${(warm.wallMs / base.wallMs).toFixed(2)}x wall of the baseline\n`,
  );
});
