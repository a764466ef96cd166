/**
 * A small typed, promise-based wrapper around the `onvif` package's Cam, made safe for untrusted
 * devices: every connection goes through a guarded agent that only dials the one device address
 * (so service URLs a device reports cannot redirect us elsewhere), caps the bytes a reply may
 * carry and the time a request may take; every raw reply is also checked by the safe XML parser
 * (no DOCTYPE/entities, no prototype keys) before its parsed result is trusted.
 */
import type { DiscoveredProfile } from '@common/discovery';
import { Agent, type ClientRequestArgs } from 'node:http';
import { createConnection, type Socket } from 'node:net';
import onvif from 'onvif';
import { classifyError, DeviceError } from './errors';
import { MalformedXmlError, parseUntrustedXml, xmlPath, xmlText, type XmlNode } from './safe-xml';

export interface OnvifTarget {
  /** Literal IPv4 address of the device (already checked against the allowed ranges). */
  address: string;
  port: number;
  path?: string;
  username?: string;
  password?: string;
}

export interface OnvifLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** Dials only `address`; destroys a connection that receives more than maxBytes or lives too long. */
class GuardedAgent extends Agent {
  /** Set once a reply was cut off for being too large (the package may swallow that error). */
  oversized = false;

  constructor(
    private readonly address: string,
    private readonly limits: OnvifLimits,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(options: ClientRequestArgs, cb?: (err: Error | null, socket: Socket) => void): Socket {
    const host = options.host ?? options.hostname;
    const socket = createConnection({ host: this.address, port: Number(options.port) });
    if (host !== this.address) {
      socket.destroy(Object.assign(new Error(`refusing to connect to ${String(host)}: not the device address`), { code: 'EHOSTUNREACH' }));
      return socket;
    }
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > this.limits.maxBytes) {
        this.oversized = true;
        socket.destroy(Object.assign(new Error(`reply larger than ${this.limits.maxBytes} bytes`), { code: 'ERESPONSETOOLARGE' }));
      }
    });
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error('the device did not answer in time'), { code: 'ETIMEDOUT' })),
      this.limits.timeoutMs,
    );
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    void cb;
    return socket;
  }
}

/** The parts of the package's Cam this wrapper uses (the package's own types are loose). */
interface RawCam {
  timeShift?: number;
  profiles?: RawProfile[];
  uri?: Record<string, unknown>;
  capabilities?: { PTZ?: unknown; ptz?: unknown };
  on(event: 'rawResponse', fn: (xml: string, status: number) => void): void;
  connect(cb: (err: Error | null) => void): void;
  getSystemDateAndTime(cb: (err: Error | null, date?: Date) => void): void;
  getDeviceInformation(cb: (err: Error | null, info?: Record<string, unknown>) => void): void;
  getStreamUri(o: { protocol: string; profileToken: string }, cb: (err: Error | null, r?: { uri?: unknown }) => void): void;
  getSnapshotUri(o: { profileToken: string }, cb: (err: Error | null, r?: { uri?: unknown }) => void): void;
  getActiveSources(): void;
}

export interface RawProfile {
  $?: { token?: string };
  name?: unknown;
  videoEncoderConfiguration?: { encoding?: unknown; resolution?: { width?: unknown; height?: unknown } };
  PTZConfiguration?: unknown;
  ptzConfiguration?: unknown;
}

export interface OnvifDeviceInformation {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}

/** A media profile as the registry and the console show it. */
export type OnvifProfile = DiscoveredProfile;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : Number.isFinite(Number(v)) && v !== '' && v !== undefined ? Number(v) : null);

/** One ONVIF device session. Calls run one at a time (the raw-reply check relies on it). */
export class OnvifClient {
  private readonly cam: RawCam;
  private unsafeReply: Error | undefined;
  /** The last raw reply, parsed by the safe parser with every value kept as text. */
  private lastDoc: XmlNode | undefined;
  private lastFaultAuth = false;
  /** Set when the package could not tie a profile to the device's video source (it throws out of a reply handler). */
  private noVideoSource = false;
  private readonly agent: GuardedAgent;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly target: OnvifTarget,
    private readonly limits: OnvifLimits,
  ) {
    this.agent = new GuardedAgent(target.address, limits);
    const Cam = (onvif as unknown as { Cam: new (o: Record<string, unknown>) => RawCam }).Cam;
    this.cam = new Cam({
      hostname: target.address,
      port: target.port,
      path: target.path ?? '/onvif/device_service',
      ...(target.username ? { username: target.username, password: target.password ?? '' } : {}),
      timeout: limits.timeoutMs,
      autoconnect: false,
      preserveAddress: true,
      agent: this.agent,
    });
    // The package throws "Unrecognized configuration" from inside a reply handler when no profile
    // carries a VideoSourceConfiguration (+ encoder) for the first video source: the connect
    // callback then never runs and the device would be reported as a timeout. Catch it here.
    const getActiveSources = this.cam.getActiveSources.bind(this.cam);
    this.cam.getActiveSources = () => {
      try {
        getActiveSources();
      } catch {
        this.noVideoSource = true;
      }
    };
    this.cam.on('rawResponse', (xml) => {
      try {
        this.lastDoc = parseUntrustedXml(xml, limits.maxBytes);
        this.lastFaultAuth = /NotAuthorized/.test(xml);
      } catch (e) {
        this.unsafeReply = e as Error;
      }
    });
  }

  private call<T>(fn: (cb: (err: Error | null, v?: T) => void) => void): Promise<T> {
    const run = () =>
      new Promise<T>((resolve, reject) => {
        this.unsafeReply = undefined;
        this.lastFaultAuth = false;
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          reject(new DeviceError('timeout', 'the device did not answer in time'));
        }, this.limits.timeoutMs + 250);
        timer.unref();
        try {
          fn((err, v) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (this.unsafeReply) return reject(new MalformedXmlError(this.unsafeReply.message));
            if (err && this.lastFaultAuth) return reject(new DeviceError('auth_failed', 'the device refused the credentials'));
            if (err) return reject(err);
            resolve(v as T);
          });
        } catch (e) {
          settled = true;
          clearTimeout(timer);
          reject(e as Error);
        }
      }).catch((e: unknown) => {
        throw classifyError(e);
      });
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Unauthenticated: answers whether this is an ONVIF device, and its clock. */
  getSystemDateAndTime(): Promise<Date> {
    return this.call<Date>((cb) => this.cam.getSystemDateAndTime(cb));
  }

  /** Time sync, services/capabilities and profiles (authenticated). */
  async connect(): Promise<void> {
    await this.call<void>((cb) => this.cam.connect((err) => cb(err)));
    if (this.agent.oversized) throw new DeviceError('malformed_response', 'the reply was larger than allowed');
    if (this.noVideoSource) throw new DeviceError('malformed_response', 'no media profile is tied to a video source (VideoSourceConfiguration missing)');
  }

  async getDeviceInformation(): Promise<OnvifDeviceInformation> {
    const info = await this.call<Record<string, unknown>>((cb) => this.cam.getDeviceInformation(cb));
    // The package turns "1.10" into the number 1.1: read the values as text from the raw reply.
    const raw = xmlPath(this.lastDoc, 'Envelope', 'Body', 'GetDeviceInformationResponse');
    if (raw) {
      const t = (k: string) => xmlText(xmlPath(raw, k)) ?? '';
      return { manufacturer: t('Manufacturer'), model: t('Model'), firmwareVersion: t('FirmwareVersion'), serialNumber: t('SerialNumber'), hardwareId: t('HardwareId') };
    }
    return {
      manufacturer: str(info?.manufacturer),
      model: str(info?.model),
      firmwareVersion: str(info?.firmwareVersion),
      serialNumber: str(info?.serialNumber),
      hardwareId: str(info?.hardwareId),
    };
  }

  profiles(): OnvifProfile[] {
    return (this.cam.profiles ?? []).slice(0, 32).map((p) => ({
      token: str(p.$?.token),
      name: str(p.name),
      encoding: str(p.videoEncoderConfiguration?.encoding) || null,
      width: num(p.videoEncoderConfiguration?.resolution?.width),
      height: num(p.videoEncoderConfiguration?.resolution?.height),
      ptz: Boolean(p.PTZConfiguration ?? p.ptzConfiguration),
    }));
  }

  /** Whether the device advertises a PTZ service. */
  hasPtzService(): boolean {
    const uri = this.cam.uri ?? {};
    return Boolean(uri['ptz']) || Boolean(this.cam.capabilities?.PTZ ?? this.cam.capabilities?.ptz);
  }

  async getStreamUri(profileToken: string): Promise<string> {
    const r = await this.call<{ uri?: unknown }>((cb) => this.cam.getStreamUri({ protocol: 'RTSP', profileToken }, cb));
    return str(r?.uri);
  }

  async getSnapshotUri(profileToken: string): Promise<string> {
    const r = await this.call<{ uri?: unknown }>((cb) => this.cam.getSnapshotUri({ profileToken }, cb));
    return str(r?.uri);
  }

  close(): void {
    this.agent.destroy();
  }
}
