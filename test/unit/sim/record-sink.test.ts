/**
 * The simulator's record sink: what a publisher (ffmpeg's RTSP muxer) needs to hear, and the
 * packets it delivers, split across reads anywhere, reaching the handlers whole and by channel.
 * The real publisher is covered by every test that streams from the simulator.
 */
import net from 'node:net';
import { expect } from 'chai';
import { answerPublisher, startRecordSink } from '@sim/rtsp/record-sink';
import type { RtspRequest } from '@sim/rtsp/parser';

const req = (method: string, headers: Record<string, string> = {}): RtspRequest => ({ method, uri: 'rtsp://127.0.0.1:1/publish', version: 'RTSP/1.0', headers: { cseq: '7', ...headers }, body: Buffer.alloc(0) });

const interleaved = (channel: number, payload: Buffer) => Buffer.concat([Buffer.from([0x24, channel, payload.length >> 8, payload.length & 0xff]), payload]);

describe('sim/rtsp record sink (publisher -> simulator)', () => {
  it('answers a publisher: OPTIONS lists RECORD, SETUP echoes an interleaved transport, UDP is refused', () => {
    expect(answerPublisher(req('OPTIONS'), 's1').toString()).to.match(/^RTSP\/1\.0 200 OK\r\nCSeq: 7\r\n[\s\S]*Public: [^\r]*RECORD/);
    const setup = answerPublisher(req('SETUP', { transport: 'RTP/AVP/TCP;unicast;interleaved=0-1;mode=record' }), 's1').toString();
    expect(setup).to.include('Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record').and.include('Session: s1');
    expect(answerPublisher(req('SETUP', { transport: 'RTP/AVP;unicast;client_port=5000-5001' }), 's1').toString()).to.match(/^RTSP\/1\.0 461 /);
    expect(answerPublisher(req('PLAY'), 's1').toString()).to.match(/^RTSP\/1\.0 405 /);
  });

  it('hands over RTP and RTCP packets whole, however the stream is cut; a new publisher replaces the old', async () => {
    const rtp: Buffer[] = [];
    const rtcp: Buffer[] = [];
    const sink = await startRecordSink({ rtp: (p) => rtp.push(Buffer.from(p)), rtcp: (p) => rtcp.push(Buffer.from(p)) });
    try {
      const port = Number(new URL(sink.url).port);
      const packets = Array.from({ length: 40 }, (_, i) => Buffer.alloc(100 + i * 37, i));
      const stream = Buffer.concat([
        Buffer.from(`OPTIONS ${sink.url} RTSP/1.0\r\nCSeq: 1\r\n\r\nRECORD ${sink.url} RTSP/1.0\r\nCSeq: 2\r\n\r\n`),
        ...packets.map((p, i) => interleaved(i % 5 === 4 ? 1 : 0, p)),
      ]);
      const first = net.connect(port, '127.0.0.1');
      const answers: string[] = [];
      first.on('data', (d: Buffer) => answers.push(d.toString()));
      const firstClosed = new Promise((r) => first.once('close', r));
      await new Promise((r) => first.once('connect', r));
      for (let at = 0; at < stream.length; at += 97) {
        first.write(stream.subarray(at, at + 97)); // cut mid-header and mid-packet
        await new Promise((r) => setImmediate(r));
      }
      const deadline = Date.now() + 5_000;
      while (rtp.length + rtcp.length < packets.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(rtp.map((p) => p.toString('hex'))).to.deep.equal(packets.filter((_, i) => i % 5 !== 4).map((p) => p.toString('hex')));
      expect(rtcp.map((p) => p.toString('hex'))).to.deep.equal(packets.filter((_, i) => i % 5 === 4).map((p) => p.toString('hex')));
      expect(answers.join('')).to.match(/CSeq: 1[\s\S]*CSeq: 2/);
      const second = net.connect(port, '127.0.0.1');
      await new Promise((r) => second.once('connect', r));
      await firstClosed; // the restarted publisher's connection wins
      second.destroy();
    } finally {
      await sink.close();
    }
  });
});
