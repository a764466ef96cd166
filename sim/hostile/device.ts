/**
 * Hostile mode of the simulator: a fake ONVIF device built to attack a discovery client, on its
 * own loopback address (real network peer, no ffmpeg). It answers WS-Discovery Probes (unicast,
 * on <address>:3702) with whatever identity it is told to claim, optionally many ProbeMatch
 * entries per datagram or a spoofed reply from another address; serves ONVIF with chosen device
 * information, clock, stream/snapshot URIs or raw replacement replies; and runs an RTSP endpoint
 * that offers chosen WWW-Authenticate challenges and records every Authorization it receives.
 */
import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpAuthenticator } from '../auth/http-auth';
import { parseProbe } from '../discovery/messages';
import { NS, xmlEscape as x } from '../onvif/soap';
import { paths, type OnvifDevice } from '../onvif/responses';
import { OnvifServer } from '../onvif/server';
import { RtspFramer, getHeader } from '@protocol/rtsp/framer';

export interface HostileOptions {
  address: string;
  endpointReference: string;
  username?: string;
  password?: string;
  manufacturer?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  /** The device clock (GetSystemDateAndTime). */
  clock?: () => Date;
  /** Main stream URI the device reports; default its own RTSP endpoint. */
  streamUri?: string;
  snapshotUri?: string;
  /** Raw SOAP bodies replacing an operation's answer, e.g. { GetProfiles: '<trt:GetProfilesResponse/>' }. */
  override?: Record<string, string>;
  /** ProbeMatch entries per reply datagram (extra ones get endpoint "<endpoint>-<n>"). */
  matchesPerReply?: number;
  /** Extra ProbeMatch entries carry only an endpoint reference (so hundreds fit one datagram). */
  compactMatches?: boolean;
  /** Send the reply this many times. */
  repliesPerProbe?: number;
  /** Also answer each Probe from other addresses, as other devices (spoofing). */
  alsoReplyFrom?: Array<{ address: string; endpointReference: string; xaddr: string }>;
  /** WWW-Authenticate headers the RTSP endpoint offers, in order. Default Digest. */
  rtspChallenges?: string[];
  startDiscovery?: boolean;
}

const SDP = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=hostile\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n';

export class HostileDevice {
  readonly authorizations: string[] = [];
  readonly onvifRequests: string[] = [];
  private onvif!: OnvifServer;
  private rtsp?: Server;
  private rtspPort = 0;
  private sockets: Socket[] = [];

  constructor(readonly o: HostileOptions) {}

  get onvifUrl(): string {
    return `http://${this.o.address}:${this.onvif.port}${paths.device}`;
  }

  get rtspUrl(): string {
    return `rtsp://${this.o.address}:${this.rtspPort}/main`;
  }

  async start(): Promise<this> {
    const snapshot = join(tmpdir(), 'skyeye-hostile-snapshot.jpg');
    writeFileSync(snapshot, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    await this.startRtsp();
    const o = this.o;
    this.onvif = new OnvifServer({
      address: o.address,
      port: 0,
      device: () => this.device(),
      credentials: () => ({ username: o.username ?? 'admin', password: o.password ?? 'hostile-pass' }),
      faults: () => ({ down: false, rebooting: false, wrongCredentials: false, stall: false, drop: false, malformedXml: false, clockReset: false, slowSoapMs: 0, streamGeneration: 0 }),
      snapshotPath: snapshot,
      snapshotAuth: new HttpAuthenticator('digest', 'hostile'),
      ...(o.clock ? { now: o.clock } : {}),
      override: (op) => {
        this.onvifRequests.push(op);
        return o.override?.[op];
      },
    });
    await this.onvif.start();
    if (o.startDiscovery !== false) await this.startDiscovery();
    return this;
  }

  private device(): OnvifDevice {
    const o = this.o;
    const base = `http://${o.address}:${this.onvif.port}`;
    const profile = (token: string, w: number, h: number, uri: string) => ({ token, name: token, width: w, height: h, fps: 25, gop: 50, bitrateKbps: 2000, streamUri: uri, snapshotUri: o.snapshotUri ?? `${base}${paths.snapshot}` });
    return {
      manufacturer: o.manufacturer ?? 'Hostile',
      model: o.model ?? 'H-1',
      firmware: o.firmware ?? '1.0',
      serial: o.serial ?? 'HOSTILE-1',
      hardwareId: 'hw',
      name: 'hostile',
      location: { lat: 30, lon: 120 },
      baseUrl: base,
      hasPtz: false,
      profiles: [profile('main', 1280, 720, o.streamUri ?? this.rtspUrl)],
      scopes: ['onvif://www.onvif.org/type/Network_Video_Transmitter'],
    };
  }

  private match(endpoint: string, xaddr = this.onvifUrl, compact = false): string {
    if (compact) return `<d:ProbeMatch><a:EndpointReference><a:Address>${x(endpoint)}</a:Address></a:EndpointReference></d:ProbeMatch>`;
    return (
      `<d:ProbeMatch><a:EndpointReference><a:Address>${x(endpoint)}</a:Address></a:EndpointReference>` +
      `<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/type/Network_Video_Transmitter</d:Scopes>` +
      `<d:XAddrs>${x(xaddr)}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>`
    );
  }

  private reply(relatesTo: string, as?: { endpointReference: string; xaddr: string }): string {
    const n = as ? 1 : (this.o.matchesPerReply ?? 1);
    const matches = as ? this.match(as.endpointReference, as.xaddr) : Array.from({ length: n }, (_, i) => (i === 0 ? this.match(this.o.endpointReference) : this.match(`${this.o.endpointReference}-${i}`, undefined, this.o.compactMatches))).join('');
    return (
      `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.soap}" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
      `<s:Header><a:MessageID>uuid:hostile-${Date.now()}</a:MessageID><a:RelatesTo>${x(relatesTo)}</a:RelatesTo>` +
      `<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>` +
      `<s:Body><d:ProbeMatches>${matches}</d:ProbeMatches></s:Body></s:Envelope>`
    );
  }

  private async bindUdp(address: string, port: number): Promise<Socket> {
    const s = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, address, () => resolve());
    });
    this.sockets.push(s);
    return s;
  }

  private async startDiscovery(): Promise<void> {
    const s = await this.bindUdp(this.o.address, 3702);
    const spoofers = await Promise.all((this.o.alsoReplyFrom ?? []).map(async (a) => ({ socket: await this.bindUdp(a.address, 0), as: a })));
    s.on('message', (msg, rinfo) => {
      const probe = parseProbe(msg.toString('utf8'));
      if (!probe) return;
      const out = Buffer.from(this.reply(probe.messageId));
      for (let i = 0; i < (this.o.repliesPerProbe ?? 1); i++) {
        s.send(out, rinfo.port, rinfo.address);
        for (const sp of spoofers) sp.socket.send(Buffer.from(this.reply(probe.messageId, sp.as)), rinfo.port, rinfo.address);
      }
    });
  }

  private async startRtsp(): Promise<void> {
    const challenges = this.o.rtspChallenges ?? ['Digest realm="hostile", nonce="n0nce"'];
    this.rtsp = createServer((c) => {
      const framer = new RtspFramer();
      c.on('error', () => c.destroy());
      c.on('data', (chunk: Buffer) => {
        let items;
        try {
          items = framer.push(chunk);
        } catch {
          return c.destroy();
        }
        for (const m of items) {
          if (m.type !== 'message') continue;
          const cseq = getHeader(m.headers, 'cseq') ?? '0';
          const auth = getHeader(m.headers, 'authorization');
          if (auth) this.authorizations.push(auth);
          if (!auth) {
            c.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\n${challenges.map((h) => `WWW-Authenticate: ${h}\r\n`).join('')}\r\n`);
          } else {
            c.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nContent-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`);
          }
        }
      });
    });
    await new Promise<void>((resolve) => this.rtsp!.listen(0, this.o.address, () => resolve()));
    this.rtspPort = (this.rtsp.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets.splice(0)) s.close();
    await this.onvif?.stop();
    const r = this.rtsp;
    this.rtsp = undefined;
    if (r) await new Promise<void>((resolve) => r.close(() => resolve()));
  }
}

export async function startHostileDevice(o: HostileOptions): Promise<HostileDevice> {
  return new HostileDevice(o).start();
}
