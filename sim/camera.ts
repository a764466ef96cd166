/**
 * One simulated IP camera: RTSP server + ONVIF service + WS-Discovery responder on its own
 * loopback address, with runtime fault injection. Children (ffmpeg, loop and live-clock modes) run
 * only while watched; in replay mode the streams come from memory (rtsp/replay-source.ts).
 */
import { HttpAuthenticator } from './auth/http-auth';
import { DiscoveryResponder } from './discovery/responder';
import { FaultState, type FaultView } from './faults';
import type { PreparedStream } from './media/cache';
import { FFMPEG, findFont } from './media/cache';
import { liveClockArgs, loopPublishArgs, type PublishTarget } from './media/ffmpeg-args';
import { spawnChild } from './media/process';
import { paths, scopesFor, type OnvifDevice, type OnvifProfile } from './onvif/responses';
import { OnvifServer } from './onvif/server';
import { buildSdp } from './rtsp/sdp';
import { RtspServer, type RtspStream } from './rtsp/server';
import type { ReplayClip } from './media/replay-clip';
import { ReplaySource } from './rtsp/replay-source';
import { StreamSource, type MediaSource } from './rtsp/source';
import type { AuthMode, CameraKind, Fault, LatLon, SimMode } from './types';

export interface CameraSpec {
  index: number;
  id: string;
  name: string;
  kind: CameraKind;
  address: string;
  location: LatLon;
  endpointReference: string;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hasPtz: boolean;
  username: string;
  password: string;
  auth: AuthMode;
  mode: SimMode;
  rtspPort: number;
  onvifPort: number;
  /** UDP RTP port (even); RTCP = +1. */
  rtpPort: number;
  main: PreparedStream;
  sub?: PreparedStream;
  /** The streams' clips as RTP templates: required in replay mode (media/replay-clip.ts). */
  replay?: { main: ReplayClip; sub?: ReplayClip };
  startOnvif: boolean;
  startDiscovery: boolean;
  faults: Fault[];
  sessionTimeoutSec?: number;
  dropAfterMs?: number;
}

const REALM = 'SkyEyeSim';

export class SimCamera {
  readonly id: string;
  readonly index: number;
  readonly name: string;
  readonly kind: CameraKind;
  readonly address: string;
  readonly endpointReference: string;
  readonly username: string;
  readonly location: LatLon;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
  readonly serial: string;
  readonly hasPtz: boolean;
  readonly onvifUrl: string;

  private readonly faultState = new FaultState();
  private readonly sources: { main: MediaSource; sub?: MediaSource };
  readonly rtsp: RtspServer;
  readonly onvif?: OnvifServer;
  readonly discovery?: DiscoveryResponder;
  private rebootTimer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private wasRebooting = false;
  private stopped = false;
  private readonly basePassword: string;

  constructor(private readonly spec: CameraSpec) {
    this.id = spec.id;
    this.index = spec.index;
    this.name = spec.name;
    this.kind = spec.kind;
    this.address = spec.address;
    this.endpointReference = spec.endpointReference;
    this.username = spec.username;
    this.basePassword = spec.password;
    this.location = spec.location;
    this.manufacturer = spec.manufacturer;
    this.model = spec.model;
    this.firmware = spec.firmware;
    this.serial = spec.serial;
    this.hasPtz = spec.hasPtz;
    this.onvifUrl = `http://${spec.address}:${spec.onvifPort}${paths.device}`;
    for (const f of spec.faults) this.faultState.set(f, Date.now());

    const font = findFont();
    const publisher = (p: PreparedStream) => (t: PublishTarget) =>
      spawnChild(FFMPEG, spec.mode === 'live-clock' ? liveClockArgs(p.profile, t, font) : loopPublishArgs(p.clipPath, t));
    const source = (p: PreparedStream, clip: ReplayClip | undefined): MediaSource => {
      if (spec.mode !== 'replay') return new StreamSource(publisher(p));
      if (!clip) throw new Error(`camera ${spec.id}: replay mode needs the ${p.profile.name} clip (replayClip)`);
      return new ReplaySource(clip);
    };
    this.sources = {
      main: source(spec.main, spec.replay?.main),
      sub: spec.sub ? source(spec.sub, spec.replay?.sub) : undefined,
    };
    this.rtsp = new RtspServer({
      address: spec.address,
      port: spec.rtspPort,
      udpPort: spec.rtpPort,
      auth: new HttpAuthenticator(spec.auth, REALM),
      credentials: () => this.credentials(),
      faults: () => this.faults(),
      resolve: (path) => this.resolveStream(path),
      sessionTimeoutSec: spec.sessionTimeoutSec,
      dropAfterMs: spec.dropAfterMs,
    });
    if (spec.startOnvif) {
      this.onvif = new OnvifServer({
        address: spec.address,
        port: spec.onvifPort,
        device: () => this.onvifDevice(),
        credentials: () => this.credentials(),
        faults: () => this.faults(),
        snapshotPath: spec.main.snapshotPath,
        snapshotAuth: new HttpAuthenticator(spec.auth === 'none' ? 'none' : 'digest', REALM),
      });
    }
    if (spec.startDiscovery) {
      this.discovery = new DiscoveryResponder(spec.address, () => ({
        endpointReference: this.endpointReference,
        scopes: scopesFor(this),
        xaddrs: [this.onvifUrl],
        metadataVersion: 1,
      }));
    }
  }

  /** The password clients must use now (changes under the wrong-credentials fault). */
  get password(): string {
    return this.basePassword;
  }

  private credentials() {
    const f = this.faults();
    return { username: this.username, password: f.wrongCredentials ? `${this.basePassword}#changed` : this.basePassword };
  }

  faults(): FaultView {
    return this.faultState.view(Date.now());
  }

  private streamPath(which: 'main' | 'sub'): string {
    const g = this.faults().streamGeneration;
    return g ? `/v${g + 1}/${which}` : `/${which}`;
  }

  get rtspMainUrl(): string {
    return `rtsp://${this.address}:${this.spec.rtspPort}${this.streamPath('main')}`;
  }

  get rtspSubUrl(): string {
    return `rtsp://${this.address}:${this.spec.rtspPort}${this.streamPath(this.spec.sub ? 'sub' : 'main')}`;
  }

  get snapshotUrl(): string {
    return `http://${this.address}:${this.spec.onvifPort}${paths.snapshot}`;
  }

  /** Pid of the running publisher of a stream, if any (for tests). */
  publisherPid(which: 'main' | 'sub' = 'main'): number | undefined {
    return this.sources[which]?.publisherPid;
  }

  get ptzState() {
    return this.onvif?.ptz;
  }

  private resolveStream(path: string): RtspStream | undefined {
    const make = (p: PreparedStream, source: MediaSource): RtspStream => ({
      source,
      sdp: () =>
        buildSdp({
          address: this.address,
          sessionId: String(1_000_000 + this.index),
          name: this.name,
          payloadType: source.payloadType,
          sprop: p.sprop,
          profileLevelId: p.profileLevelId,
          width: p.profile.width,
          height: p.profile.height,
          fps: p.profile.fps,
        }),
    });
    if (path === this.streamPath('main')) return make(this.spec.main, this.sources.main);
    if (this.spec.sub && this.sources.sub && path === this.streamPath('sub')) return make(this.spec.sub, this.sources.sub);
    return undefined;
  }

  private onvifDevice(): OnvifDevice {
    const prof = (token: string, p: PreparedStream, uri: string): OnvifProfile => ({
      token,
      name: token === 'Profile_1' ? 'mainStream' : 'subStream',
      width: p.profile.width,
      height: p.profile.height,
      fps: p.profile.fps,
      gop: p.profile.gop,
      bitrateKbps: p.profile.bitrateKbps,
      streamUri: uri,
      snapshotUri: this.snapshotUrl,
    });
    const profiles = [prof('Profile_1', this.spec.main, this.rtspMainUrl)];
    if (this.spec.sub) profiles.push(prof('Profile_2', this.spec.sub, this.rtspSubUrl));
    return {
      manufacturer: this.manufacturer,
      model: this.model,
      firmware: this.firmware,
      serial: this.serial,
      hardwareId: `${this.model}-HW1`,
      name: this.name,
      location: this.location,
      baseUrl: `http://${this.address}:${this.spec.onvifPort}`,
      hasPtz: this.hasPtz,
      profiles,
      scopes: scopesFor(this),
    };
  }

  async start(): Promise<void> {
    await this.apply();
  }

  setFault(fault: Fault): void {
    const kind = this.faultState.set(fault, Date.now());
    if (kind === 'drop' || kind === 'change-stream-uri') this.rtsp.dropPlaying();
    if (kind === 'clock-reset') this.resetClocks();
    void this.apply();
  }

  /** The camera restarts its RTP clock: every stream's timestamps jump back to where they began. */
  resetClocks(): void {
    this.sources.main.resetClock();
    this.sources.sub?.resetClock();
  }

  clearFault(): void {
    this.faultState.clear();
    void this.apply();
  }

  /** Wait until pending fault transitions (listeners closing/opening) are done. */
  settled(): Promise<void> {
    return this.chain;
  }

  private apply(): Promise<void> {
    this.chain = this.chain.then(() => this.applyNow()).catch((e: unknown) => {
      process.emitWarning(`camera ${this.id}: ${(e as Error).message}`);
    });
    return this.chain;
  }

  private async applyNow(): Promise<void> {
    if (this.stopped) return;
    const f = this.faults();
    clearTimeout(this.rebootTimer);
    if (f.rebooting) {
      const ms = Math.max(0, this.faultState.rebootEndsAt() - Date.now());
      this.rebootTimer = setTimeout(() => void this.apply(), ms + 5);
    }
    if (f.down) {
      if (f.rebooting && !this.wasRebooting) await this.discovery?.stop(true);
      this.wasRebooting = f.rebooting;
      await this.rtsp.stop();
      await this.onvif?.stop();
      return;
    }
    this.wasRebooting = false;
    await this.rtsp.start();
    await this.onvif?.start();
    await this.discovery?.start(true);
  }

  async stop(): Promise<void> {
    await this.chain;
    this.stopped = true;
    clearTimeout(this.rebootTimer);
    await this.discovery?.stop(true);
    await this.rtsp.stop();
    await this.onvif?.stop();
    await this.sources.main.close();
    await this.sources.sub?.close();
  }
}
