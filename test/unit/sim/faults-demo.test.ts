import { expect } from 'chai';
import { DEMO_CENTER, DEMO_ORG, demoCameraPlan } from '@sim/demo-town';
import { parseProbe, probeMatches, probeMatchesXml, parseAnnouncement, probeXml } from '@sim/discovery/messages';
import { ensureLoopbackMulticast } from '@sim/discovery/loopback';
import { FaultState, parseFault } from '@sim/faults';

describe('sim fault state machine', () => {
  it('combines faults, times reboots, clears', () => {
    const f = new FaultState();
    f.set('stall', 0);
    f.set({ reboot: 2 }, 1000);
    expect(f.view(1500)).to.deep.include({ down: true, rebooting: true, stall: true });
    expect(f.view(3000)).to.deep.include({ down: false, rebooting: false, stall: true });
    f.set('change-stream-uri', 0);
    f.set('change-stream-uri', 0);
    f.set({ slowSoap: 300 }, 0);
    expect(f.view(0)).to.deep.include({ streamGeneration: 2, slowSoapMs: 300 });
    f.clear();
    expect(f.view(0)).to.deep.equal({ down: false, rebooting: false, wrongCredentials: false, stall: false, drop: false,
      malformedXml: false, clockReset: false, slowSoapMs: 0, streamGeneration: 0 });
    f.set('clock-reset', 0);
    expect(f.view(0).clockReset).to.equal(true);
    expect(parseFault('clock-reset')).to.equal('clock-reset');
    expect(parseFault('reboot:5')).to.deep.equal({ reboot: 5 });
    expect(() => parseFault('explode')).to.throw();
  });
});

describe('sim demo town', () => {
  it('places cameras deterministically near the county seat, with org codes that exist', () => {
    const plan = demoCameraPlan(16);
    expect(plan).to.deep.equal(demoCameraPlan(16));
    expect(new Set(plan.map((p) => p.kind))).to.deep.equal(new Set(['road', 'household', 'shopfront']));
    expect(new Set(plan.map((p) => p.name)).size).to.equal(16);
    const codes = (xs: { code: string }[]) => new Set(xs.map((x) => x.code));
    for (const p of plan) {
      expect(Math.abs(p.lat - DEMO_CENTER.lat)).to.be.lessThan(0.06);
      expect(Math.abs(p.lon - DEMO_CENTER.lon)).to.be.lessThan(0.06);
      expect(codes(DEMO_ORG.stations).has(p.stationCode)).to.equal(true);
      expect(codes(DEMO_ORG.policeRooms).has(p.policeRoomCode)).to.equal(true);
      expect(codes(DEMO_ORG.patrolZones).has(p.patrolZoneCode)).to.equal(true);
      expect(codes(DEMO_ORG.grids).has(p.gridCode)).to.equal(true);
    }
    expect(plan[0]!.name).to.equal('人民路与新安大道交叉口');
    expect(plan.find((p) => p.kind === 'shopfront')!.name).to.match(/^步行街\d+号 /);
    expect(demoCameraPlan(60)).to.have.length(60);
  });
});

describe('sim discovery messages', () => {
  const t = { endpointReference: 'urn:uuid:1', scopes: ['onvif://www.onvif.org/type/video_encoder'], xaddrs: ['http://127.0.1.3:8000/onvif/device_service'], metadataVersion: 1 };
  it('parses probes and matches types', () => {
    const p = parseProbe(probeXml('dn:NetworkVideoTransmitter', 'uuid:abc'))!;
    expect(p).to.deep.equal({ messageId: 'uuid:abc', types: ['dn:NetworkVideoTransmitter'], scopes: [] });
    expect(probeMatches(p, t)).to.equal(true);
    expect(probeMatches({ ...p, types: ['x:Printer'] }, t)).to.equal(false);
    expect(parseProbe('<nope/>')).to.equal(undefined);
    const m = probeMatchesXml(t, 'uuid:abc');
    expect(m).to.include('<a:RelatesTo>uuid:abc</a:RelatesTo>');
    expect(parseAnnouncement(m)).to.deep.equal({ action: 'ProbeMatches', endpointReference: 'urn:uuid:1', xaddrs: t.xaddrs });
  });

  it('ensureLoopbackMulticast only touches lo, idempotently', async () => {
    const calls: string[] = [];
    let multicast = false;
    let routed = false;
    const exec = async (_c: string, a: string[]) => {
      calls.push(a.join(' '));
      if (a[0] === 'link' && a[1] === 'show') return `1: lo: <LOOPBACK,${multicast ? 'MULTICAST,' : ''}UP>`;
      if (a[0] === 'link' && a[1] === 'set') multicast = true;
      if (a[0] === 'route' && a[1] === 'get') return routed ? 'multicast 239.255.255.250 dev lo' : 'multicast 239.255.255.250 dev eth0';
      if (a[0] === 'route' && a[1] === 'replace') routed = true;
      return '';
    };
    expect(await ensureLoopbackMulticast(exec)).to.have.length(2);
    expect(await ensureLoopbackMulticast(exec)).to.deep.equal([]);
    expect(calls.filter((c) => c.includes('set') || c.includes('replace'))).to.deep.equal([
      'link set lo multicast on', 'route replace 239.255.255.250/32 dev lo']);
  });
});
