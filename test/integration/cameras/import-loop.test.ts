/**
 * A 10,000-row import must not starve the event loop (issue 9 item 14): the server runs in this
 * process, so a setImmediate counter here turns only when the server's event loop does. Counted,
 * not timed: with the import yielding between batches the loop turns many times while it runs
 * (and /healthz answers meanwhile); a blocking import lets it turn only a handful of times.
 */
import { expect } from 'chai';
import { TEST_BACKEND } from '@test/helpers/database';
import { startWorld, type World } from './helpers';

const HEADER = 'name,kind,lat,lon,address,coordSystem,rtspUrl,rtspSubUrl,onvifUrl,username,password,tags,stationCode,policeRoomCode,patrolZoneCode,gridCode,ownerName,ownerPhone';
const ROWS = 10_000;
/** Loop turns required while the import runs: one per 100 rows. */
const MIN_TURNS = ROWS / 100;

function bigCsv(): string {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    const creds = i % 10 === 0 ? `admin,pw${i}` : ',';
    lines.push(`Loop ${i},road,${(34.05 + (i % 100) * 0.001).toFixed(6)},${(119.3 + Math.floor(i / 100) * 0.001).toFixed(6)},,,rtsp://127.0.0.1:8554/loop${i},,,${creds},loop,,,,,,`);
  }
  return lines.join('\n');
}

describe(`camera import keeps the event loop turning (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  before(async () => {
    w = await startWorld();
  });
  after(async () => {
    await w?.srv.close();
  });

  it('a 10,000-row CSV import lets the loop turn many times and /healthz answer meanwhile; lag is in /metrics', async () => {
    const csv = bigCsv();
    let turns = 0;
    let importing = true;
    const spin = () => {
      turns++;
      if (importing) setImmediate(spin);
    };
    let healthAnswers = 0;
    // The import is announced once (cameras:imported), not 10,000 times.
    const announced: number[] = [];
    const off = w.srv.ctx.bus.subscribe('cameras:imported', ({ ids }) => announced.push(ids.length));
    const done = w.as.admin.json('POST', '/api/v1/cameras/import', csv, { 'Content-Type': 'text/csv' }).finally(() => (importing = false));
    setImmediate(spin);
    const health = (async () => {
      // Bounded: at most one request at a time, until the import answers.
      while (importing) {
        // A fresh connection each time: a reused keep-alive socket may be reset under load, which says nothing here.
        const r = await fetch(`${w.srv.url}/healthz`, { headers: { connection: 'close' } }).catch(() => null);
        await r?.arrayBuffer();
        if (importing && r?.status === 200) healthAnswers++;
      }
    })();
    const r = await done;
    await health;
    off();
    console.log(`      ${ROWS}-row import on ${TEST_BACKEND}: ${turns} loop turns, ${healthAnswers} /healthz answers while it ran`);
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).to.equal(200);
    expect(r.body.created).to.equal(ROWS);
    expect(turns, 'event-loop turns during the import').to.be.at.least(MIN_TURNS);
    expect(announced).to.deep.equal([ROWS]);
    expect(healthAnswers, '/healthz answers during the import').to.be.at.least(1);

    const metrics = await (await fetch(`${w.srv.opsUrl}/metrics`)).text();
    expect(metrics).to.match(/^skyeye_nodejs_eventloop_lag_p99_seconds \d/m);
    expect(metrics).to.match(/^skyeye_nodejs_eventloop_lag_max_seconds \d/m);
  });
});
