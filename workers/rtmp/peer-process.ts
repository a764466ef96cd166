/**
 * Which process is at the other end of a loopback TCP connection (Linux /proc). The media
 * server accepts a publish to /live/<cameraId> only from a descendant of this process: the
 * ingest ffmpeg it spawned. No key is needed on ffmpeg's command line, which every local user
 * can read in /proc/<pid>/cmdline; the kernel says who owns the connecting socket, and a process
 * of another user (or of another program of ours) cannot pass. Anywhere /proc is missing or
 * unreadable the answer is false: refused, never open.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';

export interface PeerLookupOptions {
  /** The process whose descendants are trusted (default: this one). */
  rootPid?: number;
  /** The proc filesystem (tests may point elsewhere). */
  proc?: string;
}

const hexPort = (addr: string) => parseInt(addr.split(':').pop() ?? '', 16);

/** The inode of the client end of a TCP connection from `clientPort` to `serverPort`, or null. */
export async function clientSocketInode(clientPort: number, serverPort: number, proc = '/proc'): Promise<string | null> {
  for (const table of ['net/tcp', 'net/tcp6']) {
    const text = await readFile(`${proc}/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      if (hexPort(f[1]!) === clientPort && hexPort(f[2]!) === serverPort && f[9] !== '0') return f[9]!;
    }
  }
  return null;
}

/** Pids of every descendant of `rootPid` (from each process's parent in /proc/<pid>/stat). */
export async function descendants(rootPid: number, proc = '/proc'): Promise<number[]> {
  const parentOf = new Map<number, number>();
  const pids = (await readdir(proc).catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
  await Promise.all(
    pids.map(async (p) => {
      const stat = await readFile(`${proc}/${p}/stat`, 'utf8').catch(() => null);
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
      if (Number.isInteger(ppid)) parentOf.set(Number(p), ppid);
    }),
  );
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (out.includes(c)) continue;
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Every socket inode held open by a descendant of `rootPid`. */
export async function descendantSockets(rootPid: number, proc = '/proc'): Promise<Set<string>> {
  const out = new Set<string>();
  for (const pid of await descendants(rootPid, proc)) {
    const fds = await readdir(`${proc}/${pid}/fd`).catch(() => [] as string[]);
    const links = await Promise.all(fds.map((fd) => readlink(`${proc}/${pid}/fd/${fd}`).catch(() => '')));
    for (const l of links) {
      const m = /^socket:\[(\d+)\]$/.exec(l);
      if (m) out.add(m[1]!);
    }
  }
  return out;
}

export type PeerCheck = (clientPort: number, serverPort: number) => Promise<boolean>;

/**
 * A check for "the client end of the loopback connection clientPort -> serverPort belongs to a
 * descendant". Concurrent checks share one scan of /proc (a worker starting 200 ingests at once
 * scans a few times, not 200): a check joins the newest scan if it began after the check did.
 */
export function peerChecker(o: PeerLookupOptions = {}): PeerCheck {
  const proc = o.proc ?? '/proc';
  const rootPid = o.rootPid ?? process.pid;
  let scan: { startedAt: number; sockets: Promise<Set<string>> } | null = null;
  return async (clientPort, serverPort) => {
    const askedAt = performance.now();
    const inode = await clientSocketInode(clientPort, serverPort, proc);
    if (!inode) return false;
    if (!scan || scan.startedAt < askedAt) scan = { startedAt: performance.now(), sockets: descendantSockets(rootPid, proc) };
    return (await scan.sockets).has(inode);
  };
}

/** One-off form of peerChecker. */
export function peerIsDescendant(clientPort: number, serverPort: number, o: PeerLookupOptions = {}): Promise<boolean> {
  return peerChecker(o)(clientPort, serverPort);
}
