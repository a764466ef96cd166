import { expect } from 'chai';
import { CidrError, inRanges, intToIp, ipToInt, parseCidr, scanAddresses } from '@server/discovery/cidr';

describe('discovery/cidr', () => {
  it('parses CIDR blocks and addresses', () => {
    expect(parseCidr('127.0.1.0/28')).to.deep.equal({ base: ipToInt('127.0.1.0'), prefix: 28, size: 16 });
    expect(parseCidr('127.0.1.5').size).to.equal(1);
    expect(intToIp(ipToInt('10.1.2.3'))).to.equal('10.1.2.3');
    for (const bad of ['127.0.1/28', '127.0.1.0/33', '256.0.0.0/8', 'abc', '1.2.3.4/']) expect(() => parseCidr(bad), bad).to.throw(CidrError);
  });

  it('lists host addresses of an allowed range', () => {
    const a = scanAddresses('127.0.1.0/28', ['127.0.0.0/8']);
    expect(a).to.have.length(14);
    expect(a[0]).to.equal('127.0.1.1');
    expect(a.at(-1)).to.equal('127.0.1.14');
  });

  it('refuses ranges outside the allowed ones, even partly', () => {
    expect(() => scanAddresses('10.0.0.0/28', ['127.0.0.0/8'])).to.throw(/outside/);
    expect(() => scanAddresses('126.0.0.0/7', ['127.0.0.0/8'])).to.throw(CidrError);
    expect(() => scanAddresses('127.0.1.0/28', ['127.0.1.0/29'])).to.throw(/outside/);
  });

  it('caps the number of addresses (a /20 at most)', () => {
    expect(scanAddresses('127.0.0.0/20', ['127.0.0.0/8'])).to.have.length(4094);
    expect(() => scanAddresses('127.0.0.0/19', ['127.0.0.0/8'])).to.throw(/at most 4096/);
    expect(() => scanAddresses('0.0.0.0/0', ['0.0.0.0/0'])).to.throw(/at most/);
  });

  it('checks membership', () => {
    expect(inRanges('127.9.9.9', ['127.0.0.0/8'])).to.equal(true);
    expect(inRanges('192.168.1.1', ['127.0.0.0/8'])).to.equal(false);
    expect(inRanges('not-an-ip', ['127.0.0.0/8'])).to.equal(false);
  });
});
