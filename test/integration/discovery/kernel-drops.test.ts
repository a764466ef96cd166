/**
 * The kernel's UDP drop counter that discovery reports (Linux /proc/net/udp) against a real socket
 * whose receive buffer overflows: a child process floods it while this process does not read.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { kernelDrops } from '@server/discovery/ws-discovery-client';

const FLOOD = `
const s = require('node:dgram').createSocket('udp4');
const [port, n] = process.argv.slice(1, 3).map(Number);
const buf = Buffer.alloc(1200, 0x41);
let sent = 0;
const next = () => { if (sent++ >= n) { require('node:fs').writeFileSync(process.argv[3], 'done'); return s.close(); } s.send(buf, port, '127.0.0.1', next); };
next();
`;

describe('integration/discovery: kernel drops of a flooded discovery socket', function () {
  this.timeout(30_000);
  let socket: Socket | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'skyeye-flood-'));
  after(() => {
    socket?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the real drop counter of the socket, and zero before the flood', async function () {
    if (process.platform !== 'linux') this.skip();
    socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket!.bind(0, '127.0.0.1', resolve));
    socket.setRecvBufferSize(4096);
    const { address, port } = socket.address();
    expect(kernelDrops(address, port)).to.equal(0);
    const marker = join(dir, 'done');
    const child = spawn(process.execPath, ['-e', FLOOD, String(port), '500', marker], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Do not read while the child floods: block this thread until it says it is done.
    const until = Date.now() + 10_000;
    while (!existsSync(marker) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    await exited;
    const drops = kernelDrops(address, port);
    expect(drops, 'kernel drops').to.be.greaterThan(0);
    expect(drops).to.be.at.most(500);
  });
});
