/**
 * Mocha root hook: after the whole run, no ffmpeg started by this test process may survive.
 * Survivors are killed (by their own process group) and the run fails, naming them.
 */
import { readdirSync, readFileSync } from 'node:fs';

function leftoverFfmpegs(): Array<{ pid: number; cmdline: string }> {
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const [state, ppid] = stat.slice(close + 2).split(' ');
      if (!comm.startsWith('ffmpeg') || state === 'Z' || Number(ppid) !== process.pid) continue;
      out.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 160) });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

export const mochaHooks = {
  async afterAll(this: unknown) {
    if (process.platform !== 'linux') return;
    let left = leftoverFfmpegs();
    for (let i = 0; i < 25 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 200)); // a closing child may still be finishing
      left = leftoverFfmpegs();
    }
    if (!left.length) return;
    for (const p of left) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    throw new Error(`ffmpeg processes survived the test run (killed now):\n${left.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n')}`);
  },
};
