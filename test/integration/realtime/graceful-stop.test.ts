/**
 * Stopping one api process gracefully (SIGTERM, a rolling restart) must not cut off the consoles
 * on the others (issue 13): io.disconnectSockets() went through the Redis adapter to every node
 * with 'io server disconnect', which socket.io clients never retry. Two real api processes on
 * one PostgreSQL database and the Redis adapter; one is a child process stopped with SIGTERM.
 * PostgreSQL only (role api needs it); Redis at SKYEYE_TEST_REDIS_URL (default 127.0.0.1:6379).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { TEST_BACKEND } from '@test/helpers/database';
import { TEST_ADMIN_PASSWORD } from '@test/helpers/server';
import { createSite, spawnApiProcess, waitFor, type Running, type Site } from '../ingest/helpers';

const REDIS_URL = process.env.SKYEYE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function openSocket(url: string, token: string) {
  const socket = connect(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnectionDelay: 200, reconnectionDelayMax: 500 });
  const got: Array<{ event: string; payload: any }> = [];
  const disconnects: string[] = [];
  socket.onAny((event: string, payload: unknown) => got.push({ event, payload }));
  socket.on('disconnect', (reason) => disconnects.push(reason));
  return { socket, got, disconnects, connected: new Promise<void>((resolve, reject) => (socket.once('connect', resolve), socket.once('connect_error', reject))) };
}

(TEST_BACKEND === 'postgres' ? describe : describe.skip)('realtime: a graceful stop of one api process leaves the others\' consoles connected (postgres, redis)', function () {
  this.timeout(120_000);
  const prefix = `skyeye-t-${randomBytes(4).toString('hex')}`;
  let site: Site;
  let survivor: Running;
  let child: ChildProcess | undefined;
  let childDir: string | undefined;
  const sockets: Socket[] = [];

  before(async () => {
    site = await createSite();
    survivor = await site.start({ role: 'api', redis: { url: REDIS_URL, prefix } });
  });
  after(async function () {
    this.timeout(30_000);
    for (const s of sockets) s.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await survivor?.stop();
    await site?.drop();
    if (childDir) rmSync(childDir, { recursive: true, force: true });
  });

  it('SIGTERM to api A: a console on api B keeps its socket and its status events; A\'s consoles get a reason they retry', async () => {
    childDir = mkdtempSync(join(tmpdir(), 'skyeye-api-a-'));
    const started = await spawnApiProcess({
      SKYEYE_DATA_DIR: childDir,
      SKYEYE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      SKYEYE_REDIS_URL: REDIS_URL,
      SKYEYE_REDIS_PREFIX: prefix,
      DATABASE_URL: site.scratch.url!,
    });
    child = started.proc;
    const urlA = started.url;
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const onB = openSocket(survivor.url, survivor.token);
    const onA = openSocket(urlA, survivor.token); // one database, one session: the token works on both
    sockets.push(onB.socket, onA.socket);
    await Promise.all([onB.connected, onA.connected]);

    const cam = await survivor.api('POST', '/api/v1/cameras', { name: 'Graceful stop camera', kind: 'road', location: { lat: 34.09, lon: 119.35 }, rtspUrl: 'rtsp://127.0.0.1:8554/g' });
    expect(cam.status).to.equal(201);
    const id = cam.body.id as string;
    // Both consoles hear a status change made on B (A's through the Redis adapter).
    await survivor.services.cameras.updateStatus(id, 'offline', 'before the stop');
    await waitFor(() => onB.got.some((g) => g.event === 'camera:status') && onA.got.some((g) => g.event === 'camera:status'), 10_000, 'the status event on both apis');

    child.kill('SIGTERM');
    expect(await exited, 'api A exits cleanly').to.equal(0);
    await waitFor(() => onA.disconnects.length > 0, 10_000, "A's console to notice");
    expect(onA.disconnects[0], "A's console is told something it retries").to.not.equal('io server disconnect');

    // B's console: same socket, never disconnected, and status events keep coming.
    await new Promise((r) => setTimeout(r, 500));
    expect(onB.disconnects, "B's console was not disconnected").to.deep.equal([]);
    expect(onB.socket.connected).to.equal(true);
    const before = onB.got.filter((g) => g.event === 'camera:status').length;
    await survivor.services.cameras.updateStatus(id, 'unknown', 'after the stop');
    await waitFor(() => onB.got.filter((g) => g.event === 'camera:status').length > before, 10_000, 'a status event after the stop');
    expect(onB.got.at(-1)?.payload).to.include({ cameraId: id, status: 'unknown' });
  });
});
