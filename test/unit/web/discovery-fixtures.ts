/** Fixtures for the discovery page's unit tests: scan and device views, reducer helpers. */
import { type DiscoveredDeviceView } from '@common/discovery';
import type { Scan } from '@web/api/discovery';
import { initialScan, scanReducer, type ScanAction, type ScanState } from '@web/discovery/scanState';
import { type DiscoveryEvent } from '@web/realtime/discoveryEvents';

export const S1 = '11111111-1111-4111-8111-111111111111';
export const S2 = '22222222-2222-4222-8222-222222222222';
export const D1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const D2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

export function device(over: Partial<DiscoveredDeviceView> = {}): DiscoveredDeviceView {
  return {
    id: D1,
    scanId: S1,
    endpoint: 'urn:uuid:cam-1',
    address: '127.0.10.2',
    onvifUrl: 'http://127.0.10.2:8000/onvif/device_service',
    xaddrMismatch: false,
    mediaHostMismatch: false,
    identityClash: false,
    manufacturer: 'SkyEyeSim',
    model: 'SIM-1',
    firmware: '1.0',
    serial: 'SN1',
    profiles: [],
    streamUris: { main: 'rtsp://127.0.10.2:8554/main', sub: null },
    snapshotUri: null,
    hasPtz: false,
    clockOffsetMs: 12,
    error: null,
    errorDetail: null,
    state: 'new',
    cameraId: null,
    changes: {},
    foundAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

export const snapshot = (over: Partial<Scan> = {}): Scan => ({
  id: S1,
  method: 'unicast',
  range: '127.0.10.0/29',
  status: 'running',
  error: null,
  withCredentials: true,
  addressesTotal: 8,
  addressesDone: 0,
  deviceCount: 0,
  repliesDropped: 0,
  capped: null,
  failures: [],
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: null,
  devices: [],
  ...over,
});

export const ev = (e: DiscoveryEvent): ScanAction => ({ type: 'event', event: e });
export const run = (actions: ScanAction[], from: ScanState = initialScan) => actions.reduce(scanReducer, from);
export const started = run([{ type: 'start', method: 'unicast', range: '127.0.10.0/29' }, { type: 'started', id: S1 }]);

