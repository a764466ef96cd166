/**
 * The gate reads a camera nobody watches in batches (workers/rtmp/flv-gate.ts, issue 13): a
 * loopback client stands for the ingest ffmpeg, writing one FLV frame every 20 ms; the gate's read
 * count tells how its reads were grouped, and a viewer arriving must not wait for the batch timer.
 */
import { expect } from 'chai';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { BATCH_MS, startFlvGate, type FlvGate } from '@workers/rtmp/flv-gate';
import type { Republish } from '@workers/rtmp/nms-republish';
import { FLV_HEADER, flvTag, flvVideo } from '@test/helpers/flv';

const quietLog = { info() {}, warn() {}, error() {}, debug() {} } as never;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const start = Buffer.concat([FLV_HEADER, flvTag(18, Buffer.from('onMetaData-ish')), flvVideo(0x17, 0, 30, 0), flvVideo(0x17, 1, 3000, 0)]);
const frame = (ts: number) => flvVideo(0x27, 1, 2000, ts);
const cam = 'cam-1';

async function until(cond: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setImmediate(r));
  }
}

describe('FLV gate: reading in batches while nobody watches', function () {
  this.timeout(15_000);
  let gate: FlvGate;
  let ffmpeg: net.Socket;
  let republished: number;

  beforeEach(async () => {
    republished = 0;
    const rep: Republish = { write: (c) => void (republished += c.length), stop() {}, bytes: 0 };
    gate = startFlvGate({ authorize: async () => true, republish: () => rep, finish() {}, viewers: () => 0, graceMs: 60_000, logger: quietLog });
    const port = Number(new URL(await gate.outputUrl(cam)).port);
    ffmpeg = net.connect(port, '127.0.0.1');
    ffmpeg.setNoDelay(true);
    ffmpeg.write(start);
    await until(() => (gate.stats(cam)?.bytesIn ?? 0) === start.length);
    await sleep(BATCH_MS * 2); // authorized, the header scanned, out of the first batch
  });
  afterEach(async () => {
    ffmpeg.destroy();
    await gate.close();
  });

  /** Writes `count` frames 20 ms apart; the gate's reads and bytes meanwhile, and how long it took. */
  async function writeFrames(count: number): Promise<{ reads: number; bytes: number; written: number; ms: number }> {
    const before = gate.stats(cam)!;
    const t0 = Date.now();
    let written = 0;
    for (let i = 1; i <= count; i++) {
      const f = frame(i * 20);
      ffmpeg.write(f);
      written += f.length;
      await sleep(20);
    }
    await until(() => gate.stats(cam)!.bytesIn - before.bytesIn === written, BATCH_MS * 5);
    const after = gate.stats(cam)!;
    return { reads: after.reads - before.reads, bytes: after.bytesIn - before.bytesIn, written, ms: Date.now() - t0 };
  }

  it('nobody watching: every byte is read, a batch at a time (a read per BATCH_MS, not per frame)', async () => {
    const r = await writeFrames(50); // ~1 s or more of writing: a handful of batches
    expect(r.bytes).to.equal(r.written);
    const most = 2 * Math.ceil(r.ms / BATCH_MS) + 2;
    expect(r.reads, `${r.reads} reads for 50 frames in ${r.ms} ms`).to.be.at.most(Math.min(most, 25));
  });

  it('a direct viewer gets the next frame at once (the paused camera is woken), then every frame as written', async () => {
    ffmpeg.write(frame(1));
    const reads = gate.stats(cam)!.reads;
    await until(() => gate.stats(cam)!.reads > reads); // read, and now paused for a batch
    const viewer = gate.watch(cam) as Readable;
    const got: Buffer[] = [];
    viewer.on('data', (d: Buffer) => got.push(d));
    const t0 = Date.now();
    const next = frame(2);
    ffmpeg.write(next);
    await until(() => Buffer.concat(got).includes(next), BATCH_MS * 5);
    expect(Date.now() - t0, 'ms from the write to the viewer').to.be.below(BATCH_MS * 0.6);
    const r = await writeFrames(50);
    expect(r.reads, `${r.reads} reads for 50 frames with a viewer`).to.be.at.least(35);
    viewer.destroy();
  });

  it('a player of node-media-server joining wakes the camera too, and its republish gets every frame', async () => {
    ffmpeg.write(frame(1));
    const reads = gate.stats(cam)!.reads;
    await until(() => gate.stats(cam)!.reads > reads);
    gate.joined(cam);
    const startRep = republished;
    const t0 = Date.now();
    const next = frame(2);
    ffmpeg.write(next);
    await until(() => republished - startRep >= next.length, BATCH_MS * 5); // the GOP went at joined(); now the frame
    expect(Date.now() - t0, 'ms from the write to the republish').to.be.below(BATCH_MS * 0.6);
    const r = await writeFrames(50);
    expect(r.reads, `${r.reads} reads for 50 frames with a player`).to.be.at.least(35);
  });
});
