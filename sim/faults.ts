/**
 * Fault state machine of one simulated camera (pure; the clock is passed in).
 * Several faults can be active at once; setting the same kind again replaces it.
 * A reboot is timed: it is active until `rebootUntil`, then it clears itself.
 */
import type { Fault } from './types';

/** Fault names: the plain ones, and the keys of the parameterised ones ('reboot', 'slowSoap'). */
type KeysOf<T> = T extends object ? keyof T : never;
export type FaultKind = Extract<Fault, string> | KeysOf<Extract<Fault, object>>;

export interface FaultView {
  /** Listeners closed: connections are refused (refuse fault or rebooting). */
  down: boolean;
  rebooting: boolean;
  wrongCredentials: boolean;
  stall: boolean;
  drop: boolean;
  malformedXml: boolean;
  slowSoapMs: number;
  /** RTP timestamps restart (jump backwards) now and whenever another client starts playing. */
  clockReset: boolean;
  /** Bumped by each change-stream-uri; 0 = the original stream paths. */
  streamGeneration: number;
}

export function faultKind(f: Fault): FaultKind {
  if (typeof f === 'string') return f;
  if ('reboot' in f) return 'reboot';
  return 'slowSoap';
}

export function parseFault(s: string): Fault {
  const [name, arg] = s.split(':');
  switch (name) {
    case 'refuse':
    case 'wrong-credentials':
    case 'stall':
    case 'drop':
    case 'malformed-xml':
    case 'change-stream-uri':
    case 'clock-reset':
      return name;
    case 'reboot':
    case 'slowSoap':
    case 'slow-soap': {
      const n = Number(arg);
      if (!Number.isFinite(n) || n < 0) throw new Error(`fault ${name} needs a number, e.g. ${name}:5`);
      return name === 'reboot' ? { reboot: n } : { slowSoap: n };
    }
    default:
      throw new Error(`unknown fault "${s}"`);
  }
}

export class FaultState {
  private readonly active = new Map<FaultKind, Fault>();
  private rebootUntil = 0;
  private generation = 0;

  /** Apply a fault at time `now` (ms). Returns the kind that was set. */
  set(f: Fault, now: number): FaultKind {
    const kind = faultKind(f);
    if (kind === 'reboot') {
      const secs = (f as { reboot: number }).reboot;
      if (!(secs >= 0)) throw new Error('reboot seconds must be >= 0');
      this.rebootUntil = now + secs * 1000;
    }
    if (kind === 'change-stream-uri') this.generation += 1;
    this.active.set(kind, f);
    return kind;
  }

  /** Clear one kind, or everything (streams go back to the original paths). */
  clear(kind?: FaultKind): void {
    if (kind === undefined) {
      this.active.clear();
      this.rebootUntil = 0;
      this.generation = 0;
      return;
    }
    this.active.delete(kind);
    if (kind === 'reboot') this.rebootUntil = 0;
    if (kind === 'change-stream-uri') this.generation = 0;
  }

  /** The reboot end time, or 0 when no reboot is pending. */
  rebootEndsAt(): number {
    return this.active.has('reboot') ? this.rebootUntil : 0;
  }

  has(kind: FaultKind): boolean {
    return this.active.has(kind);
  }

  view(now: number): FaultView {
    if (this.active.has('reboot') && now >= this.rebootUntil) this.clear('reboot');
    const rebooting = this.active.has('reboot');
    const slow = this.active.get('slowSoap') as { slowSoap: number } | undefined;
    return {
      down: rebooting || this.active.has('refuse'),
      rebooting,
      wrongCredentials: this.active.has('wrong-credentials'),
      stall: this.active.has('stall'),
      drop: this.active.has('drop'),
      malformedXml: this.active.has('malformed-xml'),
      clockReset: this.active.has('clock-reset'),
      slowSoapMs: slow ? slow.slowSoap : 0,
      streamGeneration: this.generation,
    };
  }
}
