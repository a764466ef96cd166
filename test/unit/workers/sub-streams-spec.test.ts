/**
 * On-demand sub streams (workers/substream) follow their camera's spec: stopped when this process
 * no longer ingests the camera (lease lost, deleted, suspended), restarted on new credentials.
 */
import { expect } from 'chai';
import type { ChildHandle, ExitInfo, ProcessRunner } from '@workers/ffmpeg/process';
import type { RtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';
import { createSubStreams, type SubStreamSpec } from '@workers/substream/on-demand';
import { parseFfmpegVersion } from '@workers/ffmpeg/version';
import { FakeClock, flush } from './supervisor-fakes';

interface FakeChild extends ChildHandle {
  signals: string[];
}

function harness() {
  const clock = new FakeClock();
  const children: FakeChild[] = [];
  const runner: ProcessRunner = {
    start() {
      let resolve!: (e: ExitInfo) => void;
      const exited = new Promise<ExitInfo>((r) => (resolve = r));
      const c: FakeChild = {
        pid: 100 + children.length,
        exited,
        signals: [],
        signal(sig) {
          c.signals.push(sig);
          if (sig === 'SIGTERM') resolve({ code: 255, signal: null });
        },
        onStderr() {},
      };
      children.push(c);
      return c;
    },
  };
  const registered: Array<{ url: string; password: string | undefined }> = [];
  const proxy = {
    port: 1,
    register: (r: { cameraUrl: string; credentials?: { password: string } }) => {
      const entry = { url: r.cameraUrl, password: r.credentials?.password };
      registered.push(entry);
      return { localUrl: 'rtsp://127.0.0.1:1/opaque', unregister: () => registered.splice(registered.indexOf(entry), 1) };
    },
    close: async () => undefined,
  } as unknown as RtspAuthProxy;
  const camera: { spec: SubStreamSpec | null } = { spec: { rtspSubUrl: 'rtsp://10.0.0.5/sub', transport: 'tcp', credentials: { username: 'admin', password: 'old' } } };
  let viewers = 1;
  const subs = createSubStreams({
    specOf: () => camera.spec,
    outputUrl: (id) => `rtmp://127.0.0.1:1935/sub/${id}`,
    viewers: () => viewers,
    runner,
    ffmpegPath: 'ffmpeg',
    capabilities: async () => parseFfmpegVersion('ffmpeg version 5.1.9'),
    proxy,
    graceMs: 10_000,
    timers: clock,
    log: { info() {}, warn() {} },
  });
  return { clock, children, registered, camera, subs, setViewers: (n: number) => (viewers = n) };
}

describe('workers/substream: a sub stream follows its camera', () => {
  it('stops at once, while watched, when this process no longer ingests the camera (lease lost, deleted, suspended)', async () => {
    const h = harness();
    h.subs.joined('c1');
    await flush();
    expect(h.children).to.have.length(1);
    h.camera.spec = null;
    await h.subs.specChanged('c1');
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    expect(h.subs.pid('c1')).to.equal(undefined);
    expect(h.registered).to.deep.equal([]);
    await h.clock.advance(60_000);
    expect(h.children, 'not restarted for the viewers still attached').to.have.length(1);
  });

  it('restarts on the new credentials while watched; unchanged, it goes on', async () => {
    const h = harness();
    h.subs.joined('c1');
    await flush();
    h.camera.spec = { ...h.camera.spec!, credentials: { username: 'admin', password: 'old' } }; // same values
    await h.subs.specChanged('c1');
    expect(h.children[0]!.signals).to.deep.equal([]);
    h.camera.spec = { ...h.camera.spec, credentials: { username: 'admin', password: 'new' } };
    await h.subs.specChanged('c1');
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    expect(h.children).to.have.length(2);
    expect(h.subs.pid('c1')).to.equal(h.children[1]!.pid);
    expect(h.registered).to.deep.equal([{ url: 'rtsp://10.0.0.5/sub', password: 'new' }]);
  });

  it('changed while nobody watches: stopped, not restarted', async () => {
    const h = harness();
    h.subs.joined('c1');
    await flush();
    h.setViewers(0);
    h.subs.left('c1');
    h.camera.spec = { ...h.camera.spec!, rtspSubUrl: 'rtsp://10.0.0.6/sub' };
    await h.subs.specChanged('c1');
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    expect(h.children).to.have.length(1);
  });

  it('without being told, a running process finds out by itself within a few seconds', async () => {
    const h = harness();
    h.subs.joined('c1');
    await flush();
    h.camera.spec = null;
    await h.clock.advance(5_000);
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    expect(h.subs.pid('c1')).to.equal(undefined);
  });
});
