/**
 * On-demand sub streams (workers/substream): started by the first viewer, stopped a grace after the
 * last, restarted while watched; and they follow their camera's spec: stopped, and their players
 * ended, when this process no longer ingests the camera (lease lost, deleted, suspended), restarted
 * on new credentials.
 */
import { expect } from 'chai';
import type { ChildHandle, ExitInfo, ProcessRunner } from '@workers/ffmpeg/process';
import type { RtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';
import { createSubStreams, type SubStreamSpec } from '@workers/substream/on-demand';
import { parseFfmpegVersion } from '@workers/ffmpeg/version';
import { FakeClock, flush } from './supervisor-fakes';

interface FakeChild extends ChildHandle {
  args: readonly string[];
  exit(e?: Partial<ExitInfo>): void;
  signals: string[];
}

function harness(viewersAtStart = 0) {
  const clock = new FakeClock();
  const children: FakeChild[] = [];
  let pid = 100;
  const runner: ProcessRunner = {
    start(_cmd, args) {
      let resolve!: (e: ExitInfo) => void;
      const exited = new Promise<ExitInfo>((r) => (resolve = r));
      const c: FakeChild = {
        pid: ++pid,
        args,
        exited,
        signals: [],
        exit: (e) => resolve({ code: 1, signal: null, ...e }),
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
  const camera: { spec: SubStreamSpec | null } = { spec: { rtspSubUrl: 'rtsp://10.0.0.5/sub', transport: 'tcp', credentials: { username: 'admin', password: 's3cret' } } };
  let viewers = viewersAtStart;
  /** Cameras whose players were ended. */
  const ended: string[] = [];
  const subs = createSubStreams({
    specOf: (id) => (id === 'c1' ? camera.spec : null),
    outputUrl: (id) => `rtmp://127.0.0.1:1935/sub/${id}`,
    viewers: () => viewers,
    endViewers: (id) => ended.push(id),
    runner,
    ffmpegPath: 'ffmpeg',
    capabilities: async () => parseFfmpegVersion('ffmpeg version 5.1.9'),
    proxy,
    graceMs: 10_000,
    timers: clock,
    log: { info() {}, warn() {} },
  });
  return { clock, children, registered, camera, subs, ended, setViewers: (n: number) => (viewers = n) };
}

describe('workers/substream: on-demand sub streams', () => {
  it('nothing runs until a viewer joins; the process goes through the auth proxy with no secret in its arguments', async () => {
    const h = harness();
    expect(h.subs.has('c1')).to.equal(true);
    expect(h.subs.has('c2')).to.equal(false);
    await h.clock.advance(60_000);
    expect(h.children).to.have.length(0);
    h.setViewers(1);
    h.subs.joined('c1');
    await flush();
    expect(h.children).to.have.length(1);
    expect(h.subs.pid('c1')).to.equal(h.children[0]!.pid);
    expect(h.registered.map((r) => r.url)).to.deep.equal(['rtsp://10.0.0.5/sub']);
    const args = h.children[0]!.args.join(' ');
    expect(args).to.include('rtsp://127.0.0.1:1/opaque').and.include('rtmp://127.0.0.1:1935/sub/c1');
    expect(args).not.to.include('s3cret');
    expect(args).not.to.include('10.0.0.5');
  });

  it('stops the grace after the last viewer left, not while someone came back', async () => {
    const h = harness();
    h.setViewers(1);
    h.subs.joined('c1');
    await flush();
    h.setViewers(0);
    h.subs.left('c1');
    await h.clock.advance(5_000);
    h.setViewers(1);
    h.subs.joined('c1'); // back within the grace: the same process goes on
    await h.clock.advance(20_000);
    expect(h.children).to.have.length(1);
    expect(h.children[0]!.signals).to.deep.equal([]);
    h.setViewers(0);
    h.subs.left('c1');
    await h.clock.advance(9_000);
    expect(h.children[0]!.signals).to.deep.equal([]);
    await h.clock.advance(1_500);
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    await flush();
    expect(h.subs.pid('c1')).to.equal(undefined);
    expect(h.registered, 'the proxy route is gone with the process').to.deep.equal([]);
    await h.clock.advance(60_000);
    expect(h.children, 'no restart after an idle stop').to.have.length(1);
  });

  it('restarts a process that died while watched, with a growing delay; not once nobody watches', async () => {
    const h = harness();
    h.setViewers(1);
    h.subs.joined('c1');
    await flush();
    h.children[0]!.exit();
    await h.clock.advance(999);
    expect(h.children).to.have.length(1);
    await h.clock.advance(1);
    expect(h.children).to.have.length(2);
    h.children[1]!.exit();
    await h.clock.advance(1_999);
    expect(h.children).to.have.length(2);
    await h.clock.advance(1);
    expect(h.children).to.have.length(3);
    h.setViewers(0);
    h.children[2]!.exit();
    await h.clock.advance(60_000);
    expect(h.children).to.have.length(3);
    await h.subs.close();
  });
});

describe('workers/substream: a sub stream follows its camera', () => {
  it('stops at once, while watched, when this process no longer ingests the camera (lease lost, deleted, suspended)', async () => {
    const h = harness(1);
    h.subs.joined('c1');
    await flush();
    expect(h.children).to.have.length(1);
    h.camera.spec = null;
    await h.subs.specChanged('c1');
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    expect(h.subs.pid('c1')).to.equal(undefined);
    expect(h.registered).to.deep.equal([]);
    expect(h.ended, 'its players let go, not left waiting for a publish').to.deep.equal(['c1']);
    await h.clock.advance(60_000);
    expect(h.children, 'not restarted').to.have.length(1);
  });

  it('a player of a camera whose sub stream is not served here is ended at once', async () => {
    const h = harness(1);
    h.subs.joined('c2');
    await flush();
    expect(h.children).to.have.length(0);
    expect(h.ended).to.deep.equal(['c2']);
  });

  it('restarts on the new credentials while watched; unchanged, it goes on', async () => {
    const h = harness(1);
    h.subs.joined('c1');
    await flush();
    h.camera.spec = { ...h.camera.spec!, credentials: { username: 'admin', password: 's3cret' } }; // same values
    await h.subs.specChanged('c1');
    expect(h.children[0]!.signals).to.deep.equal([]);
    h.camera.spec = { ...h.camera.spec, credentials: { username: 'admin', password: 'new' } };
    await h.subs.specChanged('c1');
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    expect(h.children).to.have.length(2);
    expect(h.subs.pid('c1')).to.equal(h.children[1]!.pid);
    expect(h.registered).to.deep.equal([{ url: 'rtsp://10.0.0.5/sub', password: 'new' }]);
    expect(h.ended, 'its players stay for the new process').to.deep.equal([]);
  });

  it('changed while nobody watches: stopped, not restarted', async () => {
    const h = harness(1);
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
    const h = harness(1);
    h.subs.joined('c1');
    await flush();
    h.camera.spec = null;
    await h.clock.advance(5_000);
    expect(h.children[0]!.signals).to.deep.equal(['SIGTERM']);
    expect(h.subs.pid('c1')).to.equal(undefined);
    expect(h.ended).to.deep.equal(['c1']);
  });
});
