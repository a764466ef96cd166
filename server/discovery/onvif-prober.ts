/**
 * Reads what a discovered device is, through ONVIF: clock (unauthenticated), then with the given
 * credentials device information, profiles, main/sub RTSP URIs, snapshot URI and PTZ. Any failure
 * becomes a classified error on the result; fields that need authentication stay empty.
 */
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
    error,
    errorDetail,
  };
}

/** A media URI a device reported, accepted only inside the allowed ranges and never with userinfo. */
export function cleanMediaUri(uri: string, schemes: readonly string[], allowedRanges: readonly string[]): string | null {
  try {
    const u = new URL(uri);
    if (!schemes.includes(u.protocol)) return null;
    if (!inRanges(u.hostname, allowedRanges)) return null;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return null;
  }
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
    out.manufacturer = info.manufacturer || null;
    out.model = info.model || null;
    out.firmware = info.firmwareVersion || null;
    out.serial = info.serialNumber || null;
    out.hardwareId = info.hardwareId || null;
    out.profiles = client.profiles();
    const [main, sub] = out.profiles;
    if (main) {
      out.rtspMainUrl = cleanMediaUri(await client.getStreamUri(main.token), ['rtsp:', 'rtsps:'], o.allowedRanges);
      out.snapshotUri = await client
        .getSnapshotUri(main.token)
        .then((u) => cleanMediaUri(u, ['http:', 'https:'], o.allowedRanges))
        .catch(() => null);
    }
    if (sub) out.rtspSubUrl = cleanMediaUri(await client.getStreamUri(sub.token), ['rtsp:', 'rtsps:'], o.allowedRanges);
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
