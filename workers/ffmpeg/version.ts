/**
 * Which ffmpeg binary and which option spellings it wants. The version is detected once per
 * binary via `ffmpeg -version`; argument builders take the result as plain data.
 */
import { execFile } from 'node:child_process';

export interface FfmpegCapabilities {
  /** Major version; 0 when unknown (treated as modern). */
  major: number;
  /** RTSP socket I/O timeout option: `-timeout` (5.0+, microseconds) or `-stimeout` (4.x). */
  rtspTimeoutOption: '-timeout' | '-stimeout';
}

/** FFMPEG_PATH from the environment, else `ffmpeg` on PATH. Hook for a packaged binary later. */
export function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env, packaged?: () => string | undefined): string {
  return env.FFMPEG_PATH || packaged?.() || 'ffmpeg';
}

export function resolveFfprobePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.FFPROBE_PATH || 'ffprobe';
}

/** Parses the first line of `ffmpeg -version`. Git builds ("N-1234-g...") count as modern. */
export function parseFfmpegVersion(output: string): FfmpegCapabilities {
  const m = /ffmpeg version n?(\d+)\.(\d+)/i.exec(output);
  const major = m ? Number(m[1]) : 0;
  return { major, rtspTimeoutOption: major > 0 && major < 5 ? '-stimeout' : '-timeout' };
}

const cache = new Map<string, Promise<FfmpegCapabilities>>();

export function detectFfmpeg(binary: string): Promise<FfmpegCapabilities> {
  let p = cache.get(binary);
  if (!p) {
    p = new Promise((resolve, reject) => {
      execFile(binary, ['-hide_banner', '-version'], { timeout: 10_000 }, (err, stdout) => {
        if (err) reject(new Error(`cannot run ${binary} -version: ${err.message}`));
        else resolve(parseFfmpegVersion(String(stdout)));
      });
    });
    cache.set(binary, p);
    p.catch(() => cache.delete(binary));
  }
  return p;
}
