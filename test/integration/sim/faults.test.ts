import { expect } from 'chai';
import { connect } from 'node:net';
import { startFleet, type Fleet } from '@sim/index';
import { ffprobe, listenAnnouncements, multicastProbe, sleep, testBaseOctet, withCreds } from './helpers';

/** Open a raw RTSP/TCP session and count interleaved bytes received after PLAY within `ms`. */
async function rtpBytes(url: string, ms: number): Promise<number> {
  const u = new URL(url);
  const sock = connect(Number(u.port), u.hostname);
  let buf = '';
  let media = 0;
  let playing = false;
  const cseq = { n: 0 };
  const send = (m: string, uri: string, extra = '') => sock.write(`${m} ${uri} RTSP/1.0\r\nCSeq: ${++cseq.n}\r\n${extra}\r\n`);
  sock.on('data', (b: Buffer) => {
    if (playing) {
      media += b.length;
      return;
    }
    buf += b.toString('latin1');
    const sid = /Session: ([^;\r]+)/.exec(buf)?.[1];
    if (sid && buf.includes('CSeq: 1\r\n') && cseq.n === 1) {
      send('PLAY', url, `Session: ${sid}\r\n`);
    } else if (cseq.n === 2 && buf.includes('CSeq: 2\r\n')) {
      playing = true;
    }
  });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  send('SETUP', `${url}/trackID=0`, 'Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n');
  await sleep(ms);
  sock.destroy();
  return media;
}

describe('sim faults (integration)', function () {
  this.timeout(40000);
  let fleet: Fleet;

  before(async () => {
    fleet = await startFleet({ cameras: 2, baseOctet: testBaseOctet(2), auth: 'none', withSub: false });
  });
  after(async () => {
    await fleet?.stop();
  });

  it('streams packets normally and none under the stall fault', async () => {
    const c = fleet.cameras[0]!;
    // The camera's publisher starts on the first PLAY (~0.5 s idle, over 1.5 s on a loaded CI machine: a red run).
    expect(await rtpBytes(c.rtspMainUrl, 4000)).to.be.greaterThan(10_000);
    c.setFault('stall');
    await c.settled();
    expect(await rtpBytes(c.rtspMainUrl, 1500)).to.equal(0);
    c.clearFault();
  });

  it('refuses connections under the refuse fault, and comes back', async () => {
    const c = fleet.cameras[1]!;
    c.setFault('refuse');
    await c.settled();
    const err = await new Promise<string>((r) => {
      const s = connect(8554, c.address);
      s.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? ''));
      s.on('connect', () => (s.destroy(), r('connected')));
    });
    expect(err).to.equal('ECONNREFUSED');
    c.clearFault();
    await c.settled();
    expect((await ffprobe(c.rtspMainUrl, 'tcp')).ok).to.equal(true);
  });

  it('reboot: camera vanishes (Bye), then comes back (Hello) and answers probes', async () => {
    const c = fleet.cameras[1]!;
    const ann = await listenAnnouncements();
    try {
      c.setFault({ reboot: 2 });
      await c.settled();
      await sleep(300);
      expect(ann.events.filter((e) => e.endpointReference === c.endpointReference).map((e) => e.action)).to.deep.equal(['Bye']);
      expect((await multicastProbe(400)).some((m) => m.endpointReference === c.endpointReference)).to.equal(false);
      expect((await ffprobe(c.rtspMainUrl, 'tcp', 5000)).ok).to.equal(false);
      await sleep(2000);
      await c.settled();
      expect(ann.events.filter((e) => e.endpointReference === c.endpointReference).map((e) => e.action)).to.deep.equal(['Bye', 'Hello']);
      expect((await multicastProbe(400)).some((m) => m.endpointReference === c.endpointReference)).to.equal(true);
      expect((await ffprobe(c.rtspMainUrl, 'tcp')).ok).to.equal(true);
    } finally {
      ann.close();
    }
  });

  it('change-stream-uri: old path 404s, new URL streams', async () => {
    const c = fleet.cameras[0]!;
    const old = c.rtspMainUrl;
    c.setFault('change-stream-uri');
    expect(c.rtspMainUrl).not.to.equal(old);
    const r = await ffprobe(old, 'tcp', 5000);
    expect(r.ok).to.equal(false);
    expect(r.stderr).to.match(/404|Not Found/);
    expect((await ffprobe(c.rtspMainUrl, 'tcp')).ok).to.equal(true);
    c.clearFault();
    expect(c.rtspMainUrl).to.equal(old);
  });

  it('wrong-credentials makes digest clients get 401', async () => {
    const f2 = await startFleet({ cameras: 1, baseOctet: testBaseOctet(3), startDiscovery: false, withSub: false });
    try {
      const c = f2.cameras[0]!;
      c.setFault('wrong-credentials');
      const r = await ffprobe(withCreds(c.rtspMainUrl, c.username, c.password), 'tcp', 5000);
      expect(r.stderr).to.match(/401|Unauthorized/);
    } finally {
      await f2.stop();
    }
  });
});
