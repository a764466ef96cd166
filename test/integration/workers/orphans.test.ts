/**
 * A worker that dies without cleaning up (SIGKILL) leaves no ffmpeg behind: children are started
 * with a parent-death signal, so the kernel stops them. Real node child, real ffmpeg.
 */
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { withParentDeathSignal } from '@workers/ffmpeg/process';
import { processAlive } from '@test/helpers/process';

describe('ffmpeg children die with a killed worker', function () {
  this.timeout(30_000);

  it('wraps commands in setpriv --pdeathsig on Linux', () => {
    expect(withParentDeathSignal('ffmpeg', ['-i', 'x'], '/usr/bin/setpriv')).to.deep.equal(['/usr/bin/setpriv', ['--pdeathsig', 'SIGTERM', '--', 'ffmpeg', '-i', 'x']]);
    expect(withParentDeathSignal('ffmpeg', ['-i', 'x'], null)).to.deep.equal(['ffmpeg', ['-i', 'x']]);
  });

  it('SIGKILL of the worker process stops its ffmpeg', async function () {
    if (process.platform !== 'linux') this.skip();
    const script = `
      import { spawnRunner } from './workers/ffmpeg/process.ts';
      const h = spawnRunner.start('ffmpeg', ['-hide_banner', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5', '-f', 'null', '-']);
      console.log('PID ' + h.pid);
      setInterval(() => {}, 1000);`;
    const worker = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let ffmpegPid = 0;
    try {
      ffmpegPid = await new Promise<number>((resolve, reject) => {
        let out = '';
        worker.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /PID (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        worker.once('exit', () => reject(new Error('worker exited early')));
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(processAlive(ffmpegPid), 'ffmpeg runs').to.equal(true);
      worker.kill('SIGKILL');
      const end = Date.now() + 5000;
      while (processAlive(ffmpegPid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(processAlive(ffmpegPid), 'ffmpeg stopped after its worker was killed').to.equal(false);
    } finally {
      worker.kill('SIGKILL');
      if (ffmpegPid && processAlive(ffmpegPid)) process.kill(-ffmpegPid, 'SIGKILL');
    }
  });
});
