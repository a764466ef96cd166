/**
 * Node's CPU for each recording segment the recorder closes, by part: reading the file (1 MiB
 * blocks into one buffer, the baseline), SHA-256 of it (`sha256File`), the in-process fMP4 probe
 * (`probeFragmentedMp4`), and the whole validation the recorder runs (`validateSegment` with the
 * worker's prober). The segment is written by ffmpeg the way the recorder's output writes them
 * (fragment per keyframe, empty moov, prft wall clock): 1920x1080 25 fps, 4 Mb/s, GOP 2 s,
 * `--seconds` long (10: the bench's recording length). Parts alternate in one process, 6 rounds of
 * 100 segments each; medians of process.cpuUsage per segment (the libuv threads' reads included),
 * and what that is as % of one core per camera recording such segments back to back.
 *
 *   npx tsx bench/segment-work.ts [--seconds 10]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createProber } from '@workers/ffmpeg/probe';
import { createSegmentProber, probeFragmentedMp4 } from '@workers/recorder/mp4-probe';
import { sha256File, validateSegment } from '@workers/recorder/validate';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error('--seconds must be a positive number');
const ROUNDS = 6;
const PER_ROUND = 100;

async function readOnly(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    while ((await fh.read(buf, 0, buf.length, null)).bytesRead > 0);
  } finally {
    await fh.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'skyeye-segwork-'));
try {
  const file = join(dir, 'segment.mp4');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '4M', '-maxrate', '4M', '-bufsize', '8M', '-g', '50',
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-write_prft', 'wallclock', file]);
  const prober = createSegmentProber(createProber());
  const parts: Array<[string, () => Promise<unknown>]> = [
    ['read (baseline)', () => readOnly(file)],
    ['SHA-256', () => sha256File(file)],
    ['fMP4 probe', () => probeFragmentedMp4(file)],
    ['validateSegment (probe + SHA-256)', () => validateSegment(file, prober, seconds * 2 + 5)],
  ];
  const samples = new Map<string, number[]>(parts.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of parts) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < PER_ROUND; i++) await fn();
      const c = process.cpuUsage(c0);
      samples.get(name)!.push((c.user + c.system) / 1000 / PER_ROUND);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(samples.get(parts[0]![0])!);
  console.log(`one ${seconds} s segment of 1080p 4 Mb/s; CPU ms per segment (median of ${ROUNDS} x ${PER_ROUND}), % of one core per camera, ratio to reading it`);
  for (const [name] of parts) {
    const ms = median(samples.get(name)!);
    console.log(`  ${name.padEnd(36)} ${ms.toFixed(2).padStart(6)} ms  ${((ms / (seconds * 1000)) * 100).toFixed(3)} %  ${(ms / base).toFixed(2)}x`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
