/**
 * The scan being watched: progress and devices, merged from socket events and GET snapshots in
 * any order. Terminal statuses never go back to running, counters never go down, a device is
 * replaced by id (a local "enrolled" mark survives an older copy). Events that arrive while the
 * POST is still in flight (the scan id is not known yet) are buffered and replayed. Pure.
 */
import type { DiscoveredDeviceView, ScanMethod, ScanStatus } from '@common/discovery';
import type { Scan } from '@web/api/discovery';
import type { DiscoveryEvent } from '@web/realtime/discoveryEvents';

export type ScanPhase = 'idle' | 'starting' | ScanStatus;

export interface ScanView {
  id: string | null;
  method: ScanMethod;
  range: string | null;
  phase: ScanPhase;
  addressesTotal: number;
  addressesDone: number;
  deviceCount: number;
  error: string | null;
}

export interface ScanState {
  scan: ScanView | null;
  devices: DiscoveredDeviceView[];
  /** Events received while starting (id unknown). */
  buffer: DiscoveryEvent[];
}

export type ScanAction =
  | { type: 'start'; method: ScanMethod; range: string | null }
  | { type: 'started'; id: string }
  | { type: 'startFailed' }
  | { type: 'event'; event: DiscoveryEvent }
  /** GET /scans/{id}: reconcile the watched scan, or `open` a past one. */
  | { type: 'snapshot'; scan: Scan; open?: boolean }
  | { type: 'enrolled'; enrolled: Array<{ deviceId: string; cameraId: string }> };

export const initialScan: ScanState = { scan: null, devices: [], buffer: [] };

const MAX_BUFFER = 2000;
const TERMINAL: readonly ScanPhase[] = ['done', 'failed'];
export const isTerminal = (p: ScanPhase | undefined): boolean => p !== undefined && TERMINAL.includes(p);
export const isActive = (p: ScanPhase | undefined): boolean => p === 'starting' || p === 'running';

/** A terminal phase wins over running; otherwise the newer value. */
function mergePhase(current: ScanPhase, incoming: ScanStatus): ScanPhase {
  return isTerminal(current) ? current : incoming;
}

/** Numeric IPv4 order (non-IPv4 after, by text). */
export function compareAddress(a: string, b: string): number {
  const num = (s: string) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(s) ? s.split('.').reduce((n, p) => n * 256 + Number(p), 0) : Number.POSITIVE_INFINITY);
  const d = num(a) - num(b);
  return Number.isNaN(d) || d === 0 ? a.localeCompare(b) : d;
}

function upsertDevice(list: DiscoveredDeviceView[], d: DiscoveredDeviceView): DiscoveredDeviceView[] {
  const old = list.find((x) => x.id === d.id);
  const merged = old && old.state === 'enrolled' && d.state !== 'enrolled' ? { ...d, state: old.state, cameraId: old.cameraId } : d;
  const rest = list.filter((x) => x.id !== d.id);
  return [...rest, merged].sort((a, b) => compareAddress(a.address, b.address) || a.endpoint.localeCompare(b.endpoint));
}

function applyEvent(state: ScanState, e: DiscoveryEvent): ScanState {
  const scan = state.scan;
  if (e.type === 'resync' || !scan) return state;
  if (scan.phase === 'starting') {
    return state.buffer.length >= MAX_BUFFER ? state : { ...state, buffer: [...state.buffer, e] };
  }
  if (e.scanId !== scan.id) return state;
  switch (e.type) {
    case 'progress':
      return {
        ...state,
        scan: {
          ...scan,
          phase: mergePhase(scan.phase, e.status),
          addressesTotal: Math.max(scan.addressesTotal, e.addressesTotal),
          addressesDone: Math.max(scan.addressesDone, e.addressesDone),
          deviceCount: Math.max(scan.deviceCount, e.deviceCount),
        },
      };
    case 'device': {
      const devices = upsertDevice(state.devices, e.device);
      return { ...state, devices, scan: { ...scan, deviceCount: Math.max(scan.deviceCount, devices.length) } };
    }
    case 'done':
      return {
        ...state,
        scan: { ...scan, phase: mergePhase(scan.phase, e.status), deviceCount: Math.max(scan.deviceCount, e.deviceCount), error: e.error ?? scan.error },
      };
  }
}

function fromSnapshot(s: Scan): ScanView {
  return {
    id: s.id,
    method: s.method,
    range: s.range,
    phase: s.status,
    addressesTotal: s.addressesTotal,
    addressesDone: s.addressesDone,
    deviceCount: s.deviceCount,
    error: s.error,
  };
}

export function scanReducer(state: ScanState, a: ScanAction): ScanState {
  switch (a.type) {
    case 'start':
      return { scan: { id: null, method: a.method, range: a.range, phase: 'starting', addressesTotal: 0, addressesDone: 0, deviceCount: 0, error: null }, devices: [], buffer: [] };
    case 'started': {
      if (!state.scan || state.scan.phase !== 'starting') return state;
      const running: ScanState = { ...state, scan: { ...state.scan, id: a.id, phase: 'running' }, buffer: [] };
      return state.buffer.reduce(applyEvent, running);
    }
    case 'startFailed':
      return state.scan?.phase === 'starting' ? initialScan : state;
    case 'event':
      return applyEvent(state, a.event);
    case 'snapshot': {
      const s = a.scan;
      if (a.open || !state.scan || state.scan.id !== s.id) {
        if (!a.open) return state;
        return { scan: fromSnapshot(s), devices: s.devices.reduce(upsertDevice, [] as DiscoveredDeviceView[]), buffer: [] };
      }
      const scan = state.scan;
      const devices = s.devices.reduce(upsertDevice, state.devices);
      return {
        ...state,
        devices,
        scan: {
          ...scan,
          phase: mergePhase(scan.phase, s.status),
          range: s.range,
          addressesTotal: Math.max(scan.addressesTotal, s.addressesTotal),
          addressesDone: Math.max(scan.addressesDone, s.addressesDone),
          deviceCount: Math.max(scan.deviceCount, s.deviceCount, devices.length),
          error: s.error ?? scan.error,
        },
      };
    }
    case 'enrolled': {
      const byDevice = new Map(a.enrolled.map((x) => [x.deviceId, x.cameraId]));
      return {
        ...state,
        devices: state.devices.map((d) => (byDevice.has(d.id) ? { ...d, state: 'enrolled' as const, cameraId: byDevice.get(d.id)! } : d)),
      };
    }
  }
}

/** Share of addresses probed, 0..1 (null while unknown: multicast has no address total). */
export function progressRatio(s: ScanView): number | null {
  if (s.phase === 'done') return 1;
  if (s.addressesTotal <= 0) return null;
  return Math.min(1, s.addressesDone / s.addressesTotal);
}

/** A device can be enrolled when it is not in the registry yet and has somewhere to read a stream from. */
export const canEnroll = (d: DiscoveredDeviceView): boolean => d.state === 'new' && !d.cameraId && Boolean(d.streamUris.main || d.onvifUrl);

/** Keep only selected ids that are still enrollable rows. */
export function pruneSelection(selected: ReadonlySet<string>, devices: DiscoveredDeviceView[]): Set<string> {
  const ok = new Set(devices.filter(canEnroll).map((d) => d.id));
  return new Set([...selected].filter((id) => ok.has(id)));
}

export function toggle(selected: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
