/** IPC messages between the bench and its simulator process. */
import type { SimMode } from '@sim/types';

export type HostRequest =
  | { op: 'start'; id: number; cameras: number; baseOctet: number; width: number; height: number; bitrateKbps: number; mode: SimMode }
  | { op: 'stall' | 'clear'; id: number; indexes: number[] }
  | { op: 'reboot'; id: number; index: number; seconds: number }
  | { op: 'pids'; id: number }
  | { op: 'stop'; id: number };

export type HostReply =
  | { op: 'ready'; id: number; cameras: Array<{ id: string; rtspUrl: string }> }
  | { op: 'done'; id: number; at: number[] }
  | { op: 'pids'; id: number; pids: number[] }
  | { op: 'error'; id: number; message: string };
