/** SOAP 1.2 envelope parsing/building and WS-UsernameToken verification (pure). */
import { createHash, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  wsa04: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
} as const;

export interface UsernameToken {
  username: string;
  password: string;
  passwordType: 'digest' | 'text';
  nonce?: string;
  created?: string;
}

export interface SoapRequest {
  /** Local name of the first Body child, e.g. 'GetStreamUri'. */
  operation: string;
  body: Record<string, unknown>;
  token?: UsernameToken;
  header: Record<string, unknown>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  textNodeName: '#text',
});

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return text((v as Record<string, unknown>)['#text']);
  return String(v);
}

export function parseSoap(xml: string): SoapRequest {
  const doc = parser.parse(xml) as Record<string, unknown>;
  const env = doc['Envelope'] as Record<string, unknown> | undefined;
  if (!env || typeof env !== 'object') throw new Error('not a SOAP envelope');
  const header = ((env['Header'] ?? {}) as Record<string, unknown>) || {};
  const body = env['Body'] as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') throw new Error('SOAP envelope without Body');
  const operation = Object.keys(body).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!operation) throw new Error('empty SOAP Body');
  const inner = body[operation];
  let token: UsernameToken | undefined;
  const sec = (typeof header === 'object' ? header['Security'] : undefined) as Record<string, unknown> | undefined;
  const ut = sec?.['UsernameToken'] as Record<string, unknown> | undefined;
  if (ut) {
    const pw = ut['Password'];
    const type = typeof pw === 'object' && pw ? String((pw as Record<string, unknown>)['@_Type'] ?? '') : '';
    token = {
      username: text(ut['Username']) ?? '',
      password: text(pw) ?? '',
      passwordType: type.endsWith('#PasswordText') ? 'text' : 'digest',
      nonce: text(ut['Nonce']),
      created: text(ut['Created']),
    };
  }
  return {
    operation,
    body: (inner && typeof inner === 'object' ? inner : {}) as Record<string, unknown>,
    token,
    header: typeof header === 'object' ? header : {},
  };
}

/** Base64(SHA1(nonce + created + password)), nonce given base64. */
export function passwordDigest(nonceB64: string, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonceB64, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

export function verifyUsernameToken(t: UsernameToken | undefined, username: string, password: string): boolean {
  if (!t || t.username !== username) return false;
  const want = t.passwordType === 'text' ? password : t.nonce && t.created ? passwordDigest(t.nonce, t.created, password) : undefined;
  if (want === undefined) return false;
  const a = Buffer.from(want);
  const b = Buffer.from(t.password);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function envelope(body: string, header = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" xmlns:tptz="${NS.tptz}" ` +
    `xmlns:tt="${NS.tt}" xmlns:ter="${NS.ter}" xmlns:wsa="${NS.wsa}">` +
    (header ? `<s:Header>${header}</s:Header>` : '') +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** SOAP 1.2 fault, e.g. soapFault('Sender', 'ter:NotAuthorized', 'Sender not authorized'). */
export function soapFault(code: 'Sender' | 'Receiver', subcode: string, reason: string): string {
  return envelope(
    `<s:Fault><s:Code><s:Value>s:${code}</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${xmlEscape(reason)}</s:Text></s:Reason></s:Fault>`,
  );
}
