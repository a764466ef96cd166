/**
 * The RTSP auth proxy's backpressure, over real loopback sockets: while ffmpeg's side does not read
 * (a transcode on a starved CPU), the proxy must stop reading the camera, so TCP flow control holds
 * the camera back instead of node queueing the camera's whole backlog; once ffmpeg reads again,
 * every byte still arrives, in order (the read memory was not reused under a queued write).
 */
import net from 'node:net';
import { expect } from 'chai';
import { startRtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';

const FRAME_PAYLOAD = 1400;
const FRAME = 4 + FRAME_PAYLOAD;
const TOTAL_FRAMES = 48_000; // ~67 MB
const OK = 'RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n';

/** Interleaved frame i: every payload byte says which frame it is. */
function frame(i: number): Buffer {
  const f = Buffer.alloc(FRAME, i % 251);
  f[0] = 0x24;
  f[1] = 0;
  f.writeUInt16BE(FRAME_PAYLOAD, 2);
  return f;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('workers/rtsp-auth-proxy backpressure', () => {
  it("stops reading the camera while ffmpeg's side stalls, then relays everything byte for byte", async function () {
    this.timeout(30_000);
    let written = 0;
    let cameraSide: net.Socket | undefined;
    /** Bytes the camera got off its own queue, into the kernel (and on to the proxy if it reads). */
    const offCamera = () => written * FRAME - (cameraSide?.writableLength ?? 0);
    const camera = net.createServer((s) => {
      cameraSide = s;
      s.on('error', () => undefined);
      s.once('data', () => {
        s.write(OK);
        // A camera sends frames as fast as TCP lets it (as one with a backlog would).
        const pump = (): void => {
          while (written < TOTAL_FRAMES) {
            if (!s.write(frame(written++))) return void s.once('drain', pump);
          }
        };
        pump();
      });
    });
    await new Promise<void>((r) => camera.listen(0, '127.0.0.1', r));
    const proxy = await startRtspAuthProxy();
    const client = net.connect(proxy.port, '127.0.0.1');
    try {
      const reg = proxy.register({ cameraUrl: `rtsp://127.0.0.1:${(camera.address() as net.AddressInfo).port}/main` });
      const got: Buffer[] = [];
      let bytes = 0;
      const done = new Promise<void>((resolve, reject) => {
        client.on('error', reject);
        client.on('data', (d: Buffer) => {
          got.push(d);
          if ((bytes += d.length) >= OK.length + TOTAL_FRAMES * FRAME) resolve();
        });
      });
      client.pause(); // ffmpeg stalls from the start
      client.write(`OPTIONS ${reg.localUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);

      // Wait until the camera cannot get rid of anything more (or has sent everything).
      let last = -1;
      for (let i = 0; i < 60 && offCamera() !== last; i++) {
        last = offCamera();
        await sleep(150);
      }
      const stalledAt = offCamera();
      // Loopback socket buffers (camera -> proxy, proxy -> ffmpeg) take a few MiB at most; the rest
      // of the camera's backlog must stay with the camera, not in the proxy's memory.
      expect(stalledAt, `${(stalledAt / 2 ** 20).toFixed(1)} MiB left the camera while ffmpeg read nothing`).to.be.below(TOTAL_FRAMES * FRAME * 0.5);

      client.resume();
      await done;
      const all = Buffer.concat(got);
      expect(all.subarray(0, OK.length).toString()).to.equal(OK);
      const media = all.subarray(OK.length);
      expect(media.length).to.equal(TOTAL_FRAMES * FRAME);
      for (let i = 0; i < TOTAL_FRAMES; i++) {
        const f = media.subarray(i * FRAME, (i + 1) * FRAME);
        if (!f.equals(frame(i))) expect.fail(`frame ${i} differs from what the camera sent`);
      }
    } finally {
      client.destroy();
      await proxy.close();
      await new Promise((r) => camera.close(r));
    }
  });
});
