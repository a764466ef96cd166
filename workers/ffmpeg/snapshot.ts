/**
 * One JPEG frame from an RTSP stream: the arguments (pure data) and a one-shot runner that
 * collects ffmpeg's stdout, bounded in time and size. The URL carries no credentials (the RTSP
 * auth proxy's local URL); the child runs in its own process group and dies with its parent.
 */
import { spawn } from 'node:child_process';
import { withParentDeathSignal } from './process';

/** A 640-px-wide JPEG of the first decodable frame. */
export function snapshotArgs(url: string, transport: 'tcp' | 'udp'): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', transport, '-i', url, '-frames:v', '1', '-an', '-vf', 'scale=640:-2', '-q:v', '5', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1'];
}

export interface GrabLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** Runs ffmpeg once; resolves with its stdout (the JPEG), rejects on timeout, size or a failed exit. */
export function grabFrame(ffmpeg: string, args: readonly string[], limits: GrabLimits): Promise<Buffer> {
  const [file, argv] = withParentDeathSignal(ffmpeg, args);
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let failure: Error | null = null;
    const timer = setTimeout(() => {
      failure = new Error(`no frame within ${limits.timeoutMs} ms`);
      kill();
    }, limits.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes > limits.maxBytes) {
        failure = new Error(`frame larger than ${limits.maxBytes} bytes`);
        kill();
      } else chunks.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 2_000) stderr += c.toString();
    });
    child.on('error', (e) => {
      failure = e;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code !== 0 || bytes === 0) return reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
      resolve(Buffer.concat(chunks));
    });
  });
}
