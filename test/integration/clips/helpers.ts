/**
 * Real recorded files for the clip tests: ffmpeg encodes a test pattern (H.264, a keyframe every
 * `gopSec`, no B-frames) through the segment muxer with the recorder's fragmented-MP4 flags and
 * per-file timestamps, and the files are put in a camera's hot cache and indexed through the
 * recordings repository at chosen wall-clock starts, leaving out the ones that make a gap.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RecordingsRepository } from '@server/recordings/repository';
import { resolveFfmpegPath, resolveFfprobePath } from '@workers/ffmpeg/version';
import { recordingObjectKey } from '@workers/store/layout';
import { formatSegmentStamp, type IngestStore } from '@workers/store/paths';

const run = promisify(execFile);
export const FFMPEG = resolveFfmpegPath();
export const FFPROBE = resolveFfprobePath();

export interface RecordedOptions {
  /** Wall-clock start of file 0. */
  base: Date;
  count: number;
  segSec: number;
  gopSec: number;
  /** Files (by number) not indexed: a gap. */
  skip?: number[];
  size?: string;
  bitrate?: string;
}

/** Encodes `count` files of `segSec` each into a scratch dir; returns their paths in order. */
export async function encodeSegments(o: { count: number; segSec: number; gopSec: number; size?: string; bitrate?: string }): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'skyeye-clipsrc-'));
  const fps = 25;
  await run(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', `testsrc2=size=${o.size ?? '320x240'}:rate=${fps}`, '-t', String(o.count * o.segSec),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(o.gopSec * fps), '-keyint_min', String(o.gopSec * fps), '-sc_threshold', '0', '-bf', '0',
    ...(o.bitrate ? ['-b:v', o.bitrate, '-maxrate', o.bitrate, '-bufsize', o.bitrate] : []),
    '-f', 'segment', '-segment_time', String(o.segSec), '-reset_timestamps', '1', '-segment_format', 'mp4',
    '-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof',
    path.join(dir, 'seg%04d.mp4'),
  ], { timeout: 600_000 });
  const files = (await readdir(dir)).filter((f) => f.endsWith('.mp4')).sort().map((f) => path.join(dir, f));
  return { dir, files };
}

export async function probeDuration(file: string): Promise<number> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

/** Puts files in the camera's cache and indexes them as cached segments starting base + i*segSec. */
export async function recordSegments(store: IngestStore, repo: RecordingsRepository, cameraId: string, o: RecordedOptions): Promise<Array<{ start: Date; end: Date; file: string }>> {
  const src = await encodeSegments(o);
  const out: Array<{ start: Date; end: Date; file: string }> = [];
  try {
    await mkdir(store.cacheDir(cameraId), { recursive: true });
    for (const [i, f] of src.files.entries()) {
      if (o.skip?.includes(i)) continue;
      const start = new Date(o.base.getTime() + i * o.segSec * 1000);
      const durationMs = Math.round((await probeDuration(f)) * 1000);
      const end = new Date(start.getTime() + durationMs);
      const file = store.cacheSegmentPath(cameraId, start);
      await copyFile(f, file);
      const body = await readFile(file);
      await repo.add(
        {
          cameraId, cacheKey: `${cameraId}/${formatSegmentStamp(start)}.mp4`, objectKey: recordingObjectKey(cameraId, start), start, end,
          bytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), durationMs, frames: durationMs / 40, codec: 'h264', width: 320, height: 240, flags: [],
        },
        { workerId: 'test', token: null, node: await store.nodeId() },
      );
      out.push({ start, end, file });
    }
  } finally {
    await rm(src.dir, { recursive: true, force: true });
  }
  return out;
}

export interface ClipProbe {
  duration: number;
  /** Video packets: pts (s) and keyframe flag. */
  firstKey: boolean;
  moovFirst: boolean;
  decodes: boolean;
  decodeErrors: string;
}

/** ffprobe (duration, first packet a keyframe), moov before mdat, and a full decode with ffmpeg. */
export async function probeClip(file: string): Promise<ClipProbe> {
  const duration = await probeDuration(file);
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#1', '-show_entries', 'packet=flags', '-of', 'csv=p=0', file]);
  const head = await readFile(file).then((b) => b.subarray(0, 1 << 16));
  const boxes: string[] = [];
  for (let off = 0; off + 8 <= head.length && boxes.length < 4; ) {
    boxes.push(head.toString('latin1', off + 4, off + 8));
    const size = head.readUInt32BE(off);
    if (size < 8) break;
    off += size;
  }
  const dec = await run(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { timeout: 120_000 }).then(
    (r) => ({ ok: true, err: r.stderr }),
    (e: { stderr?: string }) => ({ ok: false, err: e.stderr ?? 'failed' }),
  );
  return { duration, firstKey: stdout.trim().split('\n')[0]?.startsWith('K') ?? false, moovFirst: boxes.indexOf('moov') >= 0 && (boxes.indexOf('mdat') < 0 || boxes.indexOf('moov') < boxes.indexOf('mdat')), decodes: dec.ok && dec.err.trim() === '', decodeErrors: dec.err };
}
