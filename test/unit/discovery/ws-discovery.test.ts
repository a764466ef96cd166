import { expect } from 'chai';
import { buildProbe, parseProbeMatches, validateXAddrs } from '@server/discovery/ws-discovery';
import { MalformedXmlError, parseUntrustedXml, xmlPath, xmlText } from '@server/discovery/safe-xml';

const match = (epr: string, xaddrs: string, relatesTo = 'uuid:1') =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">` +
  `<s:Header><a:RelatesTo>${relatesTo}</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${epr}</a:Address></a:EndpointReference>` +
  `<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/x</d:Scopes><d:XAddrs>${xaddrs}</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;

describe('discovery/ws-discovery', () => {
  it('builds a Probe for NetworkVideoTransmitters', () => {
    const doc = parseUntrustedXml(buildProbe('uuid:abc'), 8192);
    expect(xmlText(xmlPath(doc, 'Envelope', 'Header', 'MessageID'))).to.equal('uuid:abc');
    expect(xmlText(xmlPath(doc, 'Envelope', 'Body', 'Probe', 'Types'))).to.equal('dn:NetworkVideoTransmitter');
  });

  it('parses ProbeMatches', () => {
    const [m] = parseProbeMatches(match('urn:uuid:dev-1', 'http://127.0.1.5:8000/onvif/device_service http://[::1]/x'), 65536);
    expect(m).to.deep.include({ endpointReference: 'urn:uuid:dev-1', relatesTo: 'uuid:1' });
    expect(m!.xaddrs).to.have.length(2);
    expect(m!.scopes).to.deep.equal(['onvif://www.onvif.org/name/x']);
  });

  it('rejects a packet that is not a ProbeMatches or is hostile', () => {
    expect(() => parseProbeMatches(buildProbe('uuid:x'), 65536)).to.throw(MalformedXmlError);
    expect(() => parseProbeMatches('<!DOCTYPE x [<!ENTITY a "b">]>' + match('e', 'x'), 65536)).to.throw(MalformedXmlError);
    expect(() => parseProbeMatches(match('e', 'x'), 100)).to.throw(MalformedXmlError);
  });

  it('follows only http(s) XAddrs on the sender address inside the allowed ranges', () => {
    const v = validateXAddrs(
      ['http://127.0.1.5:8000/onvif/device_service', 'http://127.0.1.6/onvif', 'http://10.0.0.1/onvif', 'ftp://127.0.1.5/x', 'http://user:pw@127.0.1.5/', 'http://evil.example/', 'nonsense'],
      '127.0.1.5',
      ['127.0.0.0/8'],
    );
    expect(v.accepted).to.deep.equal(['http://127.0.1.5:8000/onvif/device_service']);
    expect(v.rejected.map((r) => r.reason)).to.deep.equal(['address_mismatch', 'not_allowed', 'bad_scheme', 'bad_url', 'bad_url', 'bad_url']);
  });
});
