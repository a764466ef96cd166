/** Public API of the camera simulator. */
export { startFleet, fleetAddresses, endpointReferenceFor, DEFAULTS, type Fleet, type FleetOptions } from './fleet';
export { SimCamera } from './camera';
export { demoCameraPlan, DEMO_ORG, DEMO_CENTER, type DemoCameraSite } from './demo-town';
export { ensureLoopbackMulticast } from './discovery/loopback';
export { probeXml, parseAnnouncement, WSD_ADDRESS, WSD_PORT } from './discovery/messages';
export { parseFault } from './faults';
export type { Fault, AuthMode, SimMode, LatLon } from './types';
export { HostileDevice, startHostileDevice, type HostileOptions } from './hostile/device';
