import { expect } from 'chai';
import { loadConfig } from '@config/load';

describe('config: one allowed-ranges rule (network.allowedRanges, discovery.allowedRanges)', () => {
  it('defaults both to loopback', () => {
    const c = loadConfig({ env: {} });
    expect(c.network.allowedRanges).to.deep.equal(['127.0.0.0/8']);
    expect(c.discovery.allowedRanges).to.deep.equal(['127.0.0.0/8']);
  });
  it('either key set alone sets both; both set stay as set (discovery may be narrower)', () => {
    const net = loadConfig({ env: { SKYEYE_NETWORK_ALLOWED_RANGES: '10.20.0.0/16, 127.0.0.0/8' } });
    expect(net.discovery.allowedRanges).to.deep.equal(['10.20.0.0/16', '127.0.0.0/8']);
    const disc = loadConfig({ env: { SKYEYE_DISCOVERY_ALLOWED_RANGES: '10.20.0.0/16' } });
    expect(disc.network.allowedRanges).to.deep.equal(['10.20.0.0/16']);
    const both = loadConfig({ env: { SKYEYE_NETWORK_ALLOWED_RANGES: '10.0.0.0/8', SKYEYE_DISCOVERY_ALLOWED_RANGES: '10.20.0.0/16' } });
    expect([both.network.allowedRanges, both.discovery.allowedRanges]).to.deep.equal([['10.0.0.0/8'], ['10.20.0.0/16']]);
  });
});
