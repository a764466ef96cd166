/** Shared simulator types. Imports nothing but the domain vocabulary. */
import type { CameraKind } from '@common/domain';

export type AuthMode = 'digest' | 'basic' | 'none';
/**
 * loop: an ffmpeg per watched stream publishes the cached clip; replay: the clip is packetised
 * once in the simulator and sent from memory (no process per camera); live-clock: live encode.
 */
export const SIM_MODES = ['loop', 'replay', 'live-clock'] as const;
export type SimMode = (typeof SIM_MODES)[number];

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
