/**
 * Sky Eye killed without a word (SIGKILL to its process group, as after a stop that timed out)
 * leaves no ffmpeg behind: neither ingest's nor the demo cameras' `-re -stream_loop -1 ... -f rtp`
 * publishers (issue 9 item 6). The process runs `server/main.ts` on a temp data dir with two
 * simulated cameras on a private loopback range; only ffmpegs whose parent is that process are
 * looked at (and, if one survives, killed by pid after the assertion).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { scratchDatabase, type ScratchDatabase } from '@test/helpers/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const rest = stat.slice(close + 2).split(' ');
    if (rest[0] === 'Z') return null; // exited, not yet reaped
    return { pid, comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(rest[1]), cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') };
  } catch {
    return null;
  }
}

function ffmpegChildrenOf(ppid: number): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p && p.ppid === ppid && p.comm.startsWith('ffmpeg')) out.push(p);
  }
  return out;
}

/** Still the same process (pid not reused: same command line) and not a zombie. */
const stillRunning = (p: Proc) => readProc(p.pid)?.cmdline === p.cmdline;

describe('sim: Sky Eye killed with SIGKILL leaves no ffmpeg running', function () {
  this.timeout(150_000);
  this.slow(60_000);
  let dir: string;
  let scratch: ScratchDatabase;
  let child: ChildProcess | undefined;
  let seen: Proc[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-orphans-'));
    scratch = await scratchDatabase();
  });

  after(async function () {
    this.timeout(30_000);
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const p of seen) if (stillRunning(p)) process.kill(p.pid, 'SIGKILL'); // ours: the parent was our child
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ingest and demo-camera ffmpegs die with their parent', async () => {
    const octet = 30 + (process.pid % 20) * 10;
    const env = {
      ...process.env,
      SKYEYE_DATA_DIR: dir,
      SKYEYE_HTTP_PORT: '0',
      SKYEYE_SIM_CAMERAS: '2',
      SKYEYE_SIM_BASE_OCTET: String(octet),
      SKYEYE_SIM_DISCOVERY: 'false',
      SKYEYE_SIM_MODE: 'loop', // the demo cameras' ffmpeg publishers are what this test watches die
      SKYEYE_LIVE_RTMP_PORT: '0',
      SKYEYE_LIVE_FLV_PORT: '0',
      SKYEYE_OPS_PORT: '0',
      SKYEYE_LOG_LEVEL: 'warn',
      SKYEYE_ADMIN_PASSWORD: 'orphans-test-password-1',
      ...(scratch.url ? { DATABASE_URL: scratch.url } : {}),
    };
    delete (env as Record<string, string | undefined>).SKYEYE_TEST_DB;
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
    const pid = child.pid!;
    // Both cameras ingested: per camera one ingest ffmpeg (HLS) and one publisher (RTSP to the simulator) at least.
    const t0 = Date.now();
    for (;;) {
      const now = ffmpegChildrenOf(pid);
      const pubs = now.filter((p) => p.cmdline.includes('-stream_loop -1') && p.cmdline.includes(' -f rtsp '));
      const ingest = now.filter((p) => p.cmdline.includes(' -f hls '));
      if (pubs.length >= 2 && ingest.length >= 2) {
        seen = now;
        break;
      }
      if (child.exitCode !== null) throw new Error(`server/main.ts exited with ${child.exitCode}`);
      if (Date.now() - t0 > 90_000) throw new Error(`cameras not ingested in 90 s: ${now.map((p) => p.cmdline.slice(0, 80)).join(' | ')}`);
      await sleep(500);
    }
    process.kill(-pid, 'SIGKILL');
    const left = async () => {
      for (let i = 0; i < 50; i++) {
        if (!seen.some(stillRunning)) return [];
        await sleep(200);
      }
      return seen.filter(stillRunning);
    };
    const survivors = await left();
    expect(survivors.map((p) => `${p.pid} ${p.cmdline.slice(0, 120)}`), 'ffmpegs left running after SIGKILL').to.deep.equal([]);
  });
});
