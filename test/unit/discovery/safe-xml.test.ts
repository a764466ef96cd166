import { expect } from 'chai';
import { MalformedXmlError, parseUntrustedXml, xmlPath, xmlText } from '@server/discovery/safe-xml';

const MAX = 64 * 1024;

describe('discovery/safe-xml', () => {
  it('parses a SOAP envelope without namespace prefixes', () => {
    const doc = parseUntrustedXml('<s:Envelope xmlns:s="x"><s:Body><a:Thing a:k="v">hi</a:Thing></s:Body></s:Envelope>', MAX);
    expect(xmlText(xmlPath(doc, 'Envelope', 'Body', 'Thing'))).to.equal('hi');
  });

  it('rejects entity declarations (billion laughs, external entities)', () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(() => parseUntrustedXml(lol, MAX)).to.throw(MalformedXmlError, /DOCTYPE/);
    const xxe = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    expect(() => parseUntrustedXml(xxe, MAX)).to.throw(MalformedXmlError);
  });

  it('expands no entity at all: an undeclared &custom; (and the predefined ones) stay as the literal text', () => {
    const doc = parseUntrustedXml('<r>&amp;&lt;&custom;</r>', MAX);
    expect(xmlText(xmlPath(doc, 'r'))).to.equal('&amp;&lt;&custom;');
    expect(xmlText(xmlPath(parseUntrustedXml('<r>a&custom;b</r>', MAX), 'r'))).to.equal('a&custom;b');
  });

  it('rejects prototype-polluting names and leaves Object.prototype alone', () => {
    for (const x of ['<r><__proto__><polluted>yes</polluted></__proto__></r>', '<r><a:constructor>1</a:constructor></r>', '<r><x __proto__="1"/></r>', '<r><prototype/></r>']) {
      expect(() => parseUntrustedXml(x, MAX), x).to.throw(MalformedXmlError);
    }
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('allows the words in text content', () => {
    expect(xmlText(xmlPath(parseUntrustedXml('<r>the constructor of the prototype</r>', MAX), 'r'))).to.equal('the constructor of the prototype');
  });

  it('rejects oversize and malformed replies', () => {
    expect(() => parseUntrustedXml(`<r>${'a'.repeat(MAX)}</r>`, MAX)).to.throw(MalformedXmlError, /larger/);
    expect(() => parseUntrustedXml('<r><a></r>', MAX)).to.throw(MalformedXmlError);
    expect(() => parseUntrustedXml('<s:Envelope><tt:Broken attr="', MAX)).to.throw(MalformedXmlError);
  });
});
