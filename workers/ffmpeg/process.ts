/**
 * Long-running child processes in their own process group, behind a small ProcessRunner
 * interface so the supervisor can be tested with a fake. close(): SIGTERM to the group, wait,
 * then SIGKILL. Every group still alive when Node exits gets SIGTERM (ffmpeg then finalises), and
 * the kernel SIGTERMs children whose parent died without a word (see withParentDeathSignal).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  readonly pid: number | undefined;
  /** Resolves once the process has exited (also for spawn errors: code null). */
  readonly exited: Promise<ExitInfo>;
  /** Sends a signal to the whole process group. */
  signal(sig: NodeJS.Signals): void;
  onStderr(cb: (chunk: string) => void): void;
}

export interface ProcessRunner {
  start(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildHandle;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  });
}

/**
 * On Linux, children are started through util-linux `setpriv --pdeathsig SIGTERM`, so the kernel
 * SIGTERMs them if this process dies without cleaning up (SIGKILL, OOM): a crashed worker leaves
 * no ffmpeg pulling its cameras while another worker takes them over.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => process.platform === 'linux' && existsSync(p));

export function withParentDeathSignal(command: string, args: readonly string[], setpriv: string | null | undefined = SETPRIV): [string, string[]] {
  return setpriv ? [setpriv, ['--pdeathsig', 'SIGTERM', '--', command, ...args]] : [command, [...args]];
}

/** The real runner: child_process.spawn(detached) so the child leads its own process group. */
export const spawnRunner: ProcessRunner = {
  start(command, args, env) {
    installExitHook();
    const [file, argv] = withParentDeathSignal(command, args);
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: env ?? process.env });
    const pid = child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    const listeners: Array<(c: string) => void> = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => listeners.forEach((l) => l(c)));
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once('error', (err) => {
        listeners.forEach((l) => l(`spawn error: ${err.message}\n`));
        if (pid !== undefined) liveGroups.delete(pid);
        resolve({ code: null, signal: null });
      });
      child.once('exit', (code, signal) => {
        if (pid !== undefined) liveGroups.delete(pid);
        resolve({ code, signal });
      });
    });
    return {
      pid,
      exited,
      signal(sig) {
        if (pid === undefined) return;
        try {
          process.kill(-pid, sig);
        } catch {
          /* group already gone */
        }
      },
      onStderr: (cb) => listeners.push(cb),
    };
  },
};

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** SIGTERM the group, wait up to graceMs, then SIGKILL; resolves with the exit. */
export async function closeChild(child: ChildHandle, graceMs: number, timers: Timers = realTimers): Promise<ExitInfo & { killed: boolean }> {
  let killed = false;
  child.signal('SIGTERM');
  let handle: unknown;
  const timeout = new Promise<'timeout'>((resolve) => {
    handle = timers.setTimeout(() => resolve('timeout'), graceMs);
  });
  const first = await Promise.race([child.exited, timeout]);
  timers.clearTimeout(handle);
  if (first === 'timeout') {
    killed = true;
    child.signal('SIGKILL');
  }
  const exit = await child.exited;
  return { ...exit, killed };
}
