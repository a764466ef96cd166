/**
 * Direct FLV viewers from the gate (workers/rtmp/flv-fanout.ts), driven the way flv-gate.ts drives
 * them: a scanner per source connection, every read pushed from one reused buffer, flush after it.
 */
import { expect } from 'chai';
import type { Readable } from 'node:stream';
import { FlvFanout, MAX_QUEUE } from '@workers/rtmp/flv-fanout';
import { FlvTagScanner } from '@workers/rtmp/flv-tags';
import { FLV_HEADER as HEADER, flvTag as tag, flvVideo as video } from '@test/helpers/flv';

const meta = tag(18, Buffer.from('onMetaData-ish'));
const seq = video(0x17, 0, 30, 0);
const key = (ts: number, n = 3000) => video(0x17, 1, n, ts);
const frame = (ts: number, n = 500) => video(0x27, 1, n, ts);

interface Tag {
  type: number;
  ts: number;
  kind: string;
}

/** The tags of an FLV byte stream (after its 13-byte header). */
function tagsOf(b: Buffer): Tag[] {
  const out: Tag[] = [];
  for (let at = 13; at + 11 <= b.length; ) {
    const size = b.readUIntBE(at + 1, 3);
    const ts = ((b[at + 7]! << 24) | b.readUIntBE(at + 4, 3)) >>> 0;
    const d0 = b[at + 11]!;
    const d1 = b[at + 12]!;
    out.push({ type: b[at]!, ts, kind: b[at] === 18 ? 'meta' : d1 === 0 ? 'seq' : d0 >> 4 === 1 ? 'key' : 'frame' });
    at += 11 + size + 4;
  }
  return out;
}

/** The gate's side: a source connection whose reads land in one reused buffer. */
function source(fanout: FlvFanout, chunk = 1000) {
  const scanner = new FlvTagScanner();
  fanout.source(scanner);
  scanner.onTag = (p, k) => fanout.tag(p, k);
  const memory = Buffer.alloc(chunk);
  return (bytes: Buffer) => {
    for (let i = 0; i < bytes.length; i += chunk) {
      const n = bytes.copy(memory, 0, i, i + chunk);
      scanner.push(memory.subarray(0, n));
      fanout.flush();
      memory.fill(0xee); // the next read overwrites it
    }
  };
}

function collect(r: Readable): () => Buffer {
  const parts: Buffer[] = [];
  r.on('data', (d: Buffer) => parts.push(d));
  return () => Buffer.concat(parts);
}
const tick = () => new Promise((r) => setImmediate(r));

describe('FLV fanout (direct viewers from the gate)', () => {
  it('a viewer starts at the last keyframe (header, metadata, sequence header, GOP), then gets every tag as written', async () => {
    const f = new FlvFanout();
    const push = source(f, 777);
    push(Buffer.concat([HEADER, meta, seq, key(0), frame(40), key(80), frame(120)]));
    const got = collect(f.watch());
    const rest = [frame(160), frame(200), key(240), frame(280)];
    push(Buffer.concat(rest));
    await tick();
    expect(got().equals(Buffer.concat([HEADER, meta, seq, key(80), frame(120), ...rest]))).to.equal(true);
  });

  it('an ingest restart does not end the viewer: no second header, the timeline goes on one frame later', async () => {
    const f = new FlvFanout();
    const first = source(f);
    first(Buffer.concat([HEADER, meta, seq, key(1000), frame(1040)]));
    const got = collect(f.watch());
    first(frame(1080));
    const second = source(f, 333); // ffmpeg restarted: timestamps from 0 again
    second(Buffer.concat([HEADER, meta, seq, key(0), frame(40), frame(80)]));
    await tick();
    const all = got();
    expect(all.indexOf(Buffer.from('FLV'), 3), 'one FLV header').to.equal(-1);
    const tags = tagsOf(all);
    expect(tags.map((t) => t.kind)).to.deep.equal(['meta', 'seq', 'key', 'frame', 'frame', 'meta', 'seq', 'key', 'frame', 'frame']);
    expect(tags.map((t) => t.ts)).to.deep.equal([0, 0, 1000, 1040, 1080, 1080, 1080, 1120, 1160, 1200]);
    // A viewer joining now starts on the same timeline.
    const late = collect(f.watch());
    second(frame(120));
    await tick();
    expect(tagsOf(late()).map((t) => t.ts)).to.deep.equal([1120, 1120, 1120, 1160, 1200, 1240]);
  });

  it('a viewer that joins while the restarted source has sent no frame yet starts once it has', async () => {
    const f = new FlvFanout();
    const first = source(f);
    first(Buffer.concat([HEADER, meta, seq, key(500)]));
    const a = collect(f.watch());
    const second = source(f);
    second(Buffer.concat([HEADER, meta, seq]));
    const b = collect(f.watch());
    second(Buffer.concat([key(0), frame(40)]));
    await tick();
    expect(tagsOf(a()).map((t) => t.ts)).to.deep.equal([0, 0, 500, 500, 500, 540, 580]);
    expect(tagsOf(b()).map((t) => [t.kind, t.ts])).to.deep.equal([['meta', 540], ['seq', 540], ['key', 540], ['frame', 580]]);
  });

  it('timestamps past 2^24 ms keep their extended byte', async () => {
    const f = new FlvFanout();
    const push = source(f);
    const big = 0x01_00_00_00 + 5;
    push(Buffer.concat([HEADER, meta, seq, key(big)]));
    const got = collect(f.watch());
    push(frame(big + 40));
    await tick();
    expect(tagsOf(got()).slice(2).map((t) => t.ts)).to.deep.equal([big, big + 40]);
  });

  it('a viewer that does not read is ended past MAX_QUEUE; another viewer goes on; leaving empties the fanout', async () => {
    const f = new FlvFanout();
    const push = source(f, 64 * 1024);
    push(Buffer.concat([HEADER, meta, seq, key(0)]));
    const slow = f.watch(); // never read
    let slowErr: Error | undefined;
    slow.on('error', (e) => (slowErr = e));
    const ac = new AbortController();
    const fast = f.watch(ac.signal);
    let fastBytes = 0;
    fast.on('data', (d: Buffer) => (fastBytes += d.length));
    for (let ts = 40; fastBytes < MAX_QUEUE * 1.5; ts += 40) {
      push(frame(ts, 200_000));
      await tick();
    }
    expect(slow.destroyed).to.equal(true);
    expect(slowErr?.message).to.match(/too slow/);
    expect(fast.destroyed).to.equal(false);
    expect(f.size).to.equal(1);
    ac.abort();
    await tick();
    expect(f.size).to.equal(0);
  });
});
