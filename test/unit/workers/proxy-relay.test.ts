/**
 * The RTSP auth proxy over real loopback sockets. unregister() ends the camera's session in the
 * call (an ingest's lease is released right after its ffmpeg exits). The media relay reads the
 * camera's bytes into reused memory. Two ways that could corrupt media, both checked byte for byte:
 * - a frame split across reads: the framer must copy the incomplete tail before the memory is
 *   read into again;
 * - ffmpeg's side not keeping up (its socket buffer full): relayed frames wait in node, holding a
 *   view of the read memory, which must then not be reused.
 */
import net from 'node:net';
import { expect } from 'chai';
import { RtspFramer } from '@protocol/rtsp/framer';
import { startRtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';

/** Interleaved frames whose payload bytes all say which frame they are (frame i: length 300 + i % 1200). */
function frames(count: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const len = 300 + (i % 1200);
    const f = Buffer.alloc(4 + len, i % 251);
    f[0] = 0x24;
    f[1] = 0;
    f.writeUInt16BE(len, 2);
    parts.push(f);
  }
  return Buffer.concat(parts);
}

describe('workers/rtsp-auth-proxy media relay (reused read memory)', () => {
  it('framer: an incomplete frame left over from a transient chunk survives the chunk being overwritten', () => {
    const all = frames(3);
    const f = new RtspFramer();
    const chunk = Buffer.from(all.subarray(0, 500)); // frame 0 (304 bytes) and the head of frame 1
    const first = f.push(chunk, true);
    expect(first.map((i) => (i.type === 'frame' ? i.raw.length : -1))).to.deep.equal([304]);
    chunk.fill(0xee); // the socket reads into the same memory again
    const rest = f.push(Buffer.from(all.subarray(500)), true);
    const raw = Buffer.concat(rest.map((i) => (i.type === 'frame' ? i.raw : Buffer.alloc(0))));
    expect(raw.equals(all.subarray(304))).to.equal(true);
  });

  it('relays 30 MB of frames byte for byte while ffmpeg\'s side reads slowly', async function () {
    this.timeout(30_000);
    const media = frames(40_000); // ~30 MB
    const camera = net.createServer((s) => {
      s.once('data', () => {
        s.write('RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n');
        // A frame per write, as cameras send them (reads then start on frame boundaries, and the
        // frames relayed are views of the read memory itself).
        for (let o = 0; o < media.length; ) {
          const len = 4 + media.readUInt16BE(o + 2);
          s.write(media.subarray(o, o + len));
          o += len;
        }
      });
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => camera.listen(0, '127.0.0.1', r));
    const proxy = await startRtspAuthProxy();
    try {
      const reg = proxy.register({ cameraUrl: `rtsp://127.0.0.1:${(camera.address() as net.AddressInfo).port}/main` });
      const got: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        const c = net.connect(proxy.port, '127.0.0.1', () => c.write(`OPTIONS ${reg.localUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`));
        const head = Buffer.byteLength('RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n');
        let bytes = 0;
        c.on('error', reject);
        c.on('data', (d: Buffer) => {
          got.push(d);
          if ((bytes += d.length) >= head + media.length) resolve(void c.destroy());
        });
        // Stall for a while (the socket buffers fill and the proxy's writes queue), then read slowly.
        c.pause();
        setTimeout(() => {
          const step = (): void => {
            if (c.destroyed) return;
            c.resume();
            setTimeout(() => (c.pause(), setTimeout(step, 5)), 5);
          };
          step();
        }, 300);
      });
      const all = Buffer.concat(got);
      const head = all.indexOf('\r\n\r\n') + 4;
      const relayed = all.subarray(head);
      expect(relayed.length).to.equal(media.length);
      expect(relayed.equals(media), 'relayed media differs from what the camera sent').to.equal(true);
    } finally {
      await proxy.close();
      await new Promise((r) => camera.close(r));
    }
  });
});

describe('workers/rtsp-auth-proxy unregister', () => {
  it("closes the route's connection to the camera at once, though its client is still connected", async () => {
    let cameraSide: net.Socket | undefined;
    const camera = net.createServer((s) => {
      cameraSide = s;
      s.once('data', () => s.write('RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n'));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => camera.listen(0, '127.0.0.1', r));
    const proxy = await startRtspAuthProxy();
    const client = net.connect(proxy.port, '127.0.0.1');
    try {
      const reg = proxy.register({ cameraUrl: `rtsp://127.0.0.1:${(camera.address() as net.AddressInfo).port}/main` });
      await new Promise<void>((resolve, reject) => {
        client.on('error', reject);
        client.once('data', () => resolve());
        client.write(`OPTIONS ${reg.localUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
      });
      const cameraClosed = new Promise<'closed'>((r) => cameraSide!.once('close', () => r('closed')));
      // The ingest's ffmpeg has exited (here: its socket is left open): the lease is released next.
      reg.unregister();
      const seen = await Promise.race([cameraClosed, new Promise<'open'>((r) => setTimeout(() => r('open'), 1000))]);
      expect(seen, "the camera's session outlives its route").to.equal('closed');
    } finally {
      client.destroy();
      await proxy.close();
      await new Promise((r) => camera.close(r));
    }
  });
});
