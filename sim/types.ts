/** Shared simulator types. Imports nothing but the domain vocabulary. */
import type { CameraKind } from '@common/domain';

export type AuthMode = 'digest' | 'basic' | 'none';
export type SimMode = 'loop' | 'live-clock';

/** A fault injected into one camera, at start or at run time. */
export type Fault =
  | 'refuse'
  | 'wrong-credentials'
  | 'stall'
  | 'drop'
  | 'malformed-xml'
  | 'change-stream-uri'
  | 'clock-reset'
  | { reboot: number }
  | { slowSoap: number };

export interface LatLon {
  lat: number;
  lon: number;
}

export type { CameraKind };
