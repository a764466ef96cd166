/**
 * Reads what a discovered device is, through ONVIF: clock (unauthenticated), then with the given
 * credentials device information, profiles, main/sub RTSP URIs, snapshot URI and PTZ. Any failure
 * becomes a classified error on the result; fields that need authentication stay empty.
 */
import { createHash } from 'node:crypto';
import { inRanges } from './cidr';
import { classifyError, DeviceError, type DeviceErrorCode } from './errors';
import { OnvifClient, type OnvifLimits, type OnvifProfile } from './onvif-client';

export interface ScanCredentials {
  username: string;
  password: string;
}

export interface DeviceDetails {
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  hardwareId: string | null;
  profiles: OnvifProfile[];
  rtspMainUrl: string | null;
  rtspSubUrl: string | null;
  snapshotUri: string | null;
  hasPtz: boolean | null;
  clockOffsetMs: number | null;
  /** A stream or snapshot URI names another host than the device: enrolling it needs an operator's approval. */
  mediaHostMismatch: boolean;
  error: DeviceErrorCode | null;
  errorDetail: string | null;
}

export interface ProbeTarget {
  address: string;
  port: number;
  path: string;
}

export interface ProberOptions extends OnvifLimits {
  allowedRanges: readonly string[];
  now?: () => number;
}

export function emptyDetails(error: DeviceErrorCode | null = null, errorDetail: string | null = null): DeviceDetails {
  return {
    manufacturer: null,
    model: null,
    firmware: null,
    serial: null,
    hardwareId: null,
    profiles: [],
    rtspMainUrl: null,
    rtspSubUrl: null,
    snapshotUri: null,
    hasPtz: null,
    clockOffsetMs: null,
    mediaHostMismatch: false,
    error,
    errorDetail,
  };
}

/** Longest stream URI kept (the registry's own limit); longer ones are not a usable stream. */
export const MAX_URI_LENGTH = 2048;

/**
 * A media URI a device reported: accepted only inside the allowed ranges, never with userinfo,
 * never longer than the registry accepts. `foreign` when its host is not the device's address
 * (enrolling it then needs an operator's explicit approval; credentials never go there).
 */
export function cleanMediaUri(uri: string, schemes: readonly string[], allowedRanges: readonly string[], deviceAddress?: string): { url: string; foreign: boolean } | null {
  try {
    if (uri.length > MAX_URI_LENGTH) return null;
    const u = new URL(uri);
    if (!schemes.includes(u.protocol)) return null;
    if (!inRanges(u.hostname, allowedRanges)) return null;
    u.username = '';
    u.password = '';
    return { url: u.toString(), foreign: deviceAddress !== undefined && u.hostname !== deviceAddress };
  } catch {
    return null;
  }
}

/** Device-reported text, capped: a long value keeps its start plus a hash of the whole (stable for matching). */
export function capText(v: string | null | undefined, max = 128): string | null {
  if (!v) return null;
   
  const clean = v.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!clean) return null;
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max - 18)}~${createHash('sha256').update(clean).digest('hex').slice(0, 16)}`;
}

/** Is there an ONVIF device service here? Resolves its clock offset (ms) or throws a DeviceError. */
export async function checkOnvif(target: ProbeTarget, o: ProberOptions): Promise<number> {
  const client = new OnvifClient({ address: target.address, port: target.port, path: target.path }, o);
  try {
    const now = o.now ?? Date.now;
    const date = await client.getSystemDateAndTime();
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new DeviceError('malformed_response', 'the device clock is not a date');
    return date.getTime() - now();
  } finally {
    client.close();
  }
}

export async function probeDevice(target: ProbeTarget, creds: ScanCredentials | undefined, o: ProberOptions): Promise<DeviceDetails> {
  const out = emptyDetails();
  const now = o.now ?? Date.now;
  const client = new OnvifClient(
    { address: target.address, port: target.port, path: target.path, ...(creds ? { username: creds.username, password: creds.password } : {}) },
    o,
  );
  try {
    const date = await client.getSystemDateAndTime();
    if (date instanceof Date && !Number.isNaN(date.getTime())) out.clockOffsetMs = Math.round(date.getTime() - now());
    await client.connect();
    const info = await client.getDeviceInformation();
    out.manufacturer = capText(info.manufacturer);
    out.model = capText(info.model);
    out.firmware = capText(info.firmwareVersion, 64);
    out.serial = capText(info.serialNumber);
    out.hardwareId = capText(info.hardwareId);
    out.profiles = client.profiles().map((p) => ({ ...p, token: p.token.slice(0, 64), name: capText(p.name, 64) ?? '' }));
    if (out.profiles.length === 0) throw new DeviceError('not_onvif', 'the device reported no media profiles');
    const [main, sub] = out.profiles;
    const stream = async (token: string) => {
      const c = cleanMediaUri(await client.getStreamUri(token), ['rtsp:', 'rtsps:'], o.allowedRanges, target.address);
      if (c?.foreign) out.mediaHostMismatch = true;
      return c?.url ?? null;
    };
    if (main) {
      out.rtspMainUrl = await stream(main.token);
      // A snapshot is fetched with the camera's credentials: only from the device itself.
      out.snapshotUri = await client
        .getSnapshotUri(main.token)
        .then((u) => {
          const c = cleanMediaUri(u, ['http:', 'https:'], o.allowedRanges, target.address);
          return c && !c.foreign ? c.url : null;
        })
        .catch(() => null);
    }
    if (sub) out.rtspSubUrl = await stream(sub.token);
    out.hasPtz = client.hasPtzService() || out.profiles.some((p) => p.ptz);
  } catch (e) {
    const err = classifyError(e);
    out.error = err.code;
    out.errorDetail =
      err.code === 'auth_failed' && !creds ? 'no credentials were given and the device requires authentication for its details' : err.detail;
  } finally {
    client.close();
  }
  return out;
}
