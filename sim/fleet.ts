/** startFleet(): N simulated cameras on 127.0.1.<baseOctet + i>, placed in the demo town. */
import { createHash } from 'node:crypto';
import { SimCamera, type CameraSpec } from './camera';
import { demoCameraPlan } from './demo-town';
import { ensureLoopbackMulticast } from './discovery/loopback';
import { defaultCacheDir, prepareStream } from './media/cache';
import { replayClip } from './media/replay-clip';
import { MAIN_PROFILE, SUB_PROFILE, type StreamProfile } from './media/ffmpeg-args';
import { SIM_MODES, type AuthMode, type CameraKind, type Fault, type SimMode } from './types';

export interface FleetOptions {
  cameras: number;
  /** First camera gets 127.0.1.<baseOctet> (default 10). Ignored when `addresses` is given. */
  baseOctet?: number;
  addresses?: string[];
  username?: string;
  password?: string;
  auth?: AuthMode;
  /** Initial faults per camera index. */
  faults?: Record<number, Fault | Fault[] | undefined>;
  mode?: SimMode;
  withSub?: boolean;
  /** The main stream's resolution, rate and bitrate (default MAIN_PROFILE, 1280x720): big fleets in tests use a small one. */
  mainProfile?: StreamProfile;
  startOnvif?: boolean;
  startDiscovery?: boolean;
  rtspPort?: number;
  onvifPort?: number;
  rtpPort?: number;
  cacheDir?: string;
  sessionTimeoutSec?: number;
  dropAfterMs?: number;
  /** Run ensureLoopbackMulticast() when discovery is on (default true; failure is only a warning). */
  setupLoopbackMulticast?: boolean;
}

export interface Fleet {
  cameras: SimCamera[];
  stop(): Promise<void>;
}

export const DEFAULTS = {
  baseOctet: 10,
  username: 'admin',
  password: 'skyeye-sim-123',
  auth: 'digest' as AuthMode,
  mode: 'loop' as SimMode,
  rtspPort: 8554,
  onvifPort: 8000,
  rtpPort: 6970,
};

const MODELS: Record<CameraKind, { manufacturer: string; model: string }> = {
  road: { manufacturer: 'SkyEye Sim', model: 'SE-IPC-B640-Z' },
  household: { manufacturer: 'SkyEye Sim', model: 'SE-C3W' },
  shopfront: { manufacturer: 'SkyEye Sim', model: 'SE-D2-Dome' },
};

/** Stable urn:uuid from the camera address (same address -> same endpoint across runs). */
export function endpointReferenceFor(address: string): string {
  const h = createHash('sha1').update(`skyeye-sim:${address}`).digest('hex');
  const v = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `urn:uuid:${v}`;
}

export function fleetAddresses(n: number, baseOctet = DEFAULTS.baseOctet): string[] {
  if (baseOctet < 1 || baseOctet + n - 1 > 254) throw new Error(`cameras do not fit in 127.0.1.${baseOctet}..254`);
  return Array.from({ length: n }, (_, i) => `127.0.1.${baseOctet + i}`);
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const n = opts.cameras;
  if (!Number.isInteger(n) || n < 1) throw new Error('cameras must be a positive integer');
  const addresses = opts.addresses ?? fleetAddresses(n, opts.baseOctet);
  if (addresses.length < n) throw new Error(`need ${n} addresses, got ${addresses.length}`);
  for (const a of addresses) if (!a.startsWith('127.')) throw new Error(`address ${a} is not loopback`);
  const mode = opts.mode ?? DEFAULTS.mode;
  if (!SIM_MODES.includes(mode)) throw new Error(`mode must be one of ${SIM_MODES.join(', ')} (got ${String(mode)})`);
  const withSub = opts.withSub ?? true;
  const startDiscovery = opts.startDiscovery ?? true;
  const dir = opts.cacheDir ?? defaultCacheDir();
  if (startDiscovery && opts.setupLoopbackMulticast !== false) {
    await ensureLoopbackMulticast().catch((e: unknown) =>
      process.emitWarning(`ensureLoopbackMulticast: ${(e as Error).message}`),
    );
  }
  const live = mode === 'live-clock';
  const main = await prepareStream(opts.mainProfile ?? MAIN_PROFILE, live, dir);
  const sub = withSub ? await prepareStream(SUB_PROFILE, live, dir) : undefined;
  const replay = mode === 'replay' ? { main: await replayClip(main), sub: sub && (await replayClip(sub)) } : undefined;
  const plan = demoCameraPlan(n);
  const cameras = plan.map((site, i) => {
    const address = addresses[i]!;
    const f = opts.faults?.[i];
    const spec: CameraSpec = {
      index: i,
      id: `cam-${String(i + 1).padStart(3, '0')}`,
      name: site.name,
      kind: site.kind,
      address,
      location: { lat: site.lat, lon: site.lon },
      endpointReference: endpointReferenceFor(address),
      ...MODELS[site.kind],
      firmware: 'V1.4.2 build 240518',
      serial: `SE${createHash('sha1').update(address).digest('hex').slice(0, 10).toUpperCase()}`,
      hasPtz: site.kind === 'road' && i % 2 === 0,
      username: opts.username ?? DEFAULTS.username,
      password: opts.password ?? DEFAULTS.password,
      auth: opts.auth ?? DEFAULTS.auth,
      mode,
      rtspPort: opts.rtspPort ?? DEFAULTS.rtspPort,
      onvifPort: opts.onvifPort ?? DEFAULTS.onvifPort,
      rtpPort: opts.rtpPort ?? DEFAULTS.rtpPort,
      main,
      sub,
      replay,
      startOnvif: opts.startOnvif ?? true,
      startDiscovery,
      faults: f === undefined ? [] : Array.isArray(f) ? f : [f],
      sessionTimeoutSec: opts.sessionTimeoutSec,
      dropAfterMs: opts.dropAfterMs,
    };
    return new SimCamera(spec);
  });
  const stop = async () => {
    await Promise.allSettled(cameras.map((c) => c.stop()));
  };
  try {
    await Promise.all(cameras.map((c) => c.start()));
  } catch (e) {
    await stop();
    throw e;
  }
  return { cameras, stop };
}
