/**
 * socket.io fan-out of the control-plane bench (issue 13): N consoles (socket.io-client, WebSocket
 * transport, one staff session) connected to the api process; the bench renames one camera
 * `updates` times and times, for every console, the renaming PATCH's start → that console's
 * `camera:updated` carrying the new name. Run twice: on a quiet server, and while 10k-camera CSV
 * imports keep it busy. Every delivery is recorded (none sampled); a missing one counts as lost.
 */
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

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function connectAll(base: string, token: string, n: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, () => connect(base, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true }));
    sockets.push(...batch);
    await Promise.all(batch.map((s) => new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)))));
  }
  return sockets;
}

async function rename(c: Ctx, sockets: Socket[], updates: number): Promise<FanoutStats> {
  const times: number[] = [];
  const patches: number[] = [];
  let version = ((await (await fetch(`${c.base}/api/v1/cameras/${c.cameraId}`, { headers: { authorization: `Bearer ${c.token}` } })).json()) as { version: number }).version;
  for (let u = 0; u < updates; u++) {
    const name = `fan-out ${Date.now()}-${u}`;
    const got = sockets.map(
      (s) =>
        new Promise<number>((resolve) => {
          const on = (cam: { id: string; name: string }) => {
            if (cam.id !== c.cameraId || cam.name !== name) return;
            s.off('camera:updated', on);
            resolve(performance.now());
          };
          s.on('camera:updated', on);
          setTimeout(() => (s.off('camera:updated', on), resolve(-1)), 10_000);
        }),
    );
    const t0 = performance.now();
    const res = await fetch(`${c.base}/api/v1/cameras/${c.cameraId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, version }),
    });
    if (!res.ok) throw new Error(`PATCH camera: ${res.status} ${(await res.text()).slice(0, 200)}`);
    version = ((await res.json()) as { version: number }).version;
    patches.push(performance.now() - t0);
    for (const t of await Promise.all(got)) if (t >= 0) times.push(t - t0);
    await new Promise((r) => setTimeout(r, 100));
  }
  times.sort((a, b) => a - b);
  patches.sort((a, b) => a - b);
  return { p50Ms: pct(times, 0.5), p95Ms: pct(times, 0.95), p99Ms: pct(times, 0.99), patchP50Ms: pct(patches, 0.5), patchMaxMs: patches[patches.length - 1] ?? 0, expected: sockets.length * updates, received: times.length };
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
    for (const s of sockets) s.disconnect();
  }
}
