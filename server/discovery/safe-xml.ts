/**
 * Parsing XML that came from the network (SOAP replies, WS-Discovery packets). Devices are
 * untrusted: the text is size-capped, DOCTYPE/ENTITY declarations are refused (no entity
 * expansion, no billion laughs), entities are not processed, and element or attribute names that
 * could pollute prototypes (__proto__, constructor, prototype) reject the whole document.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class MalformedXmlError extends Error {
  override name = 'MalformedXmlError';
  readonly code = 'malformed_response';
}

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;
// An element name, or an attribute name inside a tag, (any namespace prefix) that is forbidden.
const FORBIDDEN_ELEMENT = /<\/?\s*(?:[\w.-]+:)?(?:__proto__|constructor|prototype)[\s/>]/;
const FORBIDDEN_ATTRIBUTE = /<[^<>]*\s(?:[\w.-]+:)?(?:__proto__|constructor|prototype)\s*=/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** Parse untrusted XML into plain objects (namespace prefixes removed, attributes under '@name'). */
export function parseUntrustedXml(input: string | Buffer, maxBytes: number): XmlNode {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > maxBytes) throw new MalformedXmlError(`reply of ${size} bytes is larger than the ${maxBytes}-byte limit`);
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (DECLARATION.test(text)) throw new MalformedXmlError('reply contains a DOCTYPE or entity declaration');
  if (FORBIDDEN_ELEMENT.test(text) || FORBIDDEN_ATTRIBUTE.test(text)) throw new MalformedXmlError('reply uses a forbidden element or attribute name');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new MalformedXmlError(`reply is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let out: unknown;
  try {
    out = parser.parse(text);
  } catch (e) {
    throw new MalformedXmlError(`reply is not well-formed XML: ${(e as Error).message}`);
  }
  if (!out || typeof out !== 'object') throw new MalformedXmlError('reply is empty');
  assertSafeKeys(out, 0);
  return out as XmlNode;
}

function assertSafeKeys(v: unknown, depth: number): void {
  if (depth > 64) throw new MalformedXmlError('reply nests too deeply');
  if (Array.isArray(v)) {
    for (const x of v) assertSafeKeys(x, depth + 1);
    return;
  }
  if (v && typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
      throw new MalformedXmlError('reply produced an unexpected object');
    }
    for (const k of Object.keys(v)) {
      const bare = k.replace(/^[@#]+/, '');
      if (FORBIDDEN_NAMES.has(bare)) throw new MalformedXmlError(`reply uses the forbidden name "${k}"`);
      assertSafeKeys((v as Record<string, unknown>)[k], depth + 1);
    }
  }
}

/** Walk a path of element names; arrays take their first element. */
export function xmlPath(node: XmlValue | undefined, ...path: string[]): XmlValue | undefined {
  let cur: XmlValue | undefined = node;
  for (const p of path) {
    if (Array.isArray(cur)) cur = cur[0];
    if (!cur || typeof cur !== 'object') return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, p) ? (cur as XmlNode)[p] : undefined;
  }
  return cur;
}

/** The text of an element (its '#text' when it also has attributes), or undefined. */
export function xmlText(v: XmlValue | undefined): string | undefined {
  if (Array.isArray(v)) return xmlText(v[0]);
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof v['#text'] === 'string') return v['#text'];
  return undefined;
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
