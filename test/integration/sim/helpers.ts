import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { parseAnnouncement, probeXml, WSD_ADDRESS, WSD_PORT } from '@sim/index';

/** A loopback octet range unlikely to collide with other test runs on this machine. */
export function testBaseOctet(slot: number): number {
  return 150 + ((process.pid * 7 + slot * 13) % 90);
}

export interface ProbeResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** ffprobe a URL; credentials go in the URL here because this is the client side of a test. */
export function ffprobe(url: string, transport: 'tcp' | 'udp', timeoutMs = 15000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      'ffprobe',
      ['-v', 'error', '-rtsp_transport', transport, '-timeout', '5000000', '-select_streams', 'v:0',
        '-show_entries', 'stream=codec_name,width,height', '-of', 'json', url],
      { timeout: timeoutMs, killSignal: 'SIGKILL' },
      (e, stdout, stderr) => resolve({ ok: !e, stdout, stderr }),
    );
  });
}

export function withCreds(url: string, user: string, pass: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = pass;
  return u.toString();
}

/** Multicast a Probe on loopback and collect ProbeMatches for `waitMs`. */
export async function multicastProbe(waitMs = 800): Promise<{ endpointReference: string; xaddrs: string[] }[]> {
  const s = createSocket({ type: 'udp4' });
  const out: { endpointReference: string; xaddrs: string[] }[] = [];
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  s.setMulticastInterface('127.0.0.1');
  s.setMulticastTTL(1);
  s.on('message', (m) => {
    const a = parseAnnouncement(m.toString('utf8'));
    if (a?.action === 'ProbeMatches') out.push(a);
  });
  s.send(probeXml(), WSD_PORT, WSD_ADDRESS);
  await new Promise((r) => setTimeout(r, waitMs));
  s.close();
  return out;
}

/** Listen for Hello/Bye announcements on the group. */
export async function listenAnnouncements(): Promise<{ events: { action: string; endpointReference: string }[]; close(): void }> {
  const s = createSocket({ type: 'udp4', reuseAddr: true });
  const events: { action: string; endpointReference: string }[] = [];
  s.on('message', (m) => {
    const a = parseAnnouncement(m.toString('utf8'));
    if (a && (a.action === 'Hello' || a.action === 'Bye')) events.push(a);
  });
  await new Promise<void>((r) => s.bind(WSD_PORT, WSD_ADDRESS, () => r()));
  s.addMembership(WSD_ADDRESS, '127.0.0.1');
  return { events, close: () => s.close() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
