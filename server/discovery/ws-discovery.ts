/**
 * WS-Discovery (2005/04) messages as ONVIF devices speak them (pure): build a Probe, parse
 * ProbeMatches from untrusted datagrams, and decide which reported XAddrs may be followed.
 */
import { randomUUID } from 'node:crypto';
import { inRanges, isIpv4 } from './cidr';
import { asArray, parseUntrustedXml, xmlPath, xmlText, MalformedXmlError, type XmlValue } from './safe-xml';

export const WSD_MULTICAST_ADDRESS = '239.255.255.250';
export const WSD_PORT = 3702;

const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
};

export function newMessageId(): string {
  return `uuid:${randomUUID()}`;
}

/** A Probe for ONVIF NetworkVideoTransmitters. */
export function buildProbe(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}" xmlns:d="${NS.wsd}" xmlns:dn="${NS.dn}">` +
    `<s:Header><a:MessageID>${messageId}</a:MessageID>` +
    '<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    `<a:Action>${NS.wsd}/Probe</a:Action></s:Header>` +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
  );
}

export interface ProbeMatch {
  endpointReference: string;
  types: string[];
  scopes: string[];
  xaddrs: string[];
  /** MessageID the reply relates to (ours, for a reply to our probe). */
  relatesTo?: string;
}

const words = (v: XmlValue | undefined) => (xmlText(v) ?? '').split(/\s+/).filter(Boolean);

/**
 * The ProbeMatch entries of one datagram. Throws MalformedXmlError for anything that is not a
 * well-formed, size-capped ProbeMatches envelope; entries without an endpoint reference are dropped.
 */
export function parseProbeMatches(datagram: Buffer | string, maxBytes: number): ProbeMatch[] {
  const doc = parseUntrustedXml(datagram, maxBytes);
  const env = xmlPath(doc, 'Envelope');
  if (!env) throw new MalformedXmlError('not a SOAP envelope');
  const relatesTo = xmlText(xmlPath(env, 'Header', 'RelatesTo'));
  const matches = xmlPath(env, 'Body', 'ProbeMatches');
  if (matches === undefined) throw new MalformedXmlError('not a ProbeMatches message');
  const out: ProbeMatch[] = [];
  const list = matches && typeof matches === 'object' && !Array.isArray(matches) ? asArray(matches['ProbeMatch']) : [];
  for (const m of list) {
    const endpointReference = xmlText(xmlPath(m, 'EndpointReference', 'Address'))?.trim();
    if (!endpointReference || endpointReference.length > 512) continue;
    out.push({
      endpointReference,
      types: words(xmlPath(m, 'Types')).slice(0, 32),
      scopes: words(xmlPath(m, 'Scopes')).slice(0, 64),
      xaddrs: words(xmlPath(m, 'XAddrs')).slice(0, 16),
      ...(relatesTo ? { relatesTo } : {}),
    });
  }
  return out;
}

export interface XAddrVerdict {
  /** http(s) device-service URLs that may be followed: host allowed and equal to the sender. */
  accepted: string[];
  /** URLs that were refused, with why (host mismatch, outside allowed ranges, bad scheme...). */
  rejected: Array<{ xaddr: string; reason: 'bad_url' | 'bad_scheme' | 'not_allowed' | 'address_mismatch' }>;
}

/**
 * XAddrs come from the device and are untrusted. Only http(s) URLs with a literal IPv4 host that
 * lies inside `allowedRanges` AND equals the address the reply came from are followed; the
 * rest are reported (an address mismatch is flagged on the device).
 */
export function validateXAddrs(xaddrs: readonly string[], source: string, allowedRanges: readonly string[]): XAddrVerdict {
  const verdict: XAddrVerdict = { accepted: [], rejected: [] };
  for (const xaddr of xaddrs) {
    let url: URL;
    try {
      url = new URL(xaddr);
    } catch {
      verdict.rejected.push({ xaddr, reason: 'bad_url' });
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') verdict.rejected.push({ xaddr, reason: 'bad_scheme' });
    else if (url.username || url.password || !isIpv4(url.hostname)) verdict.rejected.push({ xaddr, reason: 'bad_url' });
    else if (!inRanges(url.hostname, allowedRanges)) verdict.rejected.push({ xaddr, reason: 'not_allowed' });
    else if (url.hostname !== source) verdict.rejected.push({ xaddr, reason: 'address_mismatch' });
    else verdict.accepted.push(url.toString());
  }
  return verdict;
}
