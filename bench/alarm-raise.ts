/**
 * A county-wide outage reaches the alarms: N cameras down at once, their alarms raised and then
 * resolved. Baseline: one transaction per alarm (raise() one by one, what the evaluator did
 * before); against it raiseAll()/resolveAll() (500 a transaction). Webhook on (each alarm's
 * outbox event is written either way). Scratch PostgreSQL database; node CPU (process.cpuUsage),
 * wall time, and the events the bus carried to socket.io.
 *
 *   npx tsx bench/alarm-raise.ts [cameras=10000] [postgres://server/db-to-create-scratch-from]
 */
import { AlarmsRepository, type NewAlarm } from '@server/alarms/repository';
import { AlarmsService } from '@server/alarms/service';
import { EventBus } from '@server/realtime/bus';
import { withScratchDatabase } from './lib/scratch-db';

const n = Number(process.argv[2] ?? 10_000);
const server = process.argv[3] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
await withScratchDatabase(server, async (database) => {
  await database.query(
    `INSERT INTO cameras (name, kind, lat, lon, status, enrollment_state, created_at)
     SELECT 'cam ' || g, 'road', 34, 119, 'offline', 'approved', now() - interval '1 hour' FROM generate_series(1, $1::int) g`,
    [n],
  );
  const ids = (await database.query<{ id: string }>('SELECT id FROM cameras')).map((r) => r.id);
  const bus = new EventBus();
  let events = 0;
  for (const name of ['alarm:raised', 'alarm:updated', 'alarms:changed'] as const) bus.subscribe(name, () => events++);
  const repo = new AlarmsRepository(database.db);
  const svc = new AlarmsService({ database, repo, bus, webhook: true });
  const outage = (minutesAgo: number) =>
    ids.map((cameraId): NewAlarm => ({ cameraId, family: 'status', kind: 'offline', since: new Date(Date.now() - minutesAgo * 60_000), raisedAt: new Date(), cause: 'no route to host' }));

  const timed = async (what: string, fn: () => Promise<number>) => {
    events = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const changed = await fn();
    const c = process.cpuUsage(c0);
    const row = { cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0 };
    process.stdout.write(`${what}: ${changed} alarms, node CPU ${row.cpuMs.toFixed(0)} ms, wall ${row.wallMs.toFixed(0)} ms, ${events} bus events\n`);
    return row;
  };
  const open = async () => (await repo.unresolved('status')).map((a) => a.id);
  const baseRaise = await timed('baseline: raise one at a time', async () => {
    let k = 0;
    for (const a of outage(30)) if (await svc.raise(a)) k++;
    return k;
  });
  const baseResolve = await timed('baseline: resolve one at a time', async () => {
    let k = 0;
    for (const id of await open()) if (await svc.resolve(id)) k++;
    return k;
  });
  const raise = await timed('raiseAll (500 a transaction)', async () => (await svc.raiseAll(outage(20))).length);
  const resolve = await timed('resolveAll (500 a transaction)', async () => (await svc.resolveAll(await open())).length);
  process.stdout.write(
    `${n} cameras: raise ${(raise.wallMs / baseRaise.wallMs).toFixed(3)}x wall, ${(raise.cpuMs / baseRaise.cpuMs).toFixed(3)}x CPU; ` +
      `resolve ${(resolve.wallMs / baseResolve.wallMs).toFixed(3)}x wall, ${(resolve.cpuMs / baseResolve.cpuMs).toFixed(3)}x CPU of the baseline\n`,
  );
});
