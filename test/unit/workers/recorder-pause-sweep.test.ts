/**
 * A new recorder's sweep (lease regained, spec edited: the camera's CameraRecorder is recreated)
 * while recording is paused for space (workers/recorder/pause.ts): files the sink has indexed are
 * neither probed again nor dropped (their copies may be held or not yet archived), and the drop path
 * never removes a segment with an index row. Real files in a temporary cache; prober and sink fakes.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { pausableSink, type DiskFull } from '@workers/recorder/pause';
import { CameraRecorder } from '@workers/recorder/recorder';
import { InMemorySegmentSink, type SegmentRecord, type SegmentSink } from '@workers/recorder/sink';
import { createIngestStore, type IngestStore } from '@workers/store/paths';

const FULL: DiskFull = { freeBytes: 1, minFreeBytes: 10, heldSegments: 3, heldBytes: 3_000, cameras: ['cam-1'] };
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 6, 0, s));

describe('recorder: a sweep while recording is paused for space', () => {
  let dir: string;
  let store: IngestStore;
  let probes: number;
  let inner: InMemorySegmentSink;
  let dropped: string[];
  const probe = async () => (probes++, { durationSec: 6, videoCodec: 'h264', audioCodec: null, width: 1920, height: 1080 });
  /** The worker's sink (server/recordings/sink.ts workerSink) over an in-memory index. */
  const sink = () =>
    pausableSink(inner, async (seg) => {
      await store.removeCached(seg.cacheKey);
      dropped.push(seg.cacheKey);
    });
  const write = async (seconds: number[]) => {
    const files = seconds.map((s) => store.cacheSegmentPath('cam-1', at(s)));
    for (const f of files) await writeFile(f, Buffer.alloc(1_000, 1));
    return files;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-rec-pause-'));
    store = createIngestStore(dir);
    await store.ensureCameraDirs('cam-1');
    probes = 0;
    inner = new InMemorySegmentSink();
    dropped = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a new recorder leaves the indexed copies alone, unprobed, and drops only the unindexed file', async () => {
    const paused = sink();
    await write([0, 6, 12]);
    await new CameraRecorder('cam-1', 6, { store, sink: paused, probe }).sweep();
    expect(inner.list('cam-1')).to.have.length(3);
    expect(probes).to.equal(3);

    paused.setFull(FULL);
    await write([18]); // never announced by its run (SIGKILL): not indexed
    const rec = new CameraRecorder('cam-1', 6, { store, sink: paused, probe });
    await rec.sweep();
    expect(dropped, 'only the unindexed file').to.deep.equal(['cam-1/20261202-060018.mp4']);
    expect(await readdir(store.cacheDir('cam-1'))).to.have.members(['20261202-060000.mp4', '20261202-060006.mp4', '20261202-060012.mp4']);
    expect(probes, 'indexed files are not probed and hashed again').to.equal(4);
    await rec.sweep();
    expect(probes, 'nor at the next sweep').to.equal(4);
    expect(rec.trackedFiles, 'the indexed files count as handled (the dropped one is gone)').to.equal(3);
  });

  it('with room again, a new recorder indexes only what is not indexed yet', async () => {
    const paused = sink();
    await write([0, 6]);
    await new CameraRecorder('cam-1', 6, { store, sink: paused, probe }).sweep();
    await write([12]);
    await new CameraRecorder('cam-1', 6, { store, sink: paused, probe }).sweep();
    expect(inner.list('cam-1').map((s) => s.cacheKey)).to.deep.equal(['cam-1/20261202-060000.mp4', 'cam-1/20261202-060006.mp4', 'cam-1/20261202-060012.mp4']);
    expect(probes).to.equal(3);
  });

  it('the paused sink never drops a segment that is indexed, whoever offers it', async () => {
    const paused = sink();
    const [file] = await write([0]);
    const record: SegmentRecord = {
      cameraId: 'cam-1', cacheKey: store.cacheKeyOfPath('cam-1', file!), objectKey: 'k', start: at(0), end: at(6),
      bytes: 1_000, sha256: 'x', durationMs: 6_000, frames: null, codec: 'h264', width: 1, height: 1, flags: [],
    };
    await paused.add(record);
    paused.setFull(FULL);
    await paused.add(record); // an orphan pass or an old recorder offering it again
    await paused.add({ ...record, cacheKey: 'cam-1/20261202-060006.mp4' });
    expect(dropped).to.deep.equal(['cam-1/20261202-060006.mp4']);
    expect(await readdir(store.cacheDir('cam-1'))).to.deep.equal(['20261202-060000.mp4']);
  });

  it('a failed index look-up offers the files (add is idempotent) and still drops no indexed one', async () => {
    const paused = sink();
    await write([0, 6]);
    await new CameraRecorder('cam-1', 6, { store, sink: paused, probe }).sweep();
    paused.setFull(FULL);
    let fail = true;
    const flaky: SegmentSink = {
      add: (s) => paused.add(s),
      indexed: async (keys) => {
        if (!fail) return inner.indexed(keys);
        fail = false;
        throw new Error('db down');
      },
    };
    const warnings: string[] = [];
    await new CameraRecorder('cam-1', 6, { store, sink: flaky, probe, log: { info: () => undefined, warn: (_o, m) => warnings.push(m) } }).sweep();
    expect(warnings).to.include('sweep: indexed look-up failed, offering the files');
    expect(dropped).to.deep.equal([]);
    expect(await readdir(store.cacheDir('cam-1'))).to.have.length(2);
  });
});
