/** WS-Discovery (2005/04) messages for ONVIF NVTs: parse Probe, build ProbeMatches/Hello/Bye (pure). */
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { NS, xmlEscape as x } from '../onvif/soap';

export const WSD_ADDRESS = '239.255.255.250';
export const WSD_PORT = 3702;
const TO_DISCOVERY = 'urn:schemas-xmlsoap-org:ws:2005:04:discovery';
const ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';
export const DEVICE_TYPES = 'dn:NetworkVideoTransmitter tds:Device';

export interface DiscoveryTarget {
  endpointReference: string;
  scopes: string[];
  xaddrs: string[];
  metadataVersion: number;
}

export interface Probe {
  messageId: string;
  types: string[];
  scopes: string[];
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false });

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return str((v as Record<string, unknown>)['#text']);
  return String(v);
}

/** Returns the Probe, or undefined if the datagram is not a Probe. */
export function parseProbe(xml: string): Probe | undefined {
  try {
    const env = (parser.parse(xml) as Record<string, Record<string, Record<string, unknown>>>)['Envelope'];
    const probe = env?.['Body']?.['Probe'];
    if (probe === undefined) return undefined;
    const p = (typeof probe === 'object' && probe ? probe : {}) as Record<string, unknown>;
    const words = (v: unknown) => str(v).split(/\s+/).filter(Boolean);
    return { messageId: str(env?.['Header']?.['MessageID']), types: words(p['Types']), scopes: words(p['Scopes']) };
  } catch {
    return undefined;
  }
}

/** Types match if none are asked, or any asked local name is one we are. */
export function probeMatches(p: Probe, t: DiscoveryTarget): boolean {
  const ours = new Set(['NetworkVideoTransmitter', 'Device']);
  const typeOk = p.types.length === 0 || p.types.some((q) => ours.has(q.split(':').pop()!));
  const scopeOk = p.scopes.every((s) => t.scopes.some((o) => o === s || o.startsWith(s.endsWith('/') ? s : `${s}/`)));
  return typeOk && scopeOk;
}

function env(action: string, header: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa04}" xmlns:d="${NS.wsd}" xmlns:dn="${NS.dn}" xmlns:tds="${NS.tds}">` +
    `<s:Header><a:MessageID>urn:uuid:${randomUUID()}</a:MessageID>${header}` +
    `<a:Action>${NS.wsd}/${action}</a:Action></s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

function matchBody(t: DiscoveryTarget): string {
  return (
    `<a:EndpointReference><a:Address>${x(t.endpointReference)}</a:Address></a:EndpointReference>` +
    `<d:Types>${DEVICE_TYPES}</d:Types><d:Scopes>${t.scopes.map(x).join(' ')}</d:Scopes>` +
    `<d:XAddrs>${t.xaddrs.map(x).join(' ')}</d:XAddrs><d:MetadataVersion>${t.metadataVersion}</d:MetadataVersion>`
  );
}

export function probeMatchesXml(t: DiscoveryTarget, relatesTo: string): string {
  return env(
    'ProbeMatches',
    `<a:RelatesTo>${x(relatesTo)}</a:RelatesTo><a:To>${ANONYMOUS}</a:To>`,
    `<d:ProbeMatches><d:ProbeMatch>${matchBody(t)}</d:ProbeMatch></d:ProbeMatches>`,
  );
}

export function helloXml(t: DiscoveryTarget): string {
  return env('Hello', `<a:To>${TO_DISCOVERY}</a:To>`, `<d:Hello>${matchBody(t)}</d:Hello>`);
}

export function byeXml(t: DiscoveryTarget): string {
  return env(
    'Bye',
    `<a:To>${TO_DISCOVERY}</a:To>`,
    `<d:Bye><a:EndpointReference><a:Address>${x(t.endpointReference)}</a:Address></a:EndpointReference></d:Bye>`,
  );
}

export function probeXml(types = 'dn:NetworkVideoTransmitter', messageId = `uuid:${randomUUID()}`): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa04}" xmlns:d="${NS.wsd}" xmlns:dn="${NS.dn}">` +
    `<s:Header><a:MessageID>${messageId}</a:MessageID><a:To>${TO_DISCOVERY}</a:To>` +
    `<a:Action>${NS.wsd}/Probe</a:Action></s:Header>` +
    `<s:Body><d:Probe><d:Types>${types}</d:Types></d:Probe></s:Body></s:Envelope>`
  );
}

/** Pull EndpointReference + XAddrs out of a ProbeMatches/Hello/Bye (for tests and tools). */
export function parseAnnouncement(xml: string): { action: string; endpointReference: string; xaddrs: string[] } | undefined {
  try {
    const e = (parser.parse(xml) as Record<string, Record<string, Record<string, unknown>>>)['Envelope'];
    const body = e?.['Body'] ?? {};
    const kind = Object.keys(body)[0];
    if (!kind) return undefined;
    let m = body[kind] as Record<string, unknown>;
    if (kind === 'ProbeMatches') m = m['ProbeMatch'] as Record<string, unknown>;
    if (Array.isArray(m)) m = m[0] as Record<string, unknown>;
    const epr = str((m['EndpointReference'] as Record<string, unknown> | undefined)?.['Address']);
    return { action: kind, endpointReference: epr, xaddrs: str(m['XAddrs']).split(/\s+/).filter(Boolean) };
  } catch {
    return undefined;
  }
}
