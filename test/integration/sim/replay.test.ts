/**
 * Replay mode end to end: a real ffmpeg reads a simulated camera whose stream the simulator sends
 * from memory (no publisher process), over RTSP/TCP and RTSP/UDP with Digest auth, records it and
 * decodes every frame without an error; the frame rate and the clip's resolution hold.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startFleet, type Fleet } from '@sim/index';
import { testBaseOctet, withCreds } from './helpers';

function run(cmd: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000, killSignal: 'SIGKILL' }, (e, stdout, stderr) => resolve({ ok: !e, stdout, stderr }));
  });
}

describe('sim replay mode (integration)', function () {
  this.timeout(60_000);
  let fleet: Fleet;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skyeye-replay-'));
    fleet = await startFleet({ cameras: 1, baseOctet: testBaseOctet(7), mode: 'replay', startOnvif: false, startDiscovery: false });
  });
  after(async () => {
    await fleet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const transport of ['tcp', 'udp'] as const) {
    it(`is read, recorded and decoded by ffmpeg over RTSP/${transport}, 25 frames a second, with no publisher process`, async () => {
      const cam = fleet.cameras[0]!;
      const out = join(dir, `${transport}.mp4`);
      const url = withCreds(cam.rtspMainUrl, cam.username, cam.password);
      const rec = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', transport, '-timeout', '5000000',
        '-i', url, '-t', '4', '-c', 'copy', '-y', out]);
      expect(rec.ok, rec.stderr).to.equal(true);
      expect(cam.publisherPid('main')).to.equal(undefined);
      const probe = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0',
        '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', out]);
      const s = (JSON.parse(probe.stdout) as { streams: Array<{ codec_name: string; width: number; height: number; nb_read_frames: string }> }).streams[0]!;
      expect(s).to.include({ codec_name: 'h264', width: 1280, height: 720 });
      // Over UDP ffmpeg's -t 4 holds ~65 frames, as it does reading the ffmpeg-published (loop) stream.
      expect(Number(s.nb_read_frames)).to.be.within(transport === 'tcp' ? 95 : 50, 105);
      const decode = await run('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-']);
      expect(decode.ok && decode.stderr.trim(), decode.stderr).to.equal('');
    });
  }
});
