/** socket.io discovery events (staff only) as one typed union. Pure: the payload checks are unit-tested. */
import type { DiscoveredDeviceView, ScanDeviceEvent, ScanDoneEvent, ScanProgressEvent, ScanStatus } from '@common/discovery';
import { EVENTS } from '@common/events';

export type DiscoveryEvent =
  | ({ type: 'progress' } & ScanProgressEvent)
  | ({ type: 'device' } & ScanDeviceEvent)
  | ({ type: 'done' } & ScanDoneEvent)
  /** The socket (re)connected: events may have been missed, so the scan is fetched again. */
  | { type: 'resync' };

export const DISCOVERY_EVENT_NAMES = [EVENTS.discoveryProgress, EVENTS.discoveryDevice, EVENTS.discoveryDone] as const;

const STATUSES: readonly ScanStatus[] = ['running', 'done', 'failed'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const isStatus = (v: unknown): v is ScanStatus => typeof v === 'string' && (STATUSES as readonly string[]).includes(v);
const isDevice = (v: unknown): v is DiscoveredDeviceView =>
  isRecord(v) && typeof v.id === 'string' && typeof v.scanId === 'string' && typeof v.address === 'string' && typeof v.state === 'string' && isRecord(v.streamUris);

/** Socket event name + payload -> DiscoveryEvent, or null for a payload we do not understand. */
export function toDiscoveryEvent(name: string, payload: unknown): DiscoveryEvent | null {
  if (!isRecord(payload) || typeof payload.scanId !== 'string') return null;
  const scanId = payload.scanId;
  switch (name) {
    case EVENTS.discoveryProgress:
      if (!isStatus(payload.status)) return null;
      return {
        type: 'progress',
        scanId,
        status: payload.status,
        addressesTotal: count(payload.addressesTotal),
        addressesDone: count(payload.addressesDone),
        deviceCount: count(payload.deviceCount),
      };
    case EVENTS.discoveryDevice:
      return isDevice(payload.device) ? { type: 'device', scanId, device: payload.device } : null;
    case EVENTS.discoveryDone:
      if (!isStatus(payload.status)) return null;
      return { type: 'done', scanId, status: payload.status, deviceCount: count(payload.deviceCount), error: typeof payload.error === 'string' ? payload.error : null };
    default:
      return null;
  }
}
