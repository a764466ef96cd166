/**
 * A bulk import is one realtime event (`cameras:imported`), not one `camera:created` per row to
 * every staff socket (issue 13), and the list shows the imported cameras in the file's order
 * (rows of one import share a transaction's now(); their order used to be by random UUID).
 */
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from './helpers';

const HEADER = 'name,kind,lat,lon,address,coordSystem,rtspUrl,rtspSubUrl,onvifUrl,username,password,tags,stationCode,policeRoomCode,patrolZoneCode,gridCode,ownerName,ownerPhone';
const ROWS = 240;

function openSocket(url: string, token: string): Promise<{ socket: Socket; got: Array<{ event: string; payload: any }> }> {
  const socket = connect(url, { path: '/socket.io', transports: ['websocket'], reconnection: false, auth: { token } });
  const got: Array<{ event: string; payload: any }> = [];
  socket.onAny((event: string, payload: unknown) => got.push({ event, payload }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, got }));
    socket.once('connect_error', reject);
  });
}

describe(`camera import: one event per import, list in file order (${TEST_BACKEND})`, function () {
  this.timeout(120_000);
  let w: World;
  const sockets: Socket[] = [];
  before(async () => {
    w = await startWorld();
  });
  after(async () => {
    for (const s of sockets) s.close();
    await w?.srv.close();
  });

  it('staff sockets get one cameras:imported (count, ids of a small import), merchants none; the list follows the CSV order', async () => {
    const staff = await openSocket(w.srv.url, w.as.operator.token);
    const merchant = await openSocket(w.srv.url, w.as.merchant.token);
    sockets.push(staff.socket, merchant.socket);
    // Names that sort neither alphabetically nor like their UUIDs: the file's order is the only order.
    const names = Array.from({ length: ROWS }, (_, i) => `Imp ${String((i * 7919) % 1000).padStart(3, '0')}-${i}`);
    const csv = [HEADER, ...names.map((n, i) => `${n},road,34.0${i % 9},119.3${i % 7},,,rtsp://127.0.0.1:8554/imp${i},,,,,,,,,,,`)].join('\n');
    const r = await w.as.operator.json('POST', '/api/v1/cameras/import', csv, { 'Content-Type': 'text/csv' });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).to.equal(200);
    expect(r.body.created).to.equal(ROWS);

    const end = Date.now() + 10_000;
    while (!staff.got.some((g) => g.event === 'cameras:imported') && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    await new Promise((res) => setTimeout(res, 300)); // anything else the import might send
    const imported = staff.got.filter((g) => g.event === 'cameras:imported');
    expect(imported, 'one summary event').to.have.length(1);
    expect(imported[0]!.payload.count).to.equal(ROWS);
    expect(imported[0]!.payload.ids ?? [], 'big imports name no ids').to.have.length(0);
    expect(staff.got.filter((g) => g.event === 'camera:created'), 'no per-row events').to.have.length(0);
    expect(merchant.got, 'imports are staff business').to.have.length(0);

    // Page through the list (limit 50, cursors): exactly the file's order.
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await w.as.operator.json('GET', `/api/v1/cameras?q=Imp&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).to.equal(200);
      listed.push(...(page.body.items as Array<{ name: string }>).map((c) => c.name));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(listed).to.deep.equal(names);

    // The import refreshed the planner's statistics soon after (PGlite has no autovacuum): the
    // loop cameras.statistics, which runs only when an import kicks it, ran and ANALYZEd cameras.
    const analyzedBy = Date.now() + 10_000;
    let runs = 0;
    while (!runs && Date.now() < analyzedBy) {
      runs = (await w.srv.ctx.metrics.loopRuns.get()).values.find((v) => v.labels.loop === 'cameras.statistics')?.value ?? 0;
      if (!runs) await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs, 'cameras.statistics passes after the import').to.be.at.least(1);
    const [stats] = await w.srv.ctx.database.query<{ last_analyze: Date | null }>(`SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'cameras'`);
    expect(stats?.last_analyze, 'ANALYZE after the import').to.not.equal(null);

    // A small import names its cameras.
    const small = await w.as.operator.json('POST', '/api/v1/cameras/import', [HEADER, `Small one,road,34.01,119.31,,,rtsp://127.0.0.1:8554/small,,,,,,,,,,,`].join('\n'), { 'Content-Type': 'text/csv' });
    expect(small.status).to.equal(200);
    const end2 = Date.now() + 10_000;
    while (staff.got.filter((g) => g.event === 'cameras:imported').length < 2 && Date.now() < end2) await new Promise((res) => setTimeout(res, 20));
    const second = staff.got.filter((g) => g.event === 'cameras:imported')[1];
    expect(second?.payload).to.have.property('count', 1);
    expect(second?.payload.ids).to.have.length(1);
  });
});
