/**
 * WS-Discovery responder of one camera. A multicast socket (239.255.255.250:3702, joined on
 * 127.0.0.1, reuseAddr) and a unicast socket on <camera address>:3702; replies go unicast to the
 * sender (loopback only). Hello/Bye are multicast on 127.0.0.1 with TTL 1, never another interface.
 */
import { createSocket, type Socket } from 'node:dgram';
import { byeXml, helloXml, parseProbe, probeMatches, probeMatchesXml, WSD_ADDRESS, WSD_PORT, type DiscoveryTarget } from './messages';

export class DiscoveryResponder {
  private mcast?: Socket;
  private ucast?: Socket;
  probesAnswered = 0;

  constructor(
    private readonly address: string,
    private readonly target: () => DiscoveryTarget,
    private readonly port = WSD_PORT,
  ) {}

  get running(): boolean {
    return this.ucast !== undefined;
  }

  async start(sendHello = true): Promise<void> {
    if (this.ucast) return;
    const bind = (addr: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = createSocket({ type: 'udp4', reuseAddr: true });
        s.once('error', reject);
        s.on('message', (m, r) => this.onMessage(m, r.address, r.port));
        s.bind(this.port, addr, () => {
          s.removeListener('error', reject);
          s.on('error', () => undefined);
          resolve(s);
        });
      });
    this.ucast = await bind(this.address);
    this.ucast.setMulticastInterface('127.0.0.1');
    this.ucast.setMulticastTTL(1);
    this.ucast.setMulticastLoopback(true);
    this.mcast = await bind(WSD_ADDRESS);
    this.mcast.addMembership(WSD_ADDRESS, '127.0.0.1');
    if (sendHello) await this.announce(helloXml(this.target()));
  }

  async stop(sendBye = true): Promise<void> {
    if (!this.ucast) return;
    if (sendBye) await this.announce(byeXml(this.target()));
    const socks = [this.mcast, this.ucast];
    this.mcast = this.ucast = undefined;
    for (const s of socks) {
      try {
        s?.close();
      } catch {
        /* closed */
      }
    }
  }

  private announce(xml: string): Promise<void> {
    const s = this.ucast;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.send(xml, this.port, WSD_ADDRESS, () => resolve()));
  }

  private onMessage(msg: Buffer, from: string, port: number): void {
    if (!from.startsWith('127.')) return; // loopback peers only
    const probe = parseProbe(msg.toString('utf8'));
    if (!probe) return;
    const t = this.target();
    if (!probeMatches(probe, t)) return;
    const reply = probeMatchesXml(t, probe.messageId);
    const delay = Math.floor(Math.random() * 50);
    setTimeout(() => {
      this.probesAnswered += 1;
      this.ucast?.send(reply, port, from);
    }, delay);
  }
}
