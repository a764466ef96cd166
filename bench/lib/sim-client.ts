/** Forks the simulator process (sim-host.ts) and talks to it; stop() ends it and its publishers. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimMode } from '@sim/types';
import type { HostReply, HostRequest } from './sim-protocol';

export interface SimCam {
  index: number;
  id: string;
  rtspUrl: string;
}

type DOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Body = DOmit<HostRequest, 'id'>;

export class SimClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: HostReply) => void; reject: (e: Error) => void }>();
  private exited = false;
  cameras: SimCam[] = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (r: HostReply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (r.op === 'error') w?.reject(new Error(`simulator: ${r.message}`));
      else w?.resolve(r);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const w of this.waiting.values()) w.reject(new Error('simulator process exited'));
      this.waiting.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(o: { cameras: number; baseOctet: number; width: number; height: number; bitrateKbps: number; mode: SimMode }): Promise<SimClient> {
    const host = fileURLToPath(new URL('./sim-host.ts', import.meta.url));
    const c = new SimClient(fork(host, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    try {
      const r = await c.request({ op: 'start', ...o });
      if (r.op === 'ready') c.cameras = r.cameras.map((x, index) => ({ index, ...x }));
      return c;
    } catch (e) {
      await c.stop();
      throw e;
    }
  }

  private request(req: Body): Promise<HostReply> {
    if (this.exited) return Promise.reject(new Error('simulator process exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...req, id } as HostRequest);
    });
  }

  private async times(req: Extract<Body, { op: 'stall' | 'clear' | 'reboot' }>): Promise<number[]> {
    const r = await this.request(req);
    return r.op === 'done' ? r.at : [];
  }

  /** Stops relaying RTP (camera keeps its sessions); returns the time per camera. */
  stall(indexes: number[]): Promise<number[]> {
    return this.times({ op: 'stall', indexes });
  }

  /** Resumes relaying: the next relayed frame leaves the camera at the returned time. */
  clear(indexes: number[]): Promise<number[]> {
    return this.times({ op: 'clear', indexes });
  }

  /** Reboots a camera for `seconds`; resolves [downAt, backAt] once it listens again. */
  async reboot(index: number, seconds: number): Promise<{ downAt: number; backAt: number }> {
    const [downAt = 0, backAt = 0] = await this.times({ op: 'reboot', index, seconds });
    return { downAt, backAt };
  }

  /** Pids of the running publisher ffmpegs. */
  async publisherPids(): Promise<number[]> {
    const r = await this.request({ op: 'pids' });
    return r.op === 'pids' ? r.pids : [];
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.request({ op: 'stop' }).catch(() => this.child.kill('SIGTERM'));
    await gone;
    clearTimeout(timer);
  }
}
