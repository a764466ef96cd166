/** ffprobe through fluent-ffmpeg: duration and streams of a finished segment. */
import ffmpeg from 'fluent-ffmpeg';
import { resolveFfprobePath } from './version';

export interface ProbeResult {
  durationSec: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  /** From the in-process fMP4 probe only (recorder/mp4-probe.ts). */
  timing?: MediaTiming;
}

export interface MediaTiming {
  /** Video frames (samples). */
  frames: number;
  /** Fragments whose decode time does not continue the previous one (timestamps that jumped). */
  jumps: number;
  /** Typical (median) frame length in seconds. */
  medianFrameSec: number | null;
  /** Wall clock (ms) of the first frame, from the muxer's producer reference time boxes (prft). */
  wallStartMs: number | null;
}

export type Prober = (file: string) => Promise<ProbeResult>;

export function createProber(ffprobePath: string = resolveFfprobePath()): Prober {
  return (file) =>
    new Promise((resolve, reject) => {
      const cmd = ffmpeg(file).setFfprobePath(ffprobePath);
      cmd.ffprobe((err: Error | null, data: ffmpeg.FfprobeData) => {
        if (err) {
          reject(new Error(`ffprobe ${file}: ${err.message.split('\n').slice(-3).join(' ')}`));
          return;
        }
        const v = data.streams.find((s) => s.codec_type === 'video');
        const a = data.streams.find((s) => s.codec_type === 'audio');
        const d = Number(data.format.duration);
        resolve({
          durationSec: Number.isFinite(d) ? d : null,
          videoCodec: v?.codec_name ?? null,
          audioCodec: a?.codec_name ?? null,
          width: v?.width ?? null,
          height: v?.height ?? null,
        });
      });
    });
}
