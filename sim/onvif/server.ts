/**
 * ONVIF device + media (+ PTZ) service of one simulated camera over HTTP (SOAP 1.2).
 * WS-UsernameToken auth on everything but GetSystemDateAndTime; wrong credentials get
 * HTTP 400 + SOAP fault ter:NotAuthorized (ONVIF core spec 5.12). Faults: slowSoap, malformed-xml.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Credentials, HttpAuthenticator } from '../auth/http-auth';
import type { FaultView } from '../faults';
import * as R from './responses';
import { envelope, parseSoap, soapFault, verifyUsernameToken, type SoapRequest } from './soap';

export interface OnvifServerOptions {
  address: string;
  port: number;
  device(): R.OnvifDevice;
  credentials(): Credentials;
  faults(): FaultView;
  snapshotPath: string;
  /** HTTP auth for the snapshot URL (Digest/Basic like real cameras). */
  snapshotAuth: HttpAuthenticator;
  now?: () => Date;
  /** Hostile mode: a raw SOAP body replacing the answer to an operation (undefined: the normal answer). */
  override?: (operation: string) => string | undefined;
}

export interface PtzState {
  moving: boolean;
  velocity: { x: number; y: number; zoom: number };
  moves: number;
}

interface Reply {
  status: number;
  body: string;
}

const NO_AUTH_OPS = new Set(['GetSystemDateAndTime']);

export class OnvifServer {
  private server?: Server;
  readonly ptz: PtzState = { moving: false, velocity: { x: 0, y: 0, zoom: 0 }, moves: 0 };
  private snapshot?: Buffer;

  constructor(private readonly o: OnvifServerOptions) {}

  /** The port listened on (the configured one, or the one the OS chose for port 0). */
  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.o.port;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.snapshot ??= await readFile(this.o.snapshotPath);
    const server = createServer((req, res) => void this.onRequest(req, res).catch(() => res.destroy()));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.address, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const f = this.o.faults();
    if (req.method === 'GET' && path === R.paths.snapshot) {
      const a = this.o.snapshotAuth.check(req.headers.authorization, 'GET', this.o.credentials());
      if (!a.ok) {
        res.writeHead(401, { 'WWW-Authenticate': a.challenge!, 'Content-Length': 0 }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': this.snapshot!.length }).end(this.snapshot);
      return;
    }
    if (req.method !== 'POST' || !Object.values(R.paths).includes(path)) {
      res.writeHead(404, { 'Content-Length': 0 }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1024 * 1024) return void res.destroy();
      chunks.push(c as Buffer);
    }
    const reply = this.dispatch(Buffer.concat(chunks).toString('utf8'), path);
    if (f.slowSoapMs > 0) await new Promise((r) => setTimeout(r, f.slowSoapMs));
    let body = reply.body;
    if (f.malformedXml) body = body.slice(0, Math.floor(body.length / 2)) + '<tt:Broken attr="';
    if (res.destroyed) return;
    res
      .writeHead(reply.status, {
        'Content-Type': 'application/soap+xml; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body);
  }

  /** Handle one SOAP request (exposed for unit tests). */
  dispatch(xml: string, path: string): Reply {
    let req: SoapRequest;
    try {
      req = parseSoap(xml);
    } catch (e) {
      return { status: 400, body: soapFault('Sender', 'ter:WellFormed', `bad request: ${(e as Error).message}`) };
    }
    if (!NO_AUTH_OPS.has(req.operation)) {
      const c = this.o.credentials();
      if (!verifyUsernameToken(req.token, c.username, c.password)) {
        return { status: 400, body: soapFault('Sender', 'ter:NotAuthorized', 'Sender not authorized') };
      }
    }
    const body = this.o.override?.(req.operation) ?? this.operation(req, path);
    if (body === undefined) {
      return { status: 400, body: soapFault('Sender', 'ter:ActionNotSupported', `${req.operation} not supported`) };
    }
    return { status: 200, body: envelope(body) };
  }

  private operation(req: SoapRequest, path: string): string | undefined {
    const d = this.o.device();
    const token = String((req.body['ProfileToken'] as string | undefined) ?? d.profiles[0]!.token);
    const prof = d.profiles.find((p) => p.token === token);
    switch (req.operation) {
      case 'GetSystemDateAndTime':
        return R.systemDateAndTime(this.o.now ? this.o.now() : new Date());
      case 'GetDeviceInformation':
        return R.deviceInformation(d);
      case 'GetCapabilities':
        return R.capabilities(d);
      case 'GetServices':
        return R.services(d);
      case 'GetScopes':
        return R.scopes(d);
      case 'GetVideoSources':
        return R.videoSources(d);
      case 'GetProfiles':
        return R.profiles(d);
      case 'GetProfile':
        return prof ? R.profile(d, prof) : undefined;
      case 'GetStreamUri':
        return prof ? R.streamUri(prof) : undefined;
      case 'GetSnapshotUri':
        return prof ? R.snapshotUri(prof) : undefined;
      case 'GetNodes':
        return d.hasPtz && path === R.paths.ptz ? R.ptzNodes() : undefined;
      case 'ContinuousMove': {
        if (!d.hasPtz || path !== R.paths.ptz) return undefined;
        const v = (req.body['Velocity'] ?? {}) as Record<string, Record<string, string>>;
        this.ptz.velocity = {
          x: Number(v['PanTilt']?.['@_x'] ?? 0),
          y: Number(v['PanTilt']?.['@_y'] ?? 0),
          zoom: Number(v['Zoom']?.['@_x'] ?? 0),
        };
        this.ptz.moving = true;
        this.ptz.moves += 1;
        return '<tptz:ContinuousMoveResponse/>';
      }
      case 'Stop':
        if (!d.hasPtz || path !== R.paths.ptz) return undefined;
        this.ptz.moving = false;
        this.ptz.velocity = { x: 0, y: 0, zoom: 0 };
        return '<tptz:StopResponse/>';
      default:
        return undefined;
    }
  }
}
