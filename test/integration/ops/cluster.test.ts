/**
 * The api cluster (http.processes = 2, issue 13): one port served by two real api processes forked
 * by node:cluster, on one PostgreSQL database and Redis. Which process holds a connection is read
 * from the kernel (/proc/net/tcp and each process's open sockets), not inferred from timing.
 * PostgreSQL only (the cluster needs it); Redis at SKYEYE_TEST_REDIS_URL (default 127.0.0.1:6379).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket as TcpSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { TEST_BACKEND, scratchDatabase, type ScratchDatabase } from '@test/helpers/database';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { processAlive } from '@test/helpers/process';
import { spawnApiProcess, waitFor } from '../ingest/helpers';
import { childrenOf } from '../../../bench/lib/proc';

const REDIS_URL = process.env.SKYEYE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The process among `pids` holding the server side of the loopback connection from `clientPort` to `serverPort`. */
function ownerOf(clientPort: number, serverPort: number, pids: number[]): number | null {
  const hex = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  const row = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hex(serverPort)}`) && f[2]?.endsWith(`:${hex(clientPort)}`));
  if (!row) return null;
  const link = `socket:[${row[9]}]`;
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/** A loopback port P with P + 1 free as well (the two processes' ops listeners). */
async function twoFreePorts(): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<Server | null>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => resolve(srv));
    });
  for (;;) {
    const a = (await tryListen(0))!;
    const p = (a.address() as AddressInfo).port;
    const b = p < 65535 ? await tryListen(p + 1) : null;
    await new Promise((r) => a.close(r));
    if (b) {
      await new Promise((r) => b.close(r));
      return p;
    }
  }
}

/** Opens `n` keep-alive connections one after the other, each answered once (GET /healthz); the caller ends them. */
async function openConnections(port: number, n: number): Promise<TcpSocket[]> {
  const out: TcpSocket[] = [];
  for (let i = 0; i < n; i++) {
    const s = tcpConnect(port, '127.0.0.1');
    out.push(s);
    await new Promise<void>((resolve, reject) => {
      s.setTimeout(5_000, () => reject(new Error(`connection ${i} got no answer in 5 s`)));
      s.once('error', reject);
      s.once('data', (d: Buffer) => (d.toString().startsWith('HTTP/1.1 200') ? resolve() : reject(new Error(d.toString().slice(0, 200)))));
      s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    });
  }
  return out;
}

(TEST_BACKEND === 'postgres' ? describe : describe.skip)('ops: the api cluster, two processes on one port (postgres, redis)', function () {
  this.timeout(120_000);
  let scratch: ScratchDatabase;
  let dataDir: string;
  let primary: ChildProcess;
  let url: string;
  let port: number;
  let token: string;
  let opsPort: number;
  const consoles: Socket[] = [];
  const tcp: TcpSocket[] = [];

  before(async () => {
    scratch = await scratchDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'skyeye-cluster-'));
    opsPort = await twoFreePorts();
    const started = await spawnApiProcess({
      SKYEYE_OPS_PORT: String(opsPort),
      SKYEYE_HTTP_PROCESSES: '2',
      SKYEYE_DATA_DIR: dataDir,
      SKYEYE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      SKYEYE_REDIS_URL: REDIS_URL,
      SKYEYE_REDIS_PREFIX: `skyeye-t-${randomBytes(4).toString('hex')}`,
      DATABASE_URL: scratch.url!,
    });
    primary = started.proc;
    url = started.url;
    port = Number(new URL(url).port);
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    expect(login.status).to.equal(200);
    token = ((await login.json()) as { token: string }).token;
  });
  after(async function () {
    this.timeout(40_000);
    for (const c of consoles) c.close();
    for (const s of tcp) s.destroy();
    if (primary && primary.exitCode === null) {
      const exited = new Promise((r) => primary.once('exit', r));
      primary.kill('SIGKILL'); // its children end with it (their IPC channel closes)
      await exited;
    }
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  /** A GET on a connection of its own (fetch would reuse a pooled one, perhaps to the killed process). */
  const freshGet = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpGet(`${url}${path}`, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode!));
      });
      req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path}: no answer in 10 s`)));
      req.once('error', reject);
    });

  it('starts two processes, and new connections are spread over both', async () => {
    const kids = childrenOf(primary.pid!);
    expect(kids, 'children of the primary').to.have.length(2);
    const conns = await openConnections(port, 6);
    tcp.push(...conns);
    const owners = conns.map((s) => ownerOf(s.localPort!, port, kids));
    expect(owners, 'every connection is held by one of the two').to.not.include(null);
    expect(new Set(owners).size, `owners ${owners.join(', ')}`).to.equal(2);
    for (const s of conns) s.destroy();
    // Each process's own /metrics: ops listener i on opsPort + i.
    for (const p of [opsPort, opsPort + 1]) expect((await fetch(`http://127.0.0.1:${p}/metrics`)).status, `ops port ${p}`).to.equal(200);
  });

  it('a console on either process hears a change made through the other (Redis), and every process serves the API', async () => {
    const kids = childrenOf(primary.pid!);
    const got: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const c = connect(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnectionDelay: 200, reconnectionDelayMax: 500 });
      consoles.push(c);
      const seen: string[] = [];
      got.push(seen);
      c.on('camera:updated', (p: { name?: string }) => seen.push(p.name ?? ''));
      await new Promise<void>((resolve, reject) => (c.once('connect', resolve), c.once('connect_error', reject)));
    }
    // The kernel says where each console's WebSocket landed.
    const wsPort = (c: Socket) => (c.io.engine.transport as unknown as { ws: { _socket: TcpSocket } }).ws._socket.localPort!;
    const owners = consoles.map((c) => ownerOf(wsPort(c), port, kids));
    expect(new Set(owners).size, `console owners ${owners.join(', ')}`).to.equal(2);

    const created = await api('POST', '/api/v1/cameras', { name: 'Cluster camera', kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:8554/c' });
    expect(created.status, await created.clone().text()).to.equal(201);
    const id = ((await created.clone().json()) as { id: string }).id;
    let version = ((await created.json()) as { version: number }).version;
    for (let i = 0; i < 4; i++) {
      const r = await api('PATCH', `/api/v1/cameras/${id}`, { name: `Cluster camera ${i}`, version });
      expect(r.status, await r.clone().text()).to.equal(200);
      version = ((await r.json()) as { version: number }).version;
    }
    await waitFor(() => got.every((g) => g.includes('Cluster camera 3')), 10_000, () => `every console to hear the renames: ${JSON.stringify(got)}`);
    for (const g of got) expect(g.filter((n) => n.startsWith('Cluster camera ')), 'each rename heard once').to.deep.equal(['Cluster camera 0', 'Cluster camera 1', 'Cluster camera 2', 'Cluster camera 3']);
  });

  it('SIGKILL of one process: the other keeps serving at once, a new one takes its place, its consoles come back', async () => {
    const [victim, survivor] = childrenOf(primary.pid!);
    process.kill(victim!, 'SIGKILL');
    // The primary notices the exit and forks a replacement; from then on the dead process gets no
    // new connection (node:cluster hands them only to processes that listen). A connection handed
    // over in the moment between the death and the primary noticing it is lost with the process.
    const replacement = await waitFor(() => childrenOf(primary.pid!).find((p) => p !== survivor && p !== victim), 15_000, 'a replacement process');
    expect(processAlive(victim!), 'the killed process is gone').to.equal(false);
    for (let i = 0; i < 10; i++) expect(await freshGet('/api/v1/cameras?limit=1'), `request ${i} after the kill`).to.equal(200);
    // The replacement serves: among new connections some land on it.
    await waitFor(
      async () => {
        const conns = await openConnections(port, 4);
        const owners = conns.map((s) => ownerOf(s.localPort!, port, [survivor!, replacement]));
        for (const s of conns) s.destroy();
        return owners.includes(replacement);
      },
      20_000,
      'the replacement to take connections',
    );
    // Consoles that were on the killed process reconnect (to either) and hear the next change.
    await waitFor(() => consoles.every((c) => c.connected), 15_000, 'every console to be connected again');
    const list = (await (await api('GET', '/api/v1/cameras?limit=1')).json()) as { items: Array<{ id: string; version: number }> };
    const heard = consoles.map(() => false);
    consoles.forEach((c, i) => c.on('camera:updated', (p: { name?: string }) => p.name === 'After the kill' && (heard[i] = true)));
    expect((await api('PATCH', `/api/v1/cameras/${list.items[0]!.id}`, { name: 'After the kill', version: list.items[0]!.version })).status).to.equal(200);
    await waitFor(() => heard.every(Boolean), 10_000, () => `every console to hear the rename after the kill: ${heard.join(', ')}`);
  });

  it('SIGTERM to the primary stops every process gracefully, exit 0', async () => {
    const kids = childrenOf(primary.pid!);
    expect(kids).to.have.length(2);
    const exited = new Promise<number | null>((r) => primary.once('exit', (code) => r(code)));
    primary.kill('SIGTERM');
    expect(await exited, 'primary exit code').to.equal(0);
    for (const k of kids) expect(processAlive(k), `child ${k} after the stop`).to.equal(false);
  });
});
