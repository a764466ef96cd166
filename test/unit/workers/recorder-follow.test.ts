/**
 * How the recorder follows a run: its segment list is read on change events (fs.watch), not by
 * polling, and its set of handled files stays bounded (files gone from the cache, evicted after
 * upload or rejected, leave it at the next sweep). Real files in a temporary cache; the prober is
 * a fake.
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { CameraRecorder } from '@workers/recorder/recorder';
import { InMemorySegmentSink } from '@workers/recorder/sink';
import { createIngestStore, type IngestStore } from '@workers/store/paths';

describe('recorder: following a run', () => {
  let dir: string;
  let store: IngestStore;
  let probes: number;
  const probe = async () => (probes++, { durationSec: 6, videoCodec: 'h264', audioCodec: null, width: 1920, height: 1080 });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-rec-follow-'));
    store = createIngestStore(dir);
    await store.ensureCameraDirs('cam-1');
    probes = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps only files still cached after a sweep, and never offers a still-cached file twice', async () => {
    const sink = new InMemorySegmentSink();
    const rec = new CameraRecorder('cam-1', 6, { store, sink, probe });
    const files = [0, 6, 12].map((s) => store.cacheSegmentPath('cam-1', new Date(Date.UTC(2026, 11, 2, 6, 0, s))));
    for (const f of files) await writeFile(f, Buffer.alloc(1000, 1));
    await rec.sweep();
    expect(sink.list('cam-1').length).to.equal(3);
    expect(rec.trackedFiles).to.equal(3);
    await rm(files[0]!); // evicted after upload
    await rm(files[1]!);
    await rec.sweep();
    expect(rec.trackedFiles).to.equal(1);
    expect(probes).to.equal(3); // the cached file was not handled again
  });

  it('handles a listed segment on the change event, with no poll due for an hour', async () => {
    const sink = new InMemorySegmentSink();
    const rec = new CameraRecorder('cam-1', 6, { store, sink, probe, pollMs: 3_600_000 });
    const list = store.segmentListPath('cam-1', 'run1');
    const seg = async (s: number) => {
      const f = store.cacheSegmentPath('cam-1', new Date(Date.UTC(2026, 11, 2, 6, 0, s)));
      await writeFile(f, Buffer.alloc(1000, 1));
      await appendFile(list, `${path.basename(f)},${s}.000000,${s + 6}.000000\n`);
    };
    const handled = async (n: number) => {
      for (let i = 0; i < 100 && sink.list('cam-1').length < n; i++) await new Promise((r) => setTimeout(r, 50));
      expect(sink.list('cam-1').length).to.equal(n);
    };
    await seg(0); // written before the run is followed
    rec.follow('run1');
    try {
      await handled(1);
      await seg(6);
      await seg(12);
      await handled(3);
    } finally {
      rec.stop();
    }
  });
});
