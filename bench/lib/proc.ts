/** CPU and memory from /proc: per-process ticks (utime+stime), RSS, and whole-machine busy time. */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const CLK_TCK = 100;
export const CORES = cpus().length;

export interface ProcTicks {
  /** utime + stime of the process itself. */
  self: number;
  /** cutime + cstime: children it has already reaped. */
  children: number;
}

export function procTicks(pid: number): ProcTicks | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after "comm": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return { self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** Processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** VmRSS in bytes, null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface MachineTicks {
  total: number;
  idle: number;
}

export function machineTicks(): MachineTicks {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { total, idle: (v[3] ?? 0) + (v[4] ?? 0) };
}

/** Busy share of the whole machine between two samples, in % of all cores. */
export function machineBusyPct(a: MachineTicks, b: MachineTicks): number {
  const dt = b.total - a.total;
  return dt > 0 ? (100 * (dt - (b.idle - a.idle))) / dt : 0;
}

/** Ticks over seconds -> % of one core. */
export function coresPct(ticks: number, seconds: number): number {
  return seconds > 0 ? (100 * ticks) / CLK_TCK / seconds : 0;
}

/**
 * CPU of a set of processes over a window: ticks at the start and end for each pid seen at both
 * ends (a pid that dies mid-window loses its share; the caller counts reaped children separately).
 */
export class CpuWindow {
  private readonly start = new Map<number, number>();
  private readonly t0 = Date.now();
  constructor(pids: readonly number[]) {
    for (const p of pids) {
      const t = procTicks(p);
      if (t) this.start.set(p, t.self);
    }
  }

  /** Returns [ticks, seconds]. */
  end(pids: readonly number[]): [number, number] {
    let ticks = 0;
    for (const p of pids) {
      const a = this.start.get(p);
      const b = procTicks(p);
      if (a !== undefined && b) ticks += b.self - a;
    }
    return [ticks, (Date.now() - this.t0) / 1000];
  }
}

export function sumRss(pids: readonly number[]): number {
  return pids.reduce((s, p) => s + (rssBytes(p) ?? 0), 0);
}
