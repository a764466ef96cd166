/**
 * One ingest attempt closed while it is still starting (its lease lost or its camera removed during
 * the capability check and directory set-up): no ffmpeg may be spawned after that, or it would pull
 * the camera unsupervised beside the next attempt until the worker exits (seen in the chaos test
 * as three PLAY sessions of one camera ending together at the worker's SIGTERM).
 */
import { expect } from 'chai';
import type { ChildHandle, ProcessRunner } from '@workers/ffmpeg/process';
import { parseFfmpegVersion, type FfmpegCapabilities } from '@workers/ffmpeg/version';
import { createInstanceFactory } from '@workers/ingest/instance';
import type { IngestStore } from '@workers/store/paths';
import { spec } from './supervisor-fakes';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('workers/ingest instance: close() during start()', () => {
  const store = {
    ensureCameraDirs: async () => undefined,
    pruneLiveSegments: async () => 0,
    livePlaylist: () => '/tmp/x/live.m3u8',
    liveSegmentPattern: () => '/tmp/x/live-%d.ts',
    cacheSegmentPattern: () => '/tmp/x/%s.mp4',
    segmentListPath: () => '/tmp/x/list.csv',
  } as unknown as IngestStore;

  function setup() {
    const spawned: string[][] = [];
    const exit = deferred<{ code: number | null; signal: NodeJS.Signals | null }>();
    const runner: ProcessRunner = {
      start(_cmd, args): ChildHandle {
        spawned.push([...args]);
        return { pid: 99, exited: exit.promise, signal: () => exit.resolve({ code: null, signal: 'SIGTERM' }), onStderr() {} };
      },
    };
    const caps = deferred<FfmpegCapabilities>();
    const create = createInstanceFactory({ runner, ffmpegPath: 'ffmpeg', capabilities: () => caps.promise, store, hls: { segmentSeconds: 1, listSize: 3 } });
    return { spawned, caps, inst: create(spec, 'run-1') };
  }
  const version = () => parseFfmpegVersion('ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers');

  it('spawns no ffmpeg once close() was called, and the exit says it was requested', async () => {
    const { spawned, caps, inst } = setup();
    const starting = inst.start();
    const closed = inst.close();
    caps.resolve(version());
    await starting;
    expect(spawned, 'ffmpeg spawned after close()').to.deep.equal([]);
    expect((await closed).requested).to.equal(true);
  });

  it('spawns ffmpeg when nothing closed it (the control case)', async () => {
    const { spawned, caps, inst } = setup();
    const starting = inst.start();
    caps.resolve(version());
    await starting;
    expect(spawned).to.have.length(1);
    expect((await inst.close()).requested).to.equal(true);
  });
});
