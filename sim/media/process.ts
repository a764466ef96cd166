/**
 * Child process wrapper: every child runs in its own process group (detached) and is killed
 * by group: SIGTERM, wait, SIGKILL. A registry kills any leftovers when this process exits, and,
 * as for ingest's ffmpeg (workers/ffmpeg/process.ts), the kernel SIGTERMs a child whose parent
 * died without a word (SIGKILL, OOM): no demo-camera ffmpeg is left looping with parent 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { withParentDeathSignal } from '@workers/ffmpeg/process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    /* already gone */
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) killGroup(c, 'SIGKILL');
  });
}

export interface Child {
  readonly pid: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Last bytes of stderr (for error messages). */
  stderrTail(): string;
  close(graceMs?: number): Promise<void>;
}

export function spawnChild(cmd: string, args: string[], onStdout?: (b: Buffer) => void): Child {
  installExitHook();
  const [file, argv] = withParentDeathSignal(cmd, args);
  const child = spawn(file, argv, { detached: true, stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] });
  live.add(child);
  let tail = '';
  child.stderr?.on('data', (b: Buffer) => {
    tail = (tail + b.toString('utf8')).slice(-2000);
  });
  if (onStdout) child.stdout?.on('data', onStdout);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      tail += String(e);
      live.delete(child);
      resolve(-1);
    });
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });
  return {
    pid: child.pid,
    exited,
    stderrTail: () => tail,
    async close(graceMs = 2000) {
      if (!live.has(child)) return;
      killGroup(child, 'SIGTERM');
      const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
      killGroup(child, 'SIGKILL'); // anything left in the group
    },
  };
}

/** Run to completion and collect stdout; rejects on non-zero exit. */
export async function runToCompletion(cmd: string, args: string[], timeoutMs = 60_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const c = spawnChild(cmd, args, (b) => chunks.push(b));
  const timer = setTimeout(() => void c.close(), timeoutMs);
  const code = await c.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${cmd} exited with ${code}: ${c.stderrTail().trim()}`);
  return Buffer.concat(chunks);
}

/** Number of children still running (for tests). */
export function liveChildCount(): number {
  return live.size;
}
