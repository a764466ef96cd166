/**
 * A prepared clip as RTP frame templates, for the replay source: the clip's Annex B stream is
 * written once beside it in the cache (ffmpeg, stream copy) and packetised once per process.
 */
import { readFile } from 'node:fs/promises';
import { annexBArgs } from './ffmpeg-args';
import { atomicFfmpeg, type PreparedStream } from './cache';
import { accessUnits, frameTemplate, type FrameTemplate } from './rtp-h264';

export interface ReplayClip {
  frames: FrameTemplate[];
  fps: number;
  payloadType: number;
}

const loaded = new Map<string, Promise<ReplayClip>>();

async function load(p: PreparedStream, payloadType: number): Promise<ReplayClip> {
  const path = p.clipPath.replace(/\.mp4$/, '.h264');
  await atomicFfmpeg(path, (tmp) => annexBArgs(p.clipPath, tmp));
  const frames = accessUnits(await readFile(path)).map((au) => frameTemplate(au, payloadType));
  if (!frames.some((f) => f.keyframe)) throw new Error(`${path}: no H.264 frames with a keyframe; delete it to have it written again`);
  return { frames, fps: p.profile.fps, payloadType };
}

/** The clip of a prepared stream as RTP templates (memoised per clip). */
export function replayClip(p: PreparedStream, payloadType = 96): Promise<ReplayClip> {
  const k = `${p.clipPath}|${payloadType}`;
  let c = loaded.get(k);
  if (!c) {
    c = load(p, payloadType);
    loaded.set(k, c);
    c.catch(() => loaded.delete(k));
  }
  return c;
}
