/**
 * The in-process fMP4 probe agrees with ffprobe on segments real ffmpeg writes the way the
 * recorder does (fragmented, empty moov, default-base-moof), and hands anything odd to ffprobe.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createProber } from '@workers/ffmpeg/probe';
import { createSegmentProber, probeFragmentedMp4 } from '@workers/recorder/mp4-probe';
import { segmentTimes } from '@workers/recorder/times';

describe('recorder: in-process fMP4 probe vs ffprobe', function () {
  this.timeout(60_000);
  let dir: string;
  const ffprobe = createProber();
  const encode = (name: string, extra: string[]) => {
    const out = join(dir, name);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', ...extra, '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25',
      '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', out]);
    return out;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-mp4probe-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads codec, size and duration like ffprobe (video only, and with AAC audio)', async () => {
    for (const [file, audio] of [
      [encode('v.mp4', []), null],
      [encode('va.mp4', ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000', '-c:a', 'aac', '-shortest']), 'aac'],
    ] as const) {
      const mine = await probeFragmentedMp4(file);
      const theirs = await ffprobe(file);
      expect(mine).to.include({ videoCodec: 'h264', width: 320, height: 240, audioCodec: audio });
      expect(theirs).to.include({ videoCodec: 'h264', width: 320, height: 240 });
      expect(mine.durationSec).to.be.closeTo(3, 0.1);
      expect(mine.durationSec!).to.be.closeTo(theirs.durationSec!, 0.01);
    }
  });

  it('reads frames and the first frame\'s wall clock (prft) from real-time output, and flags frames that disagree with the length', async () => {
    const t0 = Date.now();
    const live = join(dir, 'prft.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25',
      '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-write_prft', 'wallclock', live]);
    const t1 = Date.now();
    const p = await probeFragmentedMp4(live);
    expect(p.timing).to.include({ frames: 75, jumps: 0 });
    expect(p.timing!.medianFrameSec).to.be.closeTo(0.04, 0.001);
    // The first frame went out at real-time pace: its wall clock lies within the encoding run.
    expect(p.timing!.wallStartMs).to.be.within(t0 - 500, t1 - 2_000);
    const times = segmentTimes({ nameTime: new Date(t0), listed: null, probeDurationSec: p.durationSec!, timing: p.timing }, null);
    expect(times.flags).to.deep.equal([]);
    expect(times.durationMs).to.be.closeTo(3000, 100);

    // 75 frames whose timestamps jump 8 s forward after frame 50: indexed, but flagged.
    const jumped = join(dir, 'jump.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-vf', 'setpts=if(gte(N\\,50)\\,N+200\\,N)/(25*TB)',
      '-vsync', 'passthrough', '-frames:v', '75', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', jumped]);
    const j = await probeFragmentedMp4(jumped);
    expect(j.timing!.frames).to.equal(75);
    expect(j.durationSec).to.be.greaterThan(10);
    expect(segmentTimes({ nameTime: new Date(t0), listed: null, probeDurationSec: j.durationSec!, timing: j.timing }, null).flags).to.include('frames_mismatch');
  });

  it('a truncated or foreign file is not trusted: the fallback (ffprobe) decides', async () => {
    const good = encode('t.mp4', []);
    const cut = join(dir, 'cut.mp4');
    copyFileSync(good, cut);
    truncateSync(cut, 3000);
    const junk = join(dir, 'junk.mp4');
    writeFileSync(junk, 'not an mp4 at all');
    const calls: string[] = [];
    const probe = createSegmentProber(async (f) => {
      calls.push(f);
      return { durationSec: null, videoCodec: null, audioCodec: null, width: null, height: null };
    });
    expect((await probe(good)).videoCodec).to.equal('h264');
    await probe(cut);
    await probe(junk);
    expect(calls).to.deep.equal([cut, junk]);
  });
});
