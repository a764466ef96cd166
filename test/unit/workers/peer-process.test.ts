import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { clientSocketInode, descendants, peerIsDescendant } from '@workers/rtmp/peer-process';

/** A fake /proc: 100 (us) -> 200 -> 300 (owns the client socket 4242); 500 is someone else's. */
function fakeProc(): string {
  const proc = mkdtempSync(join(tmpdir(), 'skyeye-proc-'));
  mkdirSync(join(proc, 'net'));
  // client 127.0.0.1:40000 -> 127.0.0.1:1935 (inode 4242) and the server's end (inode 7).
  writeFileSync(
    join(proc, 'net/tcp'),
    [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:9C40 0100007F:078F 01 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 20 4 30 10 -1',
      '   1: 0100007F:078F 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 7 1 0 20 4 30 10 -1',
      '   2: 0100007F:9C41 0100007F:078F 01 00000000:00000000 00:00000000 00000000  1000        0 5555 1 0 20 4 30 10 -1',
    ].join('\n'),
  );
  const proc1 = (pid: number, ppid: number, comm: string, sockets: string[]) => {
    mkdirSync(join(proc, String(pid), 'fd'), { recursive: true });
    writeFileSync(join(proc, String(pid), 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1`);
    sockets.forEach((inode, i) => symlinkSync(`socket:[${inode}]`, join(proc, String(pid), 'fd', String(i + 3))));
  };
  proc1(100, 1, 'node', ['7']);
  proc1(200, 100, 'set priv) (x', []);
  proc1(300, 200, 'ffmpeg', ['4242']);
  proc1(500, 1, 'ffmpeg', ['5555']);
  return proc;
}

describe('workers/rtmp peer-process: who is at the other end of a loopback connection', () => {
  let proc: string;
  before(() => (proc = fakeProc()));
  after(() => rmSync(proc, { recursive: true, force: true }));

  it('finds the client end of a connection by its ports', async () => {
    expect(await clientSocketInode(40000, 1935, proc)).to.equal('4242');
    expect(await clientSocketInode(1935, 40000, proc)).to.equal('7');
    expect(await clientSocketInode(40002, 1935, proc)).to.equal(null);
  });
  it('lists descendants (comm with spaces and parentheses)', async () => {
    expect((await descendants(100, proc)).sort()).to.deep.equal([200, 300]);
  });
  it('accepts a descendant, refuses anyone else and fails closed without /proc', async () => {
    expect(await peerIsDescendant(40000, 1935, { rootPid: 100, proc })).to.equal(true);
    expect(await peerIsDescendant(40001, 1935, { rootPid: 100, proc })).to.equal(false);
    expect(await peerIsDescendant(40000, 1935, { rootPid: 500, proc })).to.equal(false);
    expect(await peerIsDescendant(40000, 1935, { rootPid: 100, proc: join(proc, 'missing') })).to.equal(false);
  });
});
