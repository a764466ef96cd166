/**
 * socket.io fan-out of the control-plane bench (issue 13): N consoles connected to the api process
 * (WebSocket transport, one staff session); the bench renames one camera `updates` times and times,
 * for every console, the renaming PATCH's start → that console's `camera:updated` carrying the new
 * name. Run twice: on a quiet server, and while 10k-camera CSV imports keep it busy. Every delivery
 * is recorded (none sampled); a missing one counts as lost.
 *
 * The consoles share this process and the server's 2 cores, while real ones each decode on a
 * machine of their own: so all but one are wire consoles (engine.io v4 over `ws`: the socket.io
 * CONNECT with the token, pong on ping, an event recognised by its prefix and the new name, never
 * JSON-decoded), and one is a real socket.io-client that must receive every event too. With 1,000
 * socket.io-clients the load generator's own decoding (~50 µs an event, one after another) was
 * half of every p95.
 */
import WebSocket from 'ws';
import { io as connect, type Socket } from 'socket.io-client';

export interface FanoutStats {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** The renaming PATCH's own answer time, median and max (part of every delivery's time). */
  patchP50Ms: number;
  patchMaxMs: number;
  /** Deliveries expected (clients × updates) and received. */
  expected: number;
  received: number;
  /** Of those, by the socket.io-client console (expected: updates). */
  receivedByClient: number;
}

export interface FanoutResult {
  clients: number;
  quiet: FanoutStats;
  importing: FanoutStats;
}

interface Ctx {
  base: string;
  token: string;
  cameraId: string;
  /** One CSV body of 10k cameras, for the busy run. */
  importBody: () => string;
  progress(msg: string): void;
}

/** A console as the bench sees it: resolves the time its `camera:updated` with `name` arrived, or -1 after 10 s. */
interface Console {
  readonly real: boolean;
  waitFor(cameraId: string, name: string): Promise<number>;
  close(): void;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** socket.io protocol 5 over engine.io 4, WebSocket only: just enough of it to be a console. */
function wireConsole(base: string, token: string): Promise<Console> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  let waiting: { needles: string[]; resolve(t: number): void } | null = null;
  return new Promise((resolve, reject) => {
    const me: Console = {
      real: false,
      waitFor(cameraId, name) {
        return new Promise<number>((res) => {
          const timer = setTimeout(() => ((waiting = null), res(-1)), 10_000);
          // The camera's JSON as the server wrote it: "id":"<id>" and the new name, unique per rename.
          const needles = [`"id":${JSON.stringify(cameraId)}`, `"name":${JSON.stringify(name)}`];
          waiting = { needles, resolve: (at) => (clearTimeout(timer), res(at)) };
        });
      },
      close: () => ws.close(),
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const m = data.toString();
      if (m === '2') return ws.send('3'); // engine.io ping → pong
      if (m.startsWith('0{')) return ws.send(`40${JSON.stringify({ token })}`); // open → socket.io CONNECT
      if (m.startsWith('40')) return resolve(me);
      if (m.startsWith('44')) return reject(new Error(`socket.io refused the console: ${m.slice(2, 200)}`));
      if (waiting && m.startsWith('42["camera:updated"') && waiting.needles.every((n) => m.includes(n))) {
        const w = waiting;
        waiting = null;
        w.resolve(performance.now());
      }
    });
    ws.once('error', reject);
  });
}

function clientConsole(base: string, token: string): Promise<Console> {
  const s: Socket = connect(base, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect_error', reject);
    s.once('connect', () =>
      resolve({
        real: true,
        waitFor(cameraId, name) {
          return new Promise<number>((res) => {
            const on = (cam: { id: string; name: string }) => {
              if (cam.id !== cameraId || cam.name !== name) return;
              s.off('camera:updated', on);
              clearTimeout(timer);
              res(performance.now());
            };
            const timer = setTimeout(() => (s.off('camera:updated', on), res(-1)), 10_000);
            s.on('camera:updated', on);
          });
        },
        close: () => void s.disconnect(),
      }),
    );
  });
}

async function connectAll(base: string, token: string, n: number): Promise<Console[]> {
  const consoles: Console[] = [await clientConsole(base, token)];
  for (let i = 1; i < n; i += 50) consoles.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => wireConsole(base, token)))));
  return consoles;
}

async function rename(c: Ctx, consoles: Console[], updates: number): Promise<FanoutStats> {
  const times: number[] = [];
  const patches: number[] = [];
  let receivedByClient = 0;
  let version = ((await (await fetch(`${c.base}/api/v1/cameras/${c.cameraId}`, { headers: { authorization: `Bearer ${c.token}` } })).json()) as { version: number }).version;
  for (let u = 0; u < updates; u++) {
    const name = `fan-out ${Date.now()}-${u}`;
    const got = consoles.map((s) => s.waitFor(c.cameraId, name).then((t) => ({ t, real: s.real })));
    const t0 = performance.now();
    const res = await fetch(`${c.base}/api/v1/cameras/${c.cameraId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, version }),
    });
    if (!res.ok) throw new Error(`PATCH camera: ${res.status} ${(await res.text()).slice(0, 200)}`);
    version = ((await res.json()) as { version: number }).version;
    patches.push(performance.now() - t0);
    for (const { t, real } of await Promise.all(got)) {
      if (t < 0) continue;
      times.push(t - t0);
      if (real) receivedByClient++;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  times.sort((a, b) => a - b);
  patches.sort((a, b) => a - b);
  return { p50Ms: pct(times, 0.5), p95Ms: pct(times, 0.95), p99Ms: pct(times, 0.99), patchP50Ms: pct(patches, 0.5), patchMaxMs: patches[patches.length - 1] ?? 0, expected: consoles.length * updates, received: times.length, receivedByClient };
}

/** Connects `clients` consoles, measures quiet and during imports, disconnects them all. */
export async function socketFanout(c: Ctx, clients: number, updates = 20): Promise<FanoutResult> {
  c.progress(`socket.io: connecting ${clients} consoles`);
  const sockets = await connectAll(c.base, c.token, clients);
  try {
    c.progress(`socket.io: ${updates} renames to ${clients} consoles, quiet`);
    const quiet = await rename(c, sockets, updates);
    c.progress(`socket.io: ${updates} renames to ${clients} consoles during 10k imports`);
    let importing = true;
    const imports = (async () => {
      while (importing) {
        const r = await fetch(`${c.base}/api/v1/cameras/import`, { method: 'POST', headers: { authorization: `Bearer ${c.token}`, 'content-type': 'text/csv' }, body: c.importBody() });
        if (!r.ok) throw new Error(`import during the fan-out: ${r.status}`);
      }
    })();
    await new Promise((r) => setTimeout(r, 300)); // the first import is under way
    const busy = await rename(c, sockets, updates).finally(() => (importing = false));
    await imports;
    return { clients, quiet, importing: busy };
  } finally {
    for (const s of sockets) s.close();
  }
}
