/**
 * One clip's ffmpeg: stream copy of a concat list into an MP4, progress from its stats, killed
 * (its process group) when the abort signal fires. And the keyframe probe of a recorded file.
 */
import { execFile } from 'node:child_process';
import { closeChild, type ProcessRunner } from '@workers/ffmpeg/process';
import { StderrRing } from '@workers/ffmpeg/ring';
import { clipArgs, keyframeProbeArgs, parseKeyframes, statsTime } from './plan';

export type KeyframeProbe = (input: string, untilSec: number) => Promise<number[]>;

export function ffprobeKeyframes(ffprobePath: string): KeyframeProbe {
  return (input, untilSec) =>
    new Promise((resolve, reject) => {
      execFile(ffprobePath, keyframeProbeArgs(input, untilSec), { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
        if (err) reject(new Error(`ffprobe could not read the first recorded file: ${err.message.split('\n')[0] ?? ''}`));
        else resolve(parseKeyframes(stdout));
      });
    });
}

export interface CutOptions {
  runner: ProcessRunner;
  ffmpegPath: string;
  listPath: string;
  outPath: string;
  signal: AbortSignal;
  /** Seconds of media written so far. */
  onTime(sec: number): void;
}

/** Resolves when ffmpeg has written the clip; rejects with its scrubbed stderr tail, or 'aborted'. */
export async function cutClip(o: CutOptions): Promise<void> {
  if (o.signal.aborted) throw new Error('aborted'); // cancelled before ffmpeg started (its abort event has fired)
  const child = o.runner.start(o.ffmpegPath, clipArgs(o.listPath, o.outPath));
  const ring = new StderrRing(50, 16 * 1024);
  let tail = '';
  child.onStderr((chunk) => {
    tail = (tail + chunk).slice(-4096);
    const t = statsTime(tail);
    if (t !== null) o.onTime(t);
    ring.push(chunk.replace(/frame=[^\r\n]*[\r\n]?/g, ''));
  });
  const kill = () => void closeChild(child, 3_000);
  o.signal.addEventListener('abort', kill, { once: true });
  try {
    const exit = await child.exited;
    if (o.signal.aborted) throw new Error('aborted');
    if (exit.code !== 0) throw new Error(`ffmpeg exited with ${exit.code ?? exit.signal ?? 'an error'}: ${(ring.end(), ring.tail(3)).join(' | ')}`);
  } finally {
    o.signal.removeEventListener('abort', kill);
  }
}
